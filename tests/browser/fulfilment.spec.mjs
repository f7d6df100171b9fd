// Fulfilment on the phone (issue 14, the part built so far): the committer
// records progress and claims items offline, everything survives a reload
// and reaches the server once; the branch crosses one off and returns the
// other with a reason; the member sees why, records more, claims again; the
// branch crosses it off.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, PHONE, DESKTOP, screenshot } from "./support/browser.mjs";
import { signIn, synced, syncNow, schoolDay } from "./support/flow.mjs";
import { checkScreen } from "./support/screen.mjs";

async function openOwnCommitment(page) {
  await page.getByTestId("commitment-card").getByRole("link").first().click();
  await page.getByTestId("fulfilment").waitFor();
}

test("ledger entries and claims made offline reach the branch, which crosses off and returns with a reason", async () => {
  const member = await launch({ viewport: PHONE });
  const branch = await launch({ viewport: PHONE });
  try {
    const page = member.page;
    await signIn(page, "cadre");
    await synced(page);
    await openOwnCommitment(page);
    const items = page.getByTestId("fulfilment-item");
    const first = items.nth(0);
    const second = items.nth(1);
    // The published commitment's fields on a phone (ledger, plan, claim):
    // 16 px text, 44 px tall, at every phone width.
    assert.deepEqual(await checkScreen(page, "published commitment"), []);

    // Offline: an entry and a claim on item 1, a claim on item 2.
    await page.context().setOffline(true);
    await first.getByLabel("做了什么").fill("完成第一次集中辅导，签到 36 人");
    await first.getByRole("button", { name: "记录进展" }).click();
    await first.getByTestId("ledger-entry").filter({ hasText: "完成第一次集中辅导" }).filter({ hasText: "待同步" }).waitFor();
    await first.getByRole("button", { name: "申请销号" }).click();
    await first.getByTestId("item-status").filter({ hasText: "已申请销号" }).waitFor();
    await second.getByRole("button", { name: "申请销号" }).click();
    await second.getByTestId("item-status").filter({ hasText: "已申请销号" }).waitFor();

    // A plan for item 3: two steps, one taken out again.
    const third = items.nth(2);
    const day = schoolDay;
    await third.getByLabel("计划日期").fill(day(10));
    await third.getByLabel("计划做什么").fill("走访第一个教研室");
    await third.getByRole("button", { name: "添加步骤" }).click();
    await third.getByTestId("plan-step").filter({ hasText: "走访第一个教研室" }).waitFor();
    await third.getByLabel("计划日期").fill(day(40));
    await third.getByLabel("计划做什么").fill("走访第二个教研室");
    await third.getByRole("button", { name: "添加步骤" }).click();
    await third.getByTestId("plan-step").filter({ hasText: "走访第二个教研室" }).waitFor();
    await third.getByRole("button", { name: "删除 " + day(10) }).click();
    await third.getByTestId("plan-step").filter({ hasText: "走访第一个教研室" }).waitFor({ state: "detached" });
    await screenshot(page, "ledger-offline-390x844");
    // Typed and not yet recorded, key by key as on a phone (the form keeps
    // the cursor while the workspace saves each key): kept too.
    await items.nth(3).getByLabel("做了什么").click();
    await items.nth(3).getByLabel("做了什么").pressSequentially("写了一半的记录", { delay: 30 });
    await page.waitForTimeout(400);
    // A reload offline keeps all of it.
    await page.reload();
    await page.getByTestId("fulfilment").waitFor();
    await items.nth(0).getByTestId("ledger-entry").filter({ hasText: "完成第一次集中辅导" }).waitFor();
    assert.equal(await items.nth(0).getByTestId("item-status").innerText(), "已申请销号，待确认");
    assert.equal(await items.nth(1).getByTestId("item-status").innerText(), "已申请销号，待确认");
    assert.equal(await items.nth(3).getByLabel("做了什么").inputValue(), "写了一半的记录");
    const plan = await items.nth(2).getByTestId("plan-step").allInnerTexts();
    assert.equal(plan.length, 1, JSON.stringify(plan));
    assert.ok(plan[0].startsWith(`${day(40)} 走访第二个教研室`), JSON.stringify(plan));

    // Online: everything goes, the entry now from the server.
    await page.context().setOffline(false);
    await syncNow(page);
    await items.nth(0).getByTestId("ledger-entry").filter({ hasText: "完成第一次集中辅导" }).filter({ hasNotText: "待同步" }).waitFor();
    // Nothing waits any more: the plan shown is the server's.
    await items.nth(2).getByTestId("plan-step").filter({ hasText: "走访第二个教研室" }).waitFor();
    assert.equal(await items.nth(2).getByTestId("plan-step").count(), 1);

    // The branch finds both claims on its to-do list and decides.
    const b = branch.page;
    await signIn(b, "branch");
    await synced(b);
    const claims = b.getByTestId("todo-line").filter({ hasText: "申请销号，待确认" });
    assert.equal(await claims.count(), 2);
    await claims.first().getByRole("link").click();
    const theirs = b.getByTestId("fulfilment-item");
    await theirs.nth(0).getByTestId("ledger-entry").filter({ hasText: "完成第一次集中辅导" }).waitFor();
    await theirs.nth(0).getByRole("button", { name: "确认销号" }).click();
    await theirs.nth(0).getByTestId("item-status").filter({ hasText: "已销号" }).waitFor();
    // Returning without a reason is refused on the spot.
    await theirs.nth(1).getByRole("button", { name: "退回" }).click();
    await theirs.nth(1).locator(".field-error").filter({ hasText: "请写明理由。" }).waitFor();
    await theirs.nth(1).getByLabel("退回理由").fill("请补充活动照片");
    await theirs.nth(1).getByRole("button", { name: "退回" }).click();
    await theirs.nth(1).getByTestId("item-status").filter({ hasText: "进行中" }).waitFor();
    await syncNow(b);

    // The member sees the reason, records more, claims again.
    await syncNow(page);
    await items.nth(0).getByTestId("item-status").filter({ hasText: "已销号" }).waitFor();
    await items.nth(1).getByTestId("item-returned").filter({ hasText: "请补充活动照片" }).waitFor();
    await items.nth(1).getByLabel("做了什么").fill("补充了活动照片和签到表");
    await items.nth(1).getByRole("button", { name: "记录进展" }).click();
    await items.nth(1).getByRole("button", { name: "申请销号" }).click();
    await syncNow(page);

    // The branch crosses it off from the page of all claims (checked like
    // every screen: axe, widths, targets); the member sees both crossed off.
    await syncNow(b);
    await b.goto("/");
    await b.getByTestId("all-claims").click();
    const group = b.getByTestId("claim-group").filter({ hasText: "赵建国" });
    await group.getByTestId("ledger-entry").filter({ hasText: "补充了活动照片" }).waitFor();
    assert.deepEqual(await checkScreen(b, "claims"), []);
    await screenshot(b, "claims-390x844");
    await b.setViewportSize(DESKTOP);
    await screenshot(b, "claims-1280x800");
    await b.setViewportSize(PHONE);
    await group.getByRole("button", { name: "确认销号" }).click();
    await b.getByTestId("no-claims").waitFor();
    await syncNow(b);
    await syncNow(page);
    await items.nth(1).getByTestId("item-status").filter({ hasText: "已销号" }).waitFor();
    // The commitment's own history, fetched when opened: the branch's crossing off is in it.
    await page.getByTestId("history").locator("summary").click();
    await page.getByTestId("history-entry").filter({ hasText: "公示" }).first().waitFor();
    await page.getByTestId("history-entry").filter({ hasText: /· 销号$/ }).first().waitFor();
    await page.setViewportSize(DESKTOP);
    await screenshot(page, "ledger-1280x800");
    assert.deepEqual(member.errors, []);
    assert.deepEqual(branch.errors, []);

    // Anyone: the board shows the progress, in the list and on the entry.
    const visitor = await launch({ viewport: PHONE });
    try {
      const v = visitor.page;
      await v.goto("/board");
      const line = v.getByTestId("board-entry").filter({ hasText: "赵建国" });
      const total = await items.count();
      await line.getByTestId("progress").filter({ hasText: `已销号 2/${total}` }).waitFor();
      await line.getByRole("link").click();
      await v.getByTestId("progress").filter({ hasText: `已销号 2/${total}` }).waitFor();
      const done = v.getByTestId("board-item-status").filter({ hasText: "已销号" });
      await done.nth(1).waitFor();
      assert.equal(await done.count(), 2);
      assert.equal(await v.getByTestId("crossed-off-on").count(), 2);
      await screenshot(v, "board-progress-390x844");
      // The committee's page sums its commitments' progress.
      const committee = (await (await v.context().request.get(`/api/board/${new URL(v.url()).pathname.split("/").pop()}`)).json()).committee_id;
      await v.goto("/board");
      await v.getByLabel("分党委").selectOption(committee);
      const unit = v.getByTestId("unit-progress");
      await unit.getByTestId("progress").filter({ hasText: "已销号" }).waitFor();
      const summary = await unit.innerText();
      const [, crossed, all] = summary.match(/已销号 (\d+)\/(\d+)/);
      assert.ok(Number(crossed) >= 2 && Number(all) >= Number(crossed), summary);
      await v.setViewportSize(DESKTOP);
      await screenshot(v, "board-progress-1280x800");
      assert.deepEqual(visitor.errors, []);
    } finally {
      await visitor.close();
    }
  } finally {
    await member.close();
    await branch.close();
  }
});

test("a ledger entry the server refuses stays on the phone with the reason, and goes again once fixed", async () => {
  // A phone in Beijing whose clock is wrong: the entry it sends is dated
  // after the school's today (the push is rewritten on its way, as a clock
  // three days ahead would date it), and the server refuses it.
  const member = await launch({ viewport: PHONE, timezoneId: "Asia/Shanghai" });
  try {
    const page = member.page;
    await signIn(page, "cadre");
    await synced(page);
    await openOwnCommitment(page);
    const commitment = new URL(page.url()).pathname.split("/").pop();
    const ahead = schoolDay(3);
    await page.route("**/api/sync/push", async (route) => {
      const body = JSON.parse(route.request().postData());
      for (const operation of body.operations) {
        if (operation.change.type === "record_progress") operation.change.entry.date = ahead;
      }
      await route.continue({ postData: JSON.stringify(body) });
    });
    const open = page.getByTestId("fulfilment-item").filter({ has: page.getByTestId("item-status").filter({ hasText: "进行中" }) }).first();
    await open.waitFor();
    const heading = await open.locator("strong").first().innerText();
    const item = page.getByTestId("fulfilment-item").filter({ hasText: heading });
    const written = "三天后的记录：走访了三个宿舍，收集意见 12 条";
    await item.getByLabel("做了什么").fill(written);
    await item.getByRole("button", { name: "记录进展" }).click();
    await page.getByRole("button", { name: "立即同步" }).click();

    // Refused: the text and the reason beside the item, not lost.
    const refused = item.getByTestId("refused-work");
    await refused.filter({ hasText: written }).waitFor({ timeout: 20_000 });
    assert.match(await refused.innerText(), /日期不能晚于今天（\d{4}-\d{2}-\d{2}，学校所在时区）/);
    await screenshot(page, "ledger-refused-390x844");
    // Still there after a reload.
    await page.reload();
    await item.getByTestId("refused-work").filter({ hasText: written }).waitFor();

    // The clock is put right; the person takes the entry back into the form,
    // fixes the date and records it again.
    await page.unroute("**/api/sync/push");
    await item.getByRole("button", { name: "放回表单修改后重新提交" }).click();
    assert.equal(await item.getByLabel("做了什么").inputValue(), written);
    assert.equal(await item.getByTestId("refused-work").count(), 0);
    await item.getByLabel("日期", { exact: true }).fill(schoolDay(0));
    await item.getByRole("button", { name: "记录进展" }).click();
    await syncNow(page);
    await item.getByTestId("ledger-entry").filter({ hasText: written }).filter({ hasNotText: "待同步" }).waitFor();
    const kept = await page.evaluate(async (id) => {
      const ledger = await (await fetch(`/api/commitments/${id}/ledger`)).json();
      return ledger.entries.map((e) => [e.date, e.text]);
    }, commitment);
    const mine = kept.filter(([, text]) => text === written);
    assert.deepEqual(mine, [[schoolDay(0), written]]);
    assert.deepEqual(member.errors, []);
  } finally {
    await member.close();
  }
});
