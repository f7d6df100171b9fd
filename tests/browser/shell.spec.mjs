// The app shell: Chinese by default, English for an English browser or by
// choice (remembered), a not-found page, labelled controls, and it opens
// offline after one online visit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { launch, waitForServiceWorker, screenshot, unlabelledControls } from "./support/browser.mjs";

test("the home page renders in Chinese by default", async () => {
  const browser = await launch({ locale: "zh-CN" });
  try {
    const { page } = browser;
    await page.goto("/");
    await page.getByRole("heading", { level: 1, name: "公开承诺与考核评议" }).waitFor();
    assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
    assert.equal(await page.title(), "公开承诺与考核评议 · 承诺");
    assert.deepEqual(await unlabelledControls(page), []);
    await screenshot(page, "home-390x844-zh");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("an English browser gets English, and a switch to Chinese is remembered", async () => {
  const browser = await launch({ locale: "en-US" });
  try {
    const { page } = browser;
    await page.goto("/");
    await page.getByRole("heading", { level: 1, name: "Public commitments and assessment" }).waitFor();
    assert.equal(await page.getAttribute("html", "lang"), "en");
    await screenshot(page, "home-390x844-en");

    await page.getByLabel("Language").selectOption("zh-CN");
    await page.getByRole("heading", { level: 1, name: "公开承诺与考核评议" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "公开承诺与考核评议" }).waitFor();
    assert.equal(await page.getAttribute("html", "lang"), "zh-CN");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("a link changes the screen in place, and back and forward follow the address bar", async () => {
  const browser = await launch({ locale: "zh-CN" });
  try {
    const { page } = browser;
    await page.goto("/");
    await page.getByRole("heading", { level: 1, name: "公开承诺与考核评议" }).waitFor();
    // Gone if the page were loaded again.
    await page.evaluate(() => { window.sameDocument = true; });

    await page.getByRole("link", { name: "公开栏" }).click();
    await page.waitForURL("**/board");
    await page.getByRole("link", { name: "登录" }).first().click();
    await page.waitForURL("**/sign-in");
    await page.getByLabel("账号").waitFor();
    assert.equal(await page.evaluate(() => window.sameDocument), true);

    await page.goBack();
    await page.waitForURL("**/board");
    await page.getByLabel("账号").waitFor({ state: "detached" });
    await page.goBack();
    await page.getByRole("heading", { level: 1, name: "公开承诺与考核评议" }).waitFor();
    await page.goForward();
    await page.waitForURL("**/board");
    assert.equal(await page.evaluate(() => window.sameDocument), true);

    // An address typed or opened from elsewhere shows its screen too.
    await page.goto("/sign-in?next=x");
    await page.getByLabel("账号").waitFor();
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("the sign-in page labels its fields and unknown pages say so", async () => {
  const browser = await launch({ locale: "zh-CN" });
  try {
    const { page } = browser;
    await page.goto("/sign-in");
    await page.getByLabel("账号").waitFor();
    await page.getByLabel("密码").waitFor();
    assert.deepEqual(await unlabelledControls(page), []);
    await screenshot(page, "sign-in-390x844-zh");

    await page.goto("/no/such/page");
    await page.getByRole("heading", { level: 1, name: "页面不存在" }).waitFor();
  } finally {
    await browser.close();
  }
});

test("Chromium finds the app installable", async () => {
  const browser = await launch({ locale: "zh-CN" });
  try {
    const { page, context } = browser;
    await page.goto("/");
    await waitForServiceWorker(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    assert.deepEqual(installabilityErrors, []);
    const manifest = await cdp.send("Page.getAppManifest");
    assert.deepEqual(manifest.errors, []);
  } finally {
    await browser.close();
  }
});

test("a new version offers itself: update available, reload", async () => {
  const browser = await launch({ locale: "zh-CN" });
  try {
    const { page } = browser;
    await page.goto("/");
    await waitForServiceWorker(page);
    // The next deployment: a service worker that differs by a byte.
    const dist = process.env.CHENGNUO_DIST;
    assert.ok(dist, "the Rust test passes the server's own copy of the client");
    const worker = join(dist, "sw.js");
    writeFileSync(worker, readFileSync(worker, "utf8") + "\n// the next version\n");
    for (const compressed of ["sw.js.br", "sw.js.gz"]) rmSync(join(dist, compressed), { force: true });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.getByTestId("update-banner").waitFor();
    await page.evaluate(() => (window.beforeUpdate = true));
    await page.getByRole("button", { name: "重新加载" }).click();
    await page.waitForFunction(() => window.beforeUpdate === undefined);
    await page.getByRole("heading", { level: 1, name: "公开承诺与考核评议" }).waitFor();
    assert.equal(await page.getByTestId("update-banner").count(), 0);
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("after one online visit the app opens and navigates offline", async () => {
  const browser = await launch({ locale: "zh-CN" });
  try {
    const { page, context } = browser;
    await page.goto("/");
    await page.getByRole("heading", { level: 1, name: "公开承诺与考核评议" }).waitFor();
    await waitForServiceWorker(page);

    await context.setOffline(true);
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "公开承诺与考核评议" }).waitFor();
    await page.goto("/sign-in");
    await page.getByLabel("账号").waitFor();
    // Client-side navigation works offline too.
    await page.getByRole("link", { name: "承诺" }).click();
    await page.getByRole("heading", { level: 1, name: "公开承诺与考核评议" }).waitFor();
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});
