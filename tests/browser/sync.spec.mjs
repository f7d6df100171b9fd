// Two devices, a lost response, and a reviewer working offline
// (issue: offline-first client, tests 2, 3 and 5).
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, screenshot, waitForServiceWorker, PHONE, DESKTOP } from "./support/browser.mjs";

async function signIn(page, login) {
  await page.goto("/sign-in");
  await page.getByLabel("账号").fill(login);
  await page.getByLabel("密码").fill("chengnuo-demo");
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("heading", { level: 2, name: "我的公开承诺书" }).waitFor();
}

async function synced(page) {
  await page.getByTestId("pending").filter({ hasText: "已全部同步" }).waitFor({ timeout: 20_000 });
}

async function createOnline(page, context) {
  const cycle = await (await context.request.get("/api/cycles/current")).json();
  await page.getByRole("button", { name: "开始起草" }).click();
  const item = page.getByTestId("item").nth(0);
  await item.getByLabel("承诺方向").selectOption("M1");
  await item.getByLabel("承诺事项").fill("主讲两门专业课");
  await item.getByLabel("具体措施").fill("每两周答疑一次");
  await item.getByLabel("完成时限").fill(cycle.calendar.fulfilment_until);
  await synced(page);
  return { cycle, url: page.url() };
}

async function ownCommitment(context, cycle) {
  const me = await (await context.request.get("/api/me")).json();
  const all = await (await context.request.get(`/api/commitments?cycle=${cycle.id}`)).json();
  return all.filter((c) => c.committer.id === me.person.id);
}

test("the same commitment edited offline on two devices: one wins, the other merges, nothing is lost", async () => {
  const phone = await launch({ viewport: PHONE });
  const laptop = await launch({ viewport: DESKTOP });
  try {
    await signIn(phone.page, "member");
    const { cycle, url } = await createOnline(phone.page, phone.context);
    await signIn(laptop.page, "member");
    await laptop.page.goto(url);
    await laptop.page.getByTestId("item").nth(0).waitFor();

    await phone.context.setOffline(true);
    await laptop.context.setOffline(true);
    // The phone writes the consultation summary and adds an item...
    await phone.page.getByLabel("调研情况（师生的意愿和需求）").fill("手机上写的调研情况");
    await phone.page.getByRole("button", { name: "添加事项" }).click();
    await phone.page.getByTestId("item").nth(1).getByLabel("承诺事项").fill("手机上加的事项");
    // ...the laptop changes the first item's measures and adds another.
    await laptop.page.getByTestId("item").nth(0).getByLabel("具体措施").fill("电脑上改的措施：每周答疑一次");
    await laptop.page.getByRole("button", { name: "添加事项" }).click();
    await laptop.page.getByTestId("item").nth(1).getByLabel("承诺事项").fill("电脑上加的事项");
    await phone.page.waitForTimeout(400);

    await phone.context.setOffline(false);
    await synced(phone.page);
    await laptop.context.setOffline(false);
    await laptop.page.getByTestId("conflict").waitFor({ timeout: 20_000 });
    assert.equal(await laptop.page.getByTestId("server-summary").innerText(), "手机上写的调研情况");
    await screenshot(laptop.page, "conflict-1280x800");
    // Keep the phone's summary, the laptop's first item, and both new items.
    await laptop.page.getByTestId("conflict").getByLabel("用服务器上的").first().check();
    await laptop.page.getByRole("button", { name: "保存合并结果" }).click();
    await synced(laptop.page);

    const [commitment] = await ownCommitment(laptop.context, cycle);
    assert.equal(commitment.draft.needs_summary, "手机上写的调研情况");
    const contents = commitment.draft.items.map((i) => i.content);
    assert.ok(contents.includes("手机上加的事项"), contents.join(" | "));
    assert.ok(contents.includes("电脑上加的事项"), contents.join(" | "));
    assert.equal(commitment.draft.items[0].measures, "电脑上改的措施：每周答疑一次");
    assert.deepEqual(phone.errors, []);
    assert.deepEqual(laptop.errors, []);
  } finally {
    await phone.close();
    await laptop.close();
  }
});

test("a push whose response is lost is retried and applied once", async () => {
  const browser = await launch({ viewport: PHONE });
  try {
    const { page, context } = browser;
    await signIn(page, "member");
    const cycle = await (await context.request.get("/api/cycles/current")).json();
    const [before] = await ownCommitment(context, cycle);
    const auditBefore = await (await context.request.get(`/api/commitments/${before.id}/audit`)).json();
    let dropped = 0;
    await page.route("**/api/sync/push", async (route) => {
      if (dropped === 0) {
        dropped += 1;
        await route.fetch(); // the server applies it...
        await route.abort("connectionreset"); // ...and the answer never arrives
        return;
      }
      await route.continue();
    });
    await page.goto(`/commitments/${before.id}`);
    await page.getByLabel("调研情况（师生的意愿和需求）").fill("应答丢失后重试的修改");
    await page.getByTestId("pending").filter({ hasText: "1 条修改待同步" }).waitFor();
    await synced(page);
    assert.equal(dropped, 1);
    const [after] = await ownCommitment(context, cycle);
    assert.equal(after.draft.needs_summary, "应答丢失后重试的修改");
    assert.equal(after.revision, before.revision + 1, "applied once");
    const auditAfter = await (await context.request.get(`/api/commitments/${before.id}/audit`)).json();
    assert.equal(auditAfter.length, auditBefore.length + 1);
  } finally {
    await browser.close();
  }
});

test("a branch secretary reviews offline; the decisions reach the server; a stale one is shown", async () => {
  const browser = await launch({ viewport: PHONE });
  const committee = await launch({ viewport: DESKTOP });
  try {
    const { page, context } = browser;
    await signIn(page, "branch");
    const queue = page.locator(".queue li");
    await queue.nth(2).waitFor();
    const links = await queue.getByRole("link", { name: "审核" }).evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const [approveId, returnId, staleId] = links.slice(0, 3).map((href) => href.split("/").pop());

    // Offline navigation needs the service worker in control first.
    await waitForServiceWorker(page);
    await context.setOffline(true);
    await page.goto(`/review/${approveId}`);
    for (const criterion of ["体现先进性要求", "以正在干的事情为中心", "体现岗位、职责特点", "符合师生意愿", "切实可行"]) {
      await page.getByLabel(criterion).check();
    }
    await screenshot(page, "review-390x844");
    await page.getByRole("button", { name: "审核通过" }).click();
    await page.getByText("审核意见已记录；联网后送达。").waitFor();

    await page.goto(`/review/${returnId}`);
    await page.getByRole("button", { name: "退回修改" }).click();
    await page.getByText("退回修改须写明指导意见。").waitFor();
    await page.getByLabel("指导意见（退回时必填）").fill("第二项措施请写明每月安排");
    await page.getByRole("button", { name: "退回修改" }).click();
    await page.getByText("审核意见已记录；联网后送达。").waitFor();

    await page.goto(`/review/${staleId}`);
    for (const criterion of ["体现先进性要求", "以正在干的事情为中心", "体现岗位、职责特点", "符合师生意愿", "切实可行"]) {
      await page.getByLabel(criterion).check();
    }
    await page.getByRole("button", { name: "审核通过" }).click();

    // Meanwhile the committee secretary returns that one.
    await signIn(committee.page, "committee");
    const current = await (await committee.context.request.get(`/api/commitments/${staleId}`)).json();
    const returned = await committee.context.request.post(`/api/commitments/${staleId}/review`, {
      data: { base_revision: current.revision, review: { criteria: {}, decision: "Return", guidance: "请先补充调研情况" } },
    });
    assert.equal(returned.status(), 200);

    await context.setOffline(false);
    await synced(page);
    const approved = await (await context.request.get(`/api/commitments/${approveId}`)).json();
    assert.equal(approved.state, "Approved");
    const sentBack = await (await context.request.get(`/api/commitments/${returnId}`)).json();
    assert.equal(sentBack.state, "Returned");
    assert.equal(sentBack.reviews.at(-1).guidance, "第二项措施请写明每月安排");
    const stale = await (await context.request.get(`/api/commitments/${staleId}`)).json();
    assert.equal(stale.state, "Returned");
    assert.equal(stale.reviews.at(-1).guidance, "请先补充调研情况");
    await page.goto(`/review/${staleId}`);
    await page.getByTestId("stale").waitFor();
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    await committee.close();
  }
});
