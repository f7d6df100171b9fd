// Evidence on the phone, in headless Chromium at 360×780: scaling a
// 12-megapixel photo chosen in a ledger form (decode, draw at 1,600 px,
// encode JPEG, hash, keep in IndexedDB) until its thumbnail shows, median
// of 5 different photos; then recording an entry with one and syncing it
// (HEAD, PUT of the file, the push, the pull) against the local server.
import { launch } from "../support/browser.mjs";
import { twelveMegapixelPhoto } from "../support/photo.mjs";

const browser = await launch({ viewport: { width: 360, height: 780 } });
const { page } = browser;
await page.goto("/sign-in");
await page.getByLabel("账号").fill("cadre");
await page.getByLabel("密码").fill("chengnuo-demo");
await page.getByRole("button", { name: "登录" }).click();
await page.getByRole("heading", { level: 2, name: "我的公开承诺书" }).waitFor();
await page.getByTestId("pending").filter({ hasText: "已全部同步" }).waitFor({ timeout: 20_000 });
await page.getByTestId("commitment-card").getByRole("link").first().click();
await page.getByTestId("fulfilment").waitFor();
const item = page.getByTestId("fulfilment-item").first();
const form = item.locator(".record-progress:not(.plan-step-form)");
const input = item.getByLabel("佐证材料（拍照、相册或 PDF，可多选）");

const times = [];
let original = 0;
for (let run = 0; run < 5; run += 1) {
  const buffer = await twelveMegapixelPhoto(page, 11 + run);
  original = buffer.length;
  const name = `IMG_${run}.jpg`;
  const started = Date.now();
  await input.setInputFiles({ name, mimeType: "image/jpeg", buffer });
  await form.getByTestId("evidence-file").filter({ hasText: name }).waitFor({ timeout: 30_000 });
  times.push(Date.now() - started);
  if (run < 4) await form.getByTestId("evidence-file").filter({ hasText: name }).getByRole("button").click();
}
times.sort((a, b) => a - b);
console.log(`scaling a 12-megapixel photo (${original} B JPEG, 4000×3000) to 1600 px on the phone, hashing and keeping it (headless Chromium, 360x780): median ${times[2]} ms (min ${times[0]}, max ${times[4]})`);
await item.getByLabel("做了什么").fill("基准测试：带照片的一条记录");
await item.getByRole("button", { name: "记录进展" }).click();
const started = Date.now();
await page.getByRole("button", { name: "立即同步" }).click();
await page.getByTestId("pending").filter({ hasText: "已全部同步" }).waitFor({ timeout: 30_000 });
console.log(`recording that entry and syncing it with its scaled photo (HEAD, PUT, push, pull; local server): ${Date.now() - started} ms`);
await browser.close();
