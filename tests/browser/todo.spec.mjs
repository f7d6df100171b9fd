// 待办 on the dashboard (issue: fulfilment on the phone, "everyone's to-do
// list"): decided on the device from the calendar and the commitments it
// holds, so it is there offline too.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, PHONE, DESKTOP, BASE_URL, screenshot, waitForServiceWorker } from "./support/browser.mjs";
import { signIn, synced, syncNow } from "./support/flow.mjs";

test("a published commitment's items become overdue on the to-do list as the days pass, offline too", async () => {
  const browser = await launch({ viewport: PHONE });
  try {
    const { page } = browser;
    await signIn(page, "cadre");
    await synced(page);
    const todo = page.getByTestId("todo");
    await todo.waitFor();
    // The fulfilment part is fetched and kept while online (a commitment of
    // this year is published): the item's page opens offline later.
    await page.waitForFunction(async () => {
      for (const name of await caches.keys()) {
        const cache = await caches.open(name);
        if ((await cache.keys()).some((r) => r.url.includes("split_fulfilment"))) return true;
      }
      return false;
    }, null, { polling: 200, timeout: 20_000 });
    // Published today: the deadlines are months away.
    assert.equal(await todo.getByTestId("todo-line").filter({ hasText: "已逾期" }).count(), 0);
    // The device's clock a year and a month later: every item is late.
    await page.clock.setFixedTime(new Date(Date.now() + 400 * 86_400_000));
    await page.context().setOffline(true);
    await page.reload();
    const overdue = todo.getByTestId("todo-line").filter({ hasText: "已逾期" });
    await overdue.first().waitFor();
    const items = await overdue.count();
    assert.ok(items >= 1, `${items} overdue`);
    assert.equal(await todo.getByTestId("todo-count").innerText(), String(items));
    await screenshot(page, "todo-overdue-390x844");
    await page.setViewportSize(DESKTOP);
    await screenshot(page, "todo-overdue-1280x800");
    await page.setViewportSize(PHONE);
    // The app bar counts them, and the commitment's card says it is late.
    assert.equal(await page.getByTestId("todo-badge").innerText(), String(items));
    await page.getByTestId("commitment-card").getByTestId("overdue-badge").waitFor();
    await overdue.first().getByRole("link").click();
    await page.waitForURL(/\/commitments\//);
    // The item itself is flagged too.
    await page.getByTestId("item-status").filter({ hasText: "已逾期" }).first().waitFor();
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("a branch secretary finds the commitments waiting for review on the to-do list", async () => {
  const browser = await launch({ viewport: PHONE });
  try {
    const { page } = browser;
    await signIn(page, "branch");
    await synced(page);
    const waiting = page.getByTestId("todo").getByTestId("todo-line").filter({ hasText: "待审核" });
    await waiting.first().waitFor();
    assert.ok((await waiting.count()) >= 1);
    await waiting.first().getByRole("link").click();
    await page.waitForURL(/\/review\//);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("with reminders allowed, what is new on the to-do list is notified once", async () => {
  const browser = await launch({ viewport: PHONE });
  try {
    const { page, context } = browser;
    await context.grantPermissions(["notifications"], { origin: BASE_URL });
    await signIn(page, "branch");
    await synced(page);
    await waitForServiceWorker(page);
    await page.getByTestId("reminders-on").waitFor();
    // At the latest with the next sync (one that could not be shown is tried again).
    await syncNow(page);
    const notifications = () =>
      page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => n.body));
    let shown = [];
    for (let i = 0; i < 50 && shown.length === 0; i++) {
      shown = await notifications();
      if (shown.length === 0) await page.waitForTimeout(100);
    }
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.match(shown[0], /^新的待办事项：\d+$/);
    // Dismissed; the app starting again and syncing bring nothing new: no reminder.
    await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).forEach((n) => n.close()));
    await page.reload();
    await syncNow(page);
    await page.waitForTimeout(500);
    assert.deepEqual(await notifications(), []);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
