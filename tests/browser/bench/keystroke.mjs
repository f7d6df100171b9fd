// Keydown to the next paint while typing into a draft of 20 items, in
// headless Chromium at 360×780, the CPU slowed 4 times (CDP
// Emulation.setCPUThrottlingRate) and not slowed. Measured by the browser's
// Event Timing API (a keydown's `duration`: from the key to the frame that
// shows it; entries under 16 ms are not reported and count as 16 ms, the
// API's floor). Prints p50, p95 and max of 120 keystrokes in each field kind.
import { launch } from "../support/browser.mjs";
import { signIn } from "../support/flow.mjs";

const browser = await launch({ viewport: { width: 360, height: 780 } });
const { page } = browser;
await signIn(page, "student");
await page.getByRole("link", { name: "打开" }).first().click();
await page.getByTestId("item").first().waitFor();
// 20 items.
while ((await page.getByTestId("item").count()) < 20) {
  await page.getByRole("button", { name: "添加事项" }).click();
}
const cdp = await page.context().newCDPSession(page);

async function measure(label, locator) {
  await page.evaluate(() => {
    window.__keydowns = [];
    window.__observer?.disconnect();
    window.__observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) if (entry.name === "keydown") window.__keydowns.push(entry.duration);
    });
    window.__observer.observe({ type: "event", durationThreshold: 16, buffered: false });
  });
  await locator.focus();
  await locator.press("End");
  const keys = 120;
  for (let n = 0; n < keys; n++) {
    await page.keyboard.press(n % 10 === 9 ? " " : "a");
    await page.waitForTimeout(60);
  }
  await page.waitForTimeout(500);
  const reported = await page.evaluate(() => window.__keydowns);
  const all = [...reported, ...Array(Math.max(0, keys - reported.length)).fill(16)].sort((a, b) => a - b);
  const at = (q) => all[Math.min(all.length - 1, Math.floor(q * all.length))];
  console.log(`keydown→paint, 20 items, ${label}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${all[all.length - 1]} ms (${reported.length} of ${keys} at 16 ms or more)`);
}

for (const rate of [1, 4]) {
  await cdp.send("Emulation.setCPUThrottlingRate", { rate });
  await measure(`CPU ×${rate}, the needs summary`, page.getByLabel("调研情况（师生的意愿和需求）"));
  await measure(`CPU ×${rate}, item 20's measures`, page.getByTestId("item").nth(19).getByLabel("具体措施"));
}
await browser.close();
