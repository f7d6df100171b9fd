// The status tells the truth, and a submission can be taken back (issue:
// nothing typed is lost on a real phone network, "a status that tells the
// truth").
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, waitForServiceWorker, PHONE } from "./support/browser.mjs";
import { synced } from "./support/flow.mjs";

async function signIn(page, login) {
  await page.goto("/sign-in");
  await page.getByLabel("账号").fill(login);
  await page.getByLabel("密码").fill("chengnuo-demo");
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("heading", { level: 2, name: "我的公开承诺书" }).waitFor({ timeout: 30_000 });
}

test("before the first sync the dashboard says so, and a server that cannot be reached is not called offline", async () => {
  const browser = await launch({ viewport: PHONE });
  try {
    const { page } = browser;
    // Signing in works; everything after it fails while the network is up.
    let failing = true;
    await page.route(/\/api\/(sync|cycles|org|me)/, (route) => (failing ? route.abort("connectionreset") : route.continue()));
    await signIn(page, "member");
    await page.getByTestId("not-synced").waitFor();
    assert.equal(await page.getByText("当前没有进行中的年度承诺").count(), 0, "not 'no cycle'");
    await page.getByTestId("network").filter({ hasText: /无法连接服务器，\d+ 秒后重试/ }).waitFor();
    assert.equal(await page.getByTestId("network").filter({ hasText: "离线" }).count(), 0);
    failing = false;
    await page.getByRole("button", { name: "立即同步" }).click();
    await page.getByRole("button", { name: "开始起草" }).waitFor();
    await page.getByTestId("network").filter({ hasText: "在线" }).waitFor();
    assert.equal(await page.getByTestId("not-synced").count(), 0);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("a submission nobody reviewed is withdrawn offline, edited and synced; the reviewer's open screen follows", async () => {
  const cadre = await launch({ viewport: PHONE });
  const branch = await launch({ viewport: PHONE });
  try {
    await signIn(cadre.page, "cadre");
    const cycle = await (await cadre.context.request.get("/api/cycles/current")).json();
    const me = await (await cadre.context.request.get("/api/me")).json();
    const all = await (await cadre.context.request.get(`/api/commitments?cycle=${cycle.id}`)).json();
    const submitted = all.find((c) => c.committer.id === me.person.id);
    assert.equal(submitted.state, "Submitted");

    // The branch secretary has the review screen open.
    await signIn(branch.page, "branch");
    await branch.page.goto(`/review/${submitted.id}`);
    await branch.page.getByRole("button", { name: "审核通过" }).waitFor();

    await waitForServiceWorker(cadre.page);
    await cadre.page.goto(`/commitments/${submitted.id}`);
    await cadre.context.setOffline(true);
    await cadre.page.getByRole("button", { name: "撤回修改" }).click();
    // Editable again at once, offline.
    const summary = cadre.page.getByLabel("调研情况（师生的意愿和需求）");
    await summary.waitFor();
    await summary.fill("撤回后补充的调研情况");
    await cadre.page.getByTestId("pending").filter({ hasText: "条修改待同步" }).waitFor();
    await cadre.context.setOffline(false);
    await synced(cadre.page);
    const after = await (await cadre.context.request.get(`/api/commitments/${submitted.id}`)).json();
    assert.equal(after.state, "Draft");
    assert.equal(after.draft.needs_summary, "撤回后补充的调研情况");

    // The reviewer's screen, synced, no longer offers a decision on a draft.
    await branch.page.getByRole("button", { name: "立即同步" }).click();
    await synced(branch.page);
    await branch.page.getByRole("button", { name: "审核通过" }).waitFor({ state: "detached" });
    await branch.page.getByText("起草中").first().waitFor();
    assert.deepEqual(cadre.errors, []);
    assert.deepEqual(branch.errors, []);
  } finally {
    await cadre.close();
    await branch.close();
  }
});

test("the status stays in view at the bottom of a long form, and the focus follows a new item", async () => {
  const browser = await launch({ viewport: { width: 360, height: 640 } });
  try {
    const { page } = browser;
    await signIn(page, "student");
    await page.getByTestId("commitment-card").getByRole("link").first().click();
    for (let n = 0; n < 4; n += 1) await page.getByRole("button", { name: "添加事项" }).click();
    await page.getByRole("button", { name: "提交审核" }).scrollIntoViewIfNeeded();
    const box = await page.locator(".sync-status").boundingBox();
    assert.ok(box && box.y >= -1 && box.y < 5, `the status bar sticks to the top (y ${box?.y})`);
    assert.ok(await page.getByTestId("pending").isVisible());
    // The focus follows the items: a new item's first field.
    await page.waitForFunction(() => /^item-.*-area$/.test(document.activeElement?.id ?? ""), null, { timeout: 2000 });
    // Moving an item up keeps the focus on its button; removing one moves it to the next item.
    const last = page.getByTestId("item").last();
    const lastId = (await last.getByLabel("承诺方向").getAttribute("id")).replace(/-area$/, "");
    const focusOn = (id) => page.waitForFunction((id) => document.activeElement?.id === id, id, { timeout: 2000 });
    await last.getByRole("button", { name: "上移" }).click();
    await focusOn(`${lastId}-up`);
    const count = await page.getByTestId("item").count();
    const second = page.getByTestId("item").nth(1);
    const thirdId = await page.getByTestId("item").nth(2).getByLabel("承诺方向").getAttribute("id");
    await second.getByRole("button", { name: "删除" }).click();
    assert.equal(await page.getByTestId("item").count(), count - 1);
    await focusOn(thirdId);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("a new screen's heading takes the focus, unless the person already tapped a field of it", async () => {
  const browser = await launch({ viewport: { width: 360, height: 640 } });
  try {
    const { page } = browser;
    await signIn(page, "student");
    // Nobody touches anything: the heading, for a screen reader.
    await page.getByTestId("commitment-card").getByRole("link", { name: "打开" }).first().click();
    await page.waitForFunction(() => document.activeElement?.tagName === "H1", null, { timeout: 2000 });
    await page.locator("a.back").click();
    await page.getByTestId("commitment-card").waitFor();
    // A slow phone: the screen is drawn before the focus moves (the move
    // waits 50 ms; here 1.5 s), and the person taps a field and types.
    await page.evaluate(() => {
      const later = window.setTimeout;
      window.setTimeout = (f, ms, ...rest) => later(f, ms === 50 ? 1500 : ms, ...rest);
    });
    await page.getByTestId("commitment-card").getByRole("link", { name: "打开" }).first().click();
    const field = page.getByLabel("调研情况（师生的意愿和需求）");
    await field.fill("");
    await field.pressSequentially("先点了输入框");
    await page.waitForTimeout(2000);
    assert.equal(await page.evaluate(() => document.activeElement?.id), "needs-summary");
    await field.pressSequentially("，接着打字");
    assert.equal(await field.inputValue(), "先点了输入框，接着打字");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("a person changes their own password from the app bar; the old one no longer signs in", async () => {
  const browser = await launch({ viewport: PHONE });
  try {
    const { page } = browser;
    await signIn(page, "leader");
    await page.locator(".app-bar").getByRole("link", { name: "孙明华" }).click();
    await page.getByRole("heading", { level: 1, name: "我的账号" }).waitFor();
    await page.getByLabel("当前密码").fill("not-the-password");
    await page.getByLabel("新密码", { exact: true }).fill("新的密码要够十个字符");
    await page.getByLabel("再输入一次新密码").fill("新的密码要够十个字符");
    await page.getByRole("button", { name: "修改密码" }).click();
    await page.getByText("当前密码不正确。").waitFor();
    await page.getByLabel("当前密码").fill("chengnuo-demo");
    await page.getByLabel("再输入一次新密码").fill("不一样");
    await page.getByRole("button", { name: "修改密码" }).click();
    await page.getByText("两次输入的新密码不一致。").waitFor();
    await page.getByLabel("再输入一次新密码").fill("新的密码要够十个字符");
    await page.getByRole("button", { name: "修改密码" }).click();
    await page.getByRole("status").filter({ hasText: "密码已修改" }).waitFor();

    const old = await page.request.post("/api/auth/login", { data: { login: "leader", password: "chengnuo-demo" } });
    assert.equal(old.status(), 401);
    const fresh = await page.request.post("/api/auth/login", { data: { login: "leader", password: "新的密码要够十个字符" } });
    assert.equal(fresh.status(), 200);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
