// From draft to the public board (issue: review, signature, publication):
// return with guidance, the inbox, resubmission, approval, signature, the
// printable form printed to PDF, publication (6 days refused, 7 accepted), and
// an anonymous visitor's feedback shown as text.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { launch, screenshot, unlabelledControls, waitForServiceWorker, waitForCachedPart, SCREENSHOTS, PHONE, DESKTOP } from "./support/browser.mjs";
import { signIn, syncNow, synced, fillItem, schoolDay } from "./support/flow.mjs";

const NAME_OF_MEMBER = async (context) => (await (await context.request.get("/api/me")).json()).person.name;

test("a member's commitment goes from draft to the public board", async () => {
  const member = await launch({ viewport: PHONE });
  const branch = await launch({ viewport: DESKTOP });
  const visitor = await launch({ viewport: PHONE });
  try {
    // The member drafts and submits.
    await signIn(member.page, "member");
    const cycle = await (await member.context.request.get("/api/cycles/current")).json();
    const deadline = cycle.calendar.fulfilment_until;
    const name = await NAME_OF_MEMBER(member.context);
    await member.page.getByRole("button", { name: "开始起草" }).click();
    await member.page.getByLabel("调研情况（师生的意愿和需求）").fill("学生希望增加课后答疑");
    await fillItem(member.page, 0, { area: "M1", content: "主讲两门专业课", measures: "每两周答疑一次", deadline });
    await member.page.getByRole("button", { name: "添加事项" }).click();
    await fillItem(member.page, 1, { area: "M4", content: "每周为学生提供学业咨询", measures: "每周三下午开放", deadline });
    await member.page.getByRole("button", { name: "提交审核" }).click();
    await synced(member.page);
    const commitmentUrl = member.page.url();

    // The branch secretary returns it with guidance.
    await signIn(branch.page, "branch");
    await branch.page.getByRole("heading", { name: "软件工程系教师党支部" }).first().waitFor();
    const card = branch.page.getByTestId("commitment-card").filter({ hasText: name });
    await card.getByRole("link", { name: "审核" }).click();
    await branch.page.getByLabel("指导意见（退回时必填）").fill("措施请写明具体时间和地点");
    await branch.page.getByRole("button", { name: "退回修改" }).click();
    await synced(branch.page);

    // The member, back on the dashboard, sees it in the inbox with an unread
    // badge, then revises and resubmits.
    await member.page.goto("/");
    await syncNow(member.page);
    await member.page.getByTestId("unread-badge").filter({ hasText: "1" }).waitFor();
    await member.page.getByTestId("inbox-link").click();
    const notice = member.page.getByTestId("notice").first();
    await notice.filter({ hasText: "措施请写明具体时间和地点" }).waitFor();
    await notice.getByRole("link", { name: "打开" }).click();
    await member.page.getByRole("alert").filter({ hasText: "措施请写明具体时间和地点" }).waitFor();
    await member.page.getByTestId("unread-badge").waitFor({ state: "detached" });
    await member.page.getByTestId("item").nth(0).getByLabel("具体措施").fill("每两周周三下午在实验楼305答疑");
    await member.page.getByRole("button", { name: "提交审核" }).click();
    await synced(member.page);

    // The branch approves: all five criteria.
    await syncNow(branch.page);
    await branch.page.goto("/");
    await branch.page.getByTestId("commitment-card").filter({ hasText: name }).getByRole("link", { name: "审核" }).click();
    await branch.page.getByText("每两周周三下午在实验楼305答疑").waitFor();
    for (const label of ["体现先进性要求", "以正在干的事情为中心", "体现岗位、职责特点", "符合师生意愿", "切实可行"]) {
      await branch.page.getByLabel(label).check();
    }
    assert.deepEqual(await unlabelledControls(branch.page), []);
    await screenshot(branch.page, "review-1280x800");
    await branch.page.setViewportSize(PHONE);
    await screenshot(branch.page, "review-390x844");
    await branch.page.setViewportSize(DESKTOP);
    await branch.page.getByRole("button", { name: "审核通过" }).click();
    await synced(branch.page);

    // The member signs: the text gets its number and is final.
    // Once the approval reaches the member's phone, signing (a part of the
    // app of its own) is fetched while online: it then works offline, on a
    // page this phone never showed it on.
    await syncNow(member.page);
    await waitForCachedPart(member.page, "split_publication");
    await member.page.waitForTimeout(500);
    await member.context.setOffline(true);
    await member.page.goto(commitmentUrl);
    await member.page.getByRole("button", { name: "确认定稿并签字" }).click();
    await member.page.getByRole("status").filter({ hasText: "已记录在本机；联网后送达。" }).waitFor();
    await member.context.setOffline(false);
    await syncNow(member.page);
    await synced(member.page);
    await member.page.getByRole("link", { name: "打印承诺书" }).click();
    const form = member.page.getByTestId("printable-form");
    await form.waitFor();
    const number = (await member.page.getByTestId("form-number").innerText()).trim();
    assert.match(number, new RegExp(`^${cycle.year}-`));
    await screenshot(member.page, "printable-form-390x844");
    await member.page.setViewportSize(DESKTOP);
    await screenshot(member.page, "printable-form-1280x800");

    // It prints to PDF: one A4 page with the text on it.
    const output = join(SCREENSHOTS, "..", "pdf");
    mkdirSync(output, { recursive: true });
    const pdfPath = join(output, "commitment.pdf");
    await member.page.emulateMedia({ media: "print" });
    writeFileSync(pdfPath, await member.page.pdf({ format: "A4", printBackground: true }));
    const info = execFileSync("pdfinfo", [pdfPath], { encoding: "utf8" });
    assert.match(info, /Pages:\s+1\b/, info);
    assert.match(info, /Page size:.*\(A4\)/, info);
    const text = execFileSync("pdftotext", [pdfPath, "-"], { encoding: "utf8" }).replace(/\s+/g, "");
    // Short pieces: a table cell's text wraps onto several lines in the PDF.
    for (const expected of ["公开承诺书", name, number, "主讲两门专业课", "每两周周三", "305答疑", deadline, "软件工程系教师党支部", "承诺人（签字）", "审核党组织（盖章）"]) {
      assert.ok(text.includes(expected.replace(/\s+/g, "")), `the PDF shows ${expected}:\n${text}`);
    }
    assert.ok(!text.includes("立即同步"), "the app's bars are not printed");
    await member.page.emulateMedia({ media: "screen" });

    // The branch publishes it: six days are refused, seven accepted.
    await syncNow(branch.page);
    await branch.page.goto(commitmentUrl);
    await branch.page.getByRole("heading", { name: "公示" }).waitFor();
    await branch.page.getByLabel("公示开始日期").fill(schoolDay(0));
    await branch.page.getByLabel("公示结束日期").fill(schoolDay(5));
    await branch.page.getByRole("button", { name: "发布公示" }).click();
    await branch.page.getByRole("alert").filter({ hasText: "公示时间不少于 7 天" }).waitFor();
    await branch.page.getByLabel("公示结束日期").fill(schoolDay(6));
    await branch.page.getByRole("button", { name: "发布公示" }).click();
    await synced(branch.page);
    const published = await (await branch.context.request.get(commitmentUrl.replace(/.*\/commitments\//, "/api/commitments/"))).json();
    assert.equal(published.state, "Published");

    // An anonymous visitor finds it on the board and leaves feedback; markup stays text.
    await visitor.page.goto("/board");
    await visitor.page.getByLabel("搜索承诺人或承诺内容").fill("专业课");
    const entry = visitor.page.getByTestId("board-entry").filter({ hasText: name }).filter({ hasText: number });
    await entry.waitFor();
    await screenshot(visitor.page, "board-390x844");
    await entry.getByRole("link", { name: "打开" }).click();
    await visitor.page.getByText("主讲两门专业课").waitFor();
    const entryPath = new URL(visitor.page.url()).pathname;
    const script = "<script>window.__injected = true</script>建议公布答疑签到情况";
    await visitor.page.getByLabel("意见或建议").fill(script);
    assert.deepEqual(await unlabelledControls(visitor.page), []);
    await visitor.page.getByRole("button", { name: "提交意见" }).click();
    await visitor.page.getByRole("status").filter({ hasText: "谢谢，您的意见已提交。" }).waitFor();
    const shown = visitor.page.getByTestId("feedback-entry").first();
    await shown.waitFor();
    assert.equal(await shown.locator(".feedback-text").innerText(), script);
    assert.equal(await visitor.page.evaluate(() => window.__injected), undefined);
    assert.equal(await visitor.page.locator(".feedback-entry script").count(), 0);
    await visitor.page.setViewportSize(DESKTOP);
    await screenshot(visitor.page, "board-entry-1280x800");
    await visitor.page.goto("/board");
    await visitor.page.getByTestId("board-entry").first().waitFor();
    await screenshot(visitor.page, "board-1280x800");

    // Once visited, the board opens offline with what was seen.
    await waitForServiceWorker(visitor.page);
    await visitor.context.setOffline(true);
    await visitor.page.reload();
    await visitor.page.getByRole("status").filter({ hasText: "当前离线，显示上次查看时的内容。" }).waitFor();
    await visitor.page.getByTestId("board-entry").filter({ hasText: number }).waitFor();
    await visitor.context.setOffline(false);

    // The branch secretary moderates: the entry is hidden from the board, with a reason.
    await branch.page.goto(entryPath);
    const moderated = branch.page.getByTestId("feedback-entry").filter({ hasText: "建议公布答疑签到情况" });
    await moderated.getByLabel("隐藏理由").fill("含有代码，已请来信人重新提交");
    await moderated.getByRole("button", { name: "隐藏" }).click();
    await moderated.filter({ hasText: "已隐藏: 含有代码，已请来信人重新提交" }).waitFor();
    await visitor.page.goto(entryPath);
    await visitor.page.getByText("暂无意见。").waitFor();

    for (const browser of [member, branch, visitor]) {
      assert.deepEqual(browser.errors, []);
    }
  } finally {
    await member.close();
    await branch.close();
    await visitor.close();
  }
});
