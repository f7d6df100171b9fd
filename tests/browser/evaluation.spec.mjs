// A round from the phones' side (issue 15): the leader scores offline and
// syncs; the branch scores and prints one-time codes; six anonymous phones
// (separate contexts, no sign-in) vote with codes read from the printed
// sheet, a reused and a made-up code are refused; the office closes the
// annual round; the grade shown equals the server's (the domain's)
// computation; a rectification order is worked off by the member and closed
// by the branch; the results and the commendation list are on the board.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, screenshot, SCREENSHOTS, waitForServiceWorker, DESKTOP } from "./support/browser.mjs";
import { signIn, synced, syncNow, schoolDay } from "./support/flow.mjs";
import { checkScreen } from "./support/screen.mjs";
import { join } from "node:path";
import { mkdirSync } from "node:fs";

const COMMITMENT = process.env.COMMITMENT;
const ROUND = process.env.ROUND;

async function evaluationOf(page) {
  return page.evaluate(async (id) => (await fetch(`/api/commitments/${id}/evaluation`)).json(), COMMITMENT);
}

test("a round: scores, printed codes, anonymous ballots, the close, the grade, rectification", async () => {
  assert.ok(COMMITMENT && ROUND, "the Rust side names the commitment and the round");
  const phones = [];
  try {
    // The leader scores offline; it reaches the server once online.
    const leader = await launch({ viewport: { width: 390, height: 844 } });
    phones.push(leader);
    await signIn(leader.page, "leader");
    await synced(leader.page);
    await waitForServiceWorker(leader.page);
    // The to-do list: the round the office opened (its last day, 10 days
    // on, not the calendar's) and the cadre's score to give.
    const leaderTodo = leader.page.getByTestId("todo-feed");
    await leaderTodo.getByTestId("todo-line").filter({ hasText: `年度集中考核评议 · 截止 ${schoolDay(10)}` }).waitFor({ timeout: 20_000 });
    await leaderTodo.getByTestId("todo-line").filter({ hasText: "待领导点评评分" }).first().waitFor();
    await leader.page.goto(`/commitments/${COMMITMENT}`);
    const leaderForm = leader.page.getByTestId("assess-leader");
    await leaderForm.waitFor();
    assert.deepEqual(await checkScreen(leader.page, "commitment with a score to give"), []);
    await leader.page.context().setOffline(true);
    await leaderForm.getByLabel("分数（0–100）").fill("86");
    await leaderForm.getByRole("button", { name: "提交评分" }).click();
    await leaderForm.locator(".field-error").first().waitFor();
    await leaderForm.getByLabel("意见").fill("带头作用明显，台账扎实，建议加强宣传");
    await leaderForm.getByRole("button", { name: "提交评分" }).click();
    await leaderForm.getByText("待同步").waitFor();
    await leader.page.reload();
    await leader.page.getByTestId("assess-leader").getByText("待同步").waitFor();
    await leader.page.context().setOffline(false);
    await syncNow(leader.page);
    await leader.page.getByTestId("assess-leader").getByTestId("assessment-sent").filter({ hasText: "86" }).waitFor({ timeout: 20_000 });

    // The branch: the organization's score, then the codes, printed.
    const branch = await launch({ viewport: DESKTOP });
    phones.push(branch);
    await signIn(branch.page, "branch");
    await synced(branch.page);
    await branch.page.goto(`/commitments/${COMMITMENT}`);
    const orgForm = branch.page.getByTestId("assess-organization");
    // A wrong score, then no comment: each said at its field, nothing queued.
    await orgForm.getByLabel("分数（0–100）").fill("120");
    await orgForm.getByLabel("意见").fill("按期推进，群众认可");
    await orgForm.getByRole("button", { name: "提交评分" }).click();
    await orgForm.locator(".field-error").filter({ hasText: "分数须在 0 到 100 之间。" }).waitFor();
    assert.equal(await orgForm.getByLabel("分数（0–100）").inputValue(), "120", "the typed value is kept to correct");
    await orgForm.getByLabel("分数（0–100）").fill("92");
    await orgForm.getByLabel("意见").fill("");
    await orgForm.getByRole("button", { name: "提交评分" }).click();
    await orgForm.locator(".field-error").filter({ hasText: "此项必填。" }).waitFor();
    assert.equal(await orgForm.getByText("待同步").count(), 0, "nothing queued");
    await orgForm.getByLabel("意见").fill("按期推进，群众认可");
    await orgForm.getByRole("button", { name: "提交评分" }).click();
    await orgForm.getByTestId("assessment-sent").filter({ hasText: "92" }).waitFor({ timeout: 20_000 });

    await branch.page.getByRole("link", { name: "群众评议码" }).click();
    await branch.page.getByLabel("发放数量").fill("8");
    await branch.page.getByRole("button", { name: "生成评议码" }).click();
    await branch.page.getByTestId("code-sheet").waitFor();
    const codes = await branch.page.getByTestId("slip-code").allTextContents();
    assert.equal(codes.length, 8);
    assert.equal(new Set(codes).size, 8);
    for (const code of codes) assert.match(code, /^[2-9A-HJ-NP-Z]{5}-[2-9A-HJ-NP-Z]{5}$/);
    assert.equal(await branch.page.locator("[data-testid=slip] svg").count(), 8, "a QR code on every slip");
    await screenshot(branch.page, "ballot-code-sheet-1280x800");
    mkdirSync(SCREENSHOTS, { recursive: true });
    await branch.page.emulateMedia({ media: "print" });
    await branch.page.pdf({ path: join(SCREENSHOTS, "ballot-code-sheet.pdf"), format: "A4" });
    await branch.page.emulateMedia({ media: "screen" });
    await branch.page.getByTestId("code-counts").filter({ hasText: "已发放 8" }).waitFor();
    assert.deepEqual(await checkScreen(branch.page, "ballot codes", { phone: false }), []);

    // Six phones, no account: the QR code's address opens the ballot.
    const choices = ["满意", "满意", "满意", "满意", "基本满意", "满意"];
    for (let n = 0; n < 6; n += 1) {
      const phone = await launch({ viewport: { width: 360, height: 780 } });
      phones.push(phone);
      await phone.page.goto(`/ballot#${codes[n].replace("-", "")}`);
      const subjects = phone.page.getByTestId("ballot-subject");
      await subjects.first().waitFor();
      const count = await subjects.count();
      assert.ok(count >= 1);
      if (n === 0) {
        // Not every subject rated: said beside the one left out, nothing cast.
        await phone.page.getByRole("button", { name: "提交评议" }).click();
        await subjects.first().locator(".field-error").waitFor();
        // Each subject links to its commitment on the public board.
        const href = await subjects.first().getByRole("link", { name: /查看承诺书/ }).getAttribute("href");
        assert.match(href, /^\/board\/[0-9a-f-]{36}$/);
        // What the masses judge: each item as signed, not only the progress.
        const signed = await phone.page.evaluate(async (id) => (await fetch(`/api/board/${id}`)).json(), href.split("/").pop());
        const shown = await subjects.first().locator("ol.items > li > strong").allTextContents();
        assert.deepEqual(shown, signed.commitment.items.map((i) => i.content));
        assert.ok(shown.length >= 1);
        await screenshot(phone.page, "ballot-page-360x780");
        assert.deepEqual(await checkScreen(phone.page, "ballot paper"), []);
      }
      for (let s = 0; s < count; s += 1) {
        await subjects.nth(s).getByLabel(choices[n], { exact: true }).check();
      }
      await phone.page.getByRole("button", { name: "提交评议" }).click();
      await phone.page.getByTestId("ballot-done").waitFor();
      assert.ok(!phone.page.url().includes("#"), "the spent code leaves the address");
      assert.deepEqual(phone.errors, []);
    }
    // A reused code and a made-up one: refused, each saying why.
    const stranger = await launch({ viewport: { width: 360, height: 780 } });
    phones.push(stranger);
    await stranger.page.goto("/ballot");
    await stranger.page.getByLabel("评议码（纸条上的 10 位字母数字）").fill(codes[2].toLowerCase());
    await stranger.page.getByRole("button", { name: "开始评议" }).click();
    await stranger.page.getByTestId("ballot-problem").filter({ hasText: "已经投过票" }).waitFor();
    await stranger.page.getByLabel("评议码（纸条上的 10 位字母数字）").fill("ZZZZZ-ZZZZZ");
    await stranger.page.getByRole("button", { name: "开始评议" }).click();
    await stranger.page.getByTestId("ballot-problem").filter({ hasText: "没有这个评议码" }).waitFor();

    // The branch sees the count, never who voted what; voids a lost slip.
    await branch.page.reload();
    await branch.page.getByTestId("codes-used").filter({ hasText: "6" }).waitFor();
    await branch.page.getByLabel("作废遗失纸条的编号（如 3, 7）").fill("8");
    await branch.page.getByRole("button", { name: "作废", exact: true }).click();
    await branch.page.getByTestId("code-counts").filter({ hasText: "已作废 1" }).waitFor();

    // The office closes the round.
    const office = await launch({ viewport: DESKTOP });
    phones.push(office);
    await signIn(office.page, "office");
    await office.page.goto("/years");
    const open = office.page.getByTestId("round").filter({ hasText: "进行中" }).first();
    office.page.once("dialog", (dialog) => dialog.accept());
    await open.getByRole("button", { name: "结束这一轮" }).click();
    await office.page.getByTestId("round").filter({ hasText: "已结束" }).first().waitFor();

    // The member sees the grade the server computed, and the orders.
    const member = await launch({ viewport: { width: 360, height: 780 } });
    phones.push(member);
    await signIn(member.page, "cadre");
    await synced(member.page);
    await member.page.goto(`/commitments/${COMMITMENT}`);
    const result = member.page.getByTestId("round-result").first();
    await result.waitFor({ timeout: 20_000 });
    const computed = (await evaluationOf(member.page)).results[0].result;
    const grades = { Excellent: "优秀", Competent: "合格", BasicallyCompetent: "基本合格", NotCompetent: "不合格" };
    assert.equal(await result.getByTestId("grade").textContent(), grades[computed.grade]);
    const composite = `${Math.floor(computed.composite / 10)}.${computed.composite % 10}`;
    assert.equal(await result.getByTestId("composite").textContent(), composite);
    // L 86, M (5·100 + 60)/6 = 93.3, O 92: 0.3·86 + 0.3·93.3 + 0.4·92 = 90.6,
    // capped at 基本合格 by the item overdue at the annual round.
    assert.equal(composite, "90.6");
    assert.equal(computed.grade, "BasicallyCompetent");
    await result.getByTestId("breakdown").filter({ hasText: "93.3" }).waitFor();
    await result.getByText("年度考核时有逾期事项，最高评为基本合格").waitFor();
    // Dated with the day the office closed it, not the round's planned end (10 days on).
    await result.getByText(`评定于 ${schoolDay(0)}`).waitFor();
    await screenshot(member.page, "round-result-360x780");

    const order = member.page.getByTestId("rectification-order").first();
    await order.waitFor();
    // On the to-do list too (the orders are not on the device: the server's lines, kept).
    await member.page.goto("/");
    await member.page.getByTestId("todo-feed").getByTestId("todo-line").filter({ hasText: "待整改" }).first().waitFor({ timeout: 20_000 });
    assert.equal(await member.page.getByTestId("todo").getByText("眼下没有待办事项").count(), 0);
    await member.page.goto(`/commitments/${COMMITMENT}`);
    await order.waitFor();
    await member.page.context().setOffline(true);
    await order.getByLabel("整改情况 / 意见").fill("已补开专题组织生活会，记录已上传");
    await order.getByLabel("佐证材料（拍照、相册或 PDF，可多选）").setInputFiles({ name: "整改记录.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% 整改记录\n") });
    await order.getByTestId("evidence-file").filter({ hasText: "整改记录.pdf" }).waitFor();
    await order.getByTestId("rectify-Report").click();
    await order.getByLabel("整改情况 / 意见").fill("整改完成，申请销号");
    await order.getByTestId("rectify-Claim").click();
    await order.getByTestId("rectification-state").filter({ hasText: "待验收" }).waitFor();
    await member.page.context().setOffline(false);
    await syncNow(member.page);
    await member.page.reload();
    await member.page.getByTestId("rectification-order").first().getByTestId("rectification-state").filter({ hasText: "待验收" }).waitFor({ timeout: 20_000 });

    await syncNow(branch.page);
    await branch.page.goto(`/commitments/${COMMITMENT}`);
    const claimed = branch.page.getByTestId("rectification-order").filter({ has: branch.page.getByTestId("rectification-state").filter({ hasText: "待验收" }) }).first();
    await claimed.waitFor({ timeout: 20_000 });
    await claimed.getByTestId("rectify-Close").click();
    await syncNow(branch.page);
    const orders = (await evaluationOf(branch.page)).rectification_orders;
    const closed = orders.filter((o) => o.state === "Closed");
    assert.equal(closed.length, 1, JSON.stringify(orders));
    assert.deepEqual(closed[0].entries.map((e) => e.step), ["Report", "Claim", "Close"]);
    assert.equal(closed[0].entries[0].evidence[0].name, "整改记录.pdf", "the report's file went up offline-first");
    await branch.page.getByTestId("rectification-order").getByTestId("evidence-file").filter({ hasText: "整改记录.pdf" }).first().waitFor({ timeout: 20_000 });

    // The board: every grade, and the commendation list of the Excellent
    // (another commitment, scored high with nothing due left undone).
    await member.page.goto("/board");
    const published = member.page.getByTestId("published-results").first();
    await published.waitFor({ timeout: 20_000 });
    await published.getByTestId("commendations").locator("li").first().waitFor();
    const cadreLine = published.getByTestId("grade-line").filter({ hasText: "90.6" });
    assert.equal(await cadreLine.getByTestId("board-grade").textContent(), "基本合格");
    await screenshot(member.page, "board-results-360x780");
    // The commitment's own page on the board shows its grade, dated.
    await member.page.goto(`/board/${COMMITMENT}`);
    const own = member.page.getByTestId("published-results");
    await own.waitFor({ timeout: 20_000 });
    assert.equal(await own.getByTestId("grade-line").count(), 1, "only this commitment's line");
    assert.equal(await own.getByTestId("board-grade").textContent(), "基本合格");
    await own.getByText(`评定于 ${schoolDay(0)}`).waitFor();

    for (const phone of phones) assert.deepEqual(phone.errors, []);
  } finally {
    for (const phone of phones) await phone.close();
  }
});
