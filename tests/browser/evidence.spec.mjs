// 佐证材料 (issue 14): a member offline attaches a 12-megapixel photo and a
// PDF to two ledger entries; the photo is scaled on the phone, both are kept
// in IndexedDB across a reload, and once online each file reaches the server
// once, though the answer to the photo's upload is lost on the way.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, screenshot, waitForServiceWorker } from "./support/browser.mjs";
import { signIn, synced, schoolDay } from "./support/flow.mjs";
import { twelveMegapixelPhoto } from "./support/photo.mjs";
import { filesOnDevice } from "./support/device.mjs";

const NARROW = { width: 360, height: 780 };

test("a photo and a PDF attached offline are scaled, kept, and uploaded once though an answer is lost", async () => {
  const member = await launch({ viewport: NARROW, timezoneId: "Asia/Shanghai" });
  try {
    let page = member.page;
    await signIn(page, "cadre");
    await synced(page);
    await waitForServiceWorker(page);
    await page.getByTestId("commitment-card").getByRole("link").first().click();
    await page.getByTestId("fulfilment").waitFor();
    const commitment = new URL(page.url()).pathname.split("/").pop();
    const photo = await twelveMegapixelPhoto(page);
    console.log(`# the generated 4000×3000 photo: ${photo.length} bytes`);

    await page.context().setOffline(true);
    const item = page.getByTestId("fulfilment-item").first();
    const started = Date.now();
    await item.getByLabel("佐证材料（拍照、相册或 PDF，可多选）").setInputFiles({
      name: "IMG_4032.jpg",
      mimeType: "image/jpeg",
      buffer: photo,
    });
    await item.locator(".record-progress").getByTestId("evidence-file").filter({ hasText: "IMG_4032.jpg" }).waitFor({ timeout: 20_000 });
    console.log(`# scaling the 12-megapixel photo on the phone, hashing and keeping it: ${Date.now() - started} ms`);
    await item.getByLabel("做了什么").fill("走访三个宿舍，收集意见 12 条（附照片）");
    await item.getByLabel("在公示栏公开这条记录及其材料").check();
    await item.getByRole("button", { name: "记录进展" }).click();
    let first = item.getByTestId("ledger-entry").filter({ hasText: "走访三个宿舍" });
    await first.filter({ hasText: "待同步" }).waitFor();
    // The second entry, with a PDF, not public.
    const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
    await item.getByLabel("佐证材料（拍照、相册或 PDF，可多选）").setInputFiles({ name: "签到表.pdf", mimeType: "application/pdf", buffer: pdf });
    await item.locator(".record-progress").getByTestId("evidence-file").filter({ hasText: "签到表.pdf" }).waitFor();
    // A file that is not what its name says is refused, by name, in words.
    await item.getByLabel("佐证材料（拍照、相册或 PDF，可多选）").setInputFiles({ name: "report.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html><script>alert(1)</script>") });
    await item.locator(".field-error").filter({ hasText: "report.pdf: 只能添加照片（JPEG、PNG、WebP）或 PDF 文件。" }).waitFor();
    // The device refuses to keep a file (storage full): that file is named
    // with the reason, nothing else is lost, the text typed stays.
    await item.getByLabel("做了什么").fill("第二次集中学习，签到表见附件");
    await page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      window.__restorePut = () => { IDBObjectStore.prototype.put = put; };
      IDBObjectStore.prototype.put = function () {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    });
    await item.getByLabel("佐证材料（拍照、相册或 PDF，可多选）").setInputFiles({ name: "会议记录.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n% minutes\n") });
    await item.locator(".field-error").filter({ hasText: "会议记录.pdf: 本设备无法保存这个文件（存储空间不足或被浏览器拒绝），未添加；已填写的内容都还在。" }).waitFor();
    await page.evaluate(() => window.__restorePut());
    assert.equal(await item.getByLabel("做了什么").inputValue(), "第二次集中学习，签到表见附件");
    assert.equal(await item.locator(".record-progress").getByTestId("evidence-file").filter({ hasText: "签到表.pdf" }).count(), 1);
    await item.getByRole("button", { name: "记录进展" }).click();
    await item.getByTestId("ledger-entry").filter({ hasText: "第二次集中学习" }).filter({ hasText: "待同步" }).waitFor();
    await screenshot(page, "evidence-offline-360x780");

    // A reload offline: both entries, the photo shown from the device, scaled.
    await page.reload();
    await first.getByRole("img").waitFor();
    await first.getByRole("img").scrollIntoViewIfNeeded();
    const size = await first.getByRole("img").evaluate(async (img) => {
      await img.decode();
      return [img.naturalWidth, img.naturalHeight];
    });
    assert.deepEqual(size, [1600, 1200]);
    assert.equal(await filesOnDevice(page), 2);
    // The browser closed and opened again, still offline: all there.
    const url = page.url();
    page = await member.reopen({ offline: true });
    await page.goto(url);
    first = page.getByTestId("fulfilment-item").first().getByTestId("ledger-entry").filter({ hasText: "走访三个宿舍" });
    await first.filter({ hasText: "待同步" }).getByRole("img").waitFor();
    await page.getByTestId("ledger-entry").filter({ hasText: "第二次集中学习" }).filter({ hasText: "待同步" }).getByTestId("evidence-file").waitFor();
    assert.equal(await filesOnDevice(page), 2);

    // Online: the photo's upload reaches the server but its answer is lost.
    let puts = 0;
    let heads = 0;
    await page.route("**/api/commitments/*/evidence/*", async (route) => {
      const method = route.request().method();
      if (method === "HEAD") heads += 1;
      if (method !== "PUT") return route.continue();
      puts += 1;
      if (puts === 1) {
        await route.fetch();
        return route.abort("connectionreset");
      }
      return route.continue();
    });
    await page.context().setOffline(false);
    await page.getByRole("button", { name: "立即同步" }).click();
    await synced(page);
    await first.filter({ hasNotText: "待同步" }).waitFor();
    assert.equal(puts, 2, "the photo once (its answer lost), the PDF once; the photo not sent again");
    assert.ok(heads >= 3, `asked before each upload: ${heads}`);

    const ledger = await page.evaluate(async (id) => (await fetch(`/api/commitments/${id}/ledger`)).json(), commitment);
    const photoEntries = ledger.entries.filter((e) => e.text.startsWith("走访三个宿舍"));
    const pdfEntries = ledger.entries.filter((e) => e.text.startsWith("第二次集中学习"));
    assert.equal(photoEntries.length, 1);
    assert.equal(pdfEntries.length, 1);
    const [stored] = photoEntries[0].evidence;
    assert.equal(stored.kind, "Jpeg");
    assert.ok(stored.size < 1_000_000 && stored.size > 20_000, `${stored.size} bytes`);
    console.log(`# the photo as stored: ${stored.size} bytes (from ${photo.length})`);
    assert.equal(photoEntries[0].public, true);
    assert.equal(pdfEntries[0].evidence[0].kind, "Pdf");
    assert.equal(pdfEntries[0].date, schoolDay(0));
    // The device forgets what the server has.
    const until = Date.now() + 10_000;
    while ((await filesOnDevice(page)) !== 0) {
      assert.ok(Date.now() < until, "the device still keeps files the server has");
      await page.waitForTimeout(100);
    }
    // The public entry's photo is anyone's; the PDF only the chain's.
    const visitor = await launch({ viewport: NARROW });
    try {
      const v = visitor.page;
      await v.goto("/board");
      const statuses = await v.evaluate(async ([id, photo, pdf]) => [
        (await fetch(`/api/commitments/${id}/evidence/${photo}`)).status,
        (await fetch(`/api/commitments/${id}/evidence/${pdf}`)).status,
      ], [commitment, stored.hash, pdfEntries[0].evidence[0].hash]);
      assert.deepEqual(statuses, [200, 404]);
      // On the board: the public entry, with its photo, under its item; not the other.
      await v.goto(`/board/${commitment}`);
      const shown = v.getByTestId("public-ledger-entry").filter({ hasText: "走访三个宿舍" });
      await shown.getByRole("img").waitFor();
      await shown.getByRole("img").scrollIntoViewIfNeeded();
      const width = await shown.getByRole("img").evaluate(async (img) => { await img.decode(); return img.naturalWidth; });
      assert.equal(width, 1600);
      assert.equal(await v.getByTestId("public-ledger-entry").filter({ hasText: "第二次集中学习" }).count(), 0);
      await screenshot(v, "board-public-ledger-360x780");
      assert.deepEqual(visitor.errors, []);
    } finally {
      await visitor.close();
    }
    await screenshot(page, "evidence-synced-360x780");
    assert.deepEqual(member.errors, []);
  } finally {
    await member.close();
  }
});

test("unsynced ledger work with a photo moves by file to a second phone, which sends it", async () => {
  const first = await launch({ viewport: NARROW });
  const second = await launch({ viewport: NARROW });
  try {
    const page = first.page;
    await signIn(page, "cadre");
    await synced(page);
    await waitForServiceWorker(page);
    await page.getByTestId("commitment-card").getByRole("link").first().click();
    await page.getByTestId("fulfilment").waitFor();
    const commitment = new URL(page.url()).pathname.split("/").pop();
    const photo = await twelveMegapixelPhoto(page);
    await page.context().setOffline(true);
    const item = page.getByTestId("fulfilment-item").nth(1);
    await item.getByLabel("佐证材料（拍照、相册或 PDF，可多选）").setInputFiles({ name: "IMG_5001.jpg", mimeType: "image/jpeg", buffer: photo });
    await item.locator(".record-progress").getByTestId("evidence-file").filter({ hasText: "IMG_5001.jpg" }).waitFor({ timeout: 20_000 });
    await item.getByLabel("做了什么").fill("这部手机没电前记下的：开展谈心谈话 5 人次");
    await item.getByRole("button", { name: "记录进展" }).click();
    await item.getByTestId("ledger-entry").filter({ hasText: "开展谈心谈话" }).filter({ hasText: "待同步" }).waitFor();
    await page.goto("/");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "导出未同步内容" }).first().click();
    const file = await (await download).path();

    const other = second.page;
    await signIn(other, "cadre");
    await synced(other);
    await other.locator("#import-file").first().setInputFiles(file);
    await other.getByRole("status").filter({ hasText: "已导入。" }).waitFor();
    await other.getByRole("button", { name: "立即同步" }).click();
    await synced(other);
    const ledger = await other.evaluate(async (id) => (await fetch(`/api/commitments/${id}/ledger`)).json(), commitment);
    const arrived = ledger.entries.filter((e) => e.text.startsWith("这部手机没电前记下的"));
    assert.equal(arrived.length, 1);
    assert.equal(arrived[0].evidence.length, 1);
    const status = await other.evaluate(async ([id, hash]) => (await fetch(`/api/commitments/${id}/evidence/${hash}`)).status, [commitment, arrived[0].evidence[0].hash]);
    assert.equal(status, 200);
    assert.deepEqual(first.errors, []);
    assert.deepEqual(second.errors, []);
  } finally {
    await first.close();
    await second.close();
  }
});
