// Launches Debian's Chromium headless with a fresh profile, as the project's
// standards require. playwright-core drives it; it never downloads a browser.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync, mkdirSync } from "node:fs";
import { spawn } from "node:child_process";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

export const BASE_URL = process.env.CHENGNUO_URL ?? "http://127.0.0.1:3000";
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };
/** Screenshots the tests take, for anyone to look at (see README). */
export const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "output", "screenshots");

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/**
 * A persistent context (a real profile: service workers and the installability
 * check behave as for a person, unlike an incognito context).
 */
export async function launch({ locale = "zh-CN", viewport = PHONE, timezoneId } = {}) {
  const profile = mkdtempSync(join(tmpdir(), "chengnuo-chromium-"));
  const open = async (offline) => {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      args: ARGS,
      locale,
      viewport,
      offline,
      ...(timezoneId ? { timezoneId } : {}),
      baseURL: BASE_URL,
    });
    context.setDefaultTimeout(10_000);
    const page = context.pages()[0] ?? (await context.newPage());
    // The page's last console errors: a wasm trap ("unreachable") is printed
    // with them, since a panic's message is written there just before.
    const recent = [];
    page.on("console", (m) => {
      if (process.env.BROWSER_CONSOLE === "all") console.error(`console.${m.type()}:`, m.text().slice(0, 500));
      if (m.type() !== "error") return;
      const text = m.text().slice(0, 2000);
      if (process.env.BROWSER_CONSOLE) console.error("console:", text);
      if (text.startsWith("Failed to load resource")) return;
      recent.push(text);
      if (recent.length > 5) recent.shift();
    });
    page.on("pageerror", (error) => {
      browser.errors.push(String(error));
      console.error(`page error at ${page.url()}: ${error}\n  ${error.stack ?? ""}\n  after: ${JSON.stringify(recent)}`);
    });
    return { context, page };
  };
  const browser = {
    errors: [],
    async close() {
      await browser.context.close();
      rmSync(profile, { recursive: true, force: true });
    },
    /** Closes the browser and opens it again on the same profile (offline, if asked). */
    async reopen({ offline = false } = {}) {
      await browser.context.close();
      Object.assign(browser, await open(offline));
      return browser.page;
    },
  };
  Object.assign(browser, await open(false));
  return browser;
}

/** Waits until a service worker controls the page and has its cache filled. */
export async function waitForServiceWorker(page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) =>
        navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }),
      );
    }
  });
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // From the top: a sticky bar scrolled along would be drawn mid-page.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Every form control has a visible label (an associated <label> or one around it). */
export async function unlabelledControls(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((control) => control.type !== "hidden")
      .filter((control) => ![...(control.labels ?? [])].some((label) => label.innerText.trim() !== ""))
      .map((control) => control.outerHTML),
  );
}

/** The app's files the service worker keeps for offline use (their paths). */
export async function cachedAppFiles(page) {
  return page.evaluate(async () => {
    const paths = [];
    for (const key of await caches.keys()) {
      const cache = await caches.open(key);
      for (const request of await cache.keys()) paths.push(new URL(request.url).pathname);
    }
    return paths;
  });
}

/** Waits until the service worker keeps a part of the app named `name` (e.g. "split_review_screen"). */
export async function waitForCachedPart(page, name, timeout = 20_000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    if ((await cachedAppFiles(page)).some((path) => path.includes(name))) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`the service worker never kept ${name}`);
}

/**
 * Chromium in a process of its own on a persistent profile, driven over CDP,
 * that can be killed with SIGKILL as Android kills a browser in the
 * background (nothing flushed, no pagehide): `kill()`, then `killable(profile)`
 * again on the same profile. Pages need absolute addresses (`BASE_URL + path`).
 */
export async function killable({ profile, locale = "zh-CN", viewport = PHONE, offline = false } = {}) {
  profile ??= mkdtempSync(join(tmpdir(), "chengnuo-chromium-"));
  const child = spawn(
    process.env.CHROMIUM ?? "/usr/bin/chromium",
    [...ARGS, "--headless", `--user-data-dir=${profile}`, "--remote-debugging-port=0", `--lang=${locale}`, `--accept-lang=${locale}`, "about:blank"],
    { detached: true, stdio: ["ignore", "ignore", "pipe"] },
  );
  const address = await new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${seen}`)), 20_000);
    child.stderr.on("data", (chunk) => {
      seen += chunk;
      const found = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (found) {
        clearTimeout(timer);
        resolve(found[1]);
      }
    });
  });
  const connected = await chromium.connectOverCDP(address);
  const context = connected.contexts()[0];
  context.setDefaultTimeout(10_000);
  if (offline) await context.setOffline(true);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.setViewportSize(viewport);
  const errors = [];
  page.on("pageerror", (error) => {
    errors.push(String(error));
    console.error(`page error at ${page.url()}: ${error}\n  ${error.stack ?? ""}`);
  });
  return {
    profile,
    context,
    page,
    errors,
    /** SIGKILL to the browser and every process of it. */
    kill() {
      process.kill(-child.pid, "SIGKILL");
      return new Promise((resolve) => (child.exitCode !== null || child.signalCode ? resolve() : child.once("exit", resolve)));
    },
    async close() {
      await connected.close().catch(() => {});
      try { process.kill(-child.pid, "SIGKILL"); } catch {}
    },
    remove() {
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
