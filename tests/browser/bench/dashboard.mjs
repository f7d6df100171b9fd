// The supervision dashboard in headless Chromium on a phone (390×844): the
// office opens 督查 from the app bar; the time until the first chart is drawn,
// the first time (the dashboard's part fetched and compiled) and then five
// more times (part kept, the server's answer and the drawing), median.
import { launch } from "../support/browser.mjs";

const browser = await launch({ viewport: { width: 390, height: 844 } });
const { page } = browser;
await page.goto("/sign-in");
await page.getByLabel("账号").fill("office");
await page.getByLabel("密码").fill("chengnuo-demo");
await page.getByRole("button", { name: "登录" }).click();
await page.getByRole("heading", { level: 2, name: "我的公开承诺书" }).waitFor();
await page.getByTestId("pending").filter({ hasText: "已全部同步" }).waitFor({ timeout: 60_000 });

async function open() {
  const started = Date.now();
  await page.getByRole("link", { name: "督查" }).first().click();
  await page.getByTestId("completion-chart").locator("svg rect").first().waitFor({ timeout: 30_000 });
  const took = Date.now() - started;
  await page.getByRole("link", { name: "返回" }).click();
  await page.getByRole("heading", { level: 2, name: "我的公开承诺书" }).waitFor();
  return took;
}

const first = await open();
const times = [];
for (let run = 0; run < 5; run += 1) times.push(await open());
times.sort((a, b) => a - b);
const rows = await (await page.context().request.get("/api/dashboard")).json();
console.log(`dashboard: time to the first chart in headless Chromium (390x844, ${rows.rows.length} rows): first open ${first} ms (part fetched), then median ${times[2]} ms (min ${times[0]}, max ${times[4]})`);
await browser.close();
