// Unsynced work moves to another device by file, and a storage that refuses
// to save is shown plainly (issue: offline-first client).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { launch, waitForServiceWorker, PHONE } from "./support/browser.mjs";
import { signIn, synced } from "./support/flow.mjs";

test("unsynced work exported on one phone is imported on another and reaches the server", async () => {
  const old = await launch({ viewport: PHONE });
  const fresh = await launch({ viewport: PHONE });
  try {
    await signIn(old.page, "member");
    await waitForServiceWorker(old.page);
    await old.context.setOffline(true);
    await old.page.getByRole("button", { name: "开始起草" }).click();
    await old.page.getByLabel("调研情况（师生的意愿和需求）").fill("旧手机上写的、还没同步的调研情况");
    await old.page.getByTestId("item").nth(0).getByLabel("承诺事项").fill("旧手机上写的事项");
    await old.page.getByTestId("pending").filter({ hasText: "待同步" }).waitFor();
    await old.page.waitForTimeout(400);
    await old.page.goto("/");
    const download = old.page.waitForEvent("download");
    await old.page.getByRole("button", { name: "导出未同步内容" }).click();
    const file = await (await download).path();
    const exported = JSON.parse(readFileSync(file, "utf8")).workspace;
    const carried = exported.replica.commitments.find((c) => c.draft.needs_summary === "旧手机上写的、还没同步的调研情况");
    assert.ok(carried && (carried.dirty || exported.replica.outbox.length >= 1), "the file carries the waiting changes");

    // A file of the earlier shape (the bare workspace, before files
    // travelled with it) is read the same.
    await signIn(fresh.page, "member");
    const earlier = {
      name: "chengnuo-member-earlier.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(exported)),
    };
    // Importing is a part of the app fetched the first time it is used:
    // offline before that, the phone says so and keeps nothing half-done.
    await waitForServiceWorker(fresh.page);
    await fresh.context.setOffline(true);
    await fresh.page.locator("#import-file").setInputFiles(earlier);
    await fresh.page.getByRole("status").filter({ hasText: "导入功能在本设备上需先联网使用一次" }).waitFor();
    await fresh.context.setOffline(false);
    await fresh.page.locator("#import-file").setInputFiles([]);
    await fresh.page.locator("#import-file").setInputFiles(earlier);
    await fresh.page.getByRole("status").filter({ hasText: "已导入。" }).waitFor();
    await synced(fresh.page);
    const cycle = await (await fresh.context.request.get("/api/cycles/current")).json();
    const me = await (await fresh.context.request.get("/api/me")).json();
    const all = await (await fresh.context.request.get(`/api/commitments?cycle=${cycle.id}`)).json();
    const mine = all.filter((c) => c.committer.id === me.person.id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0].draft.needs_summary, "旧手机上写的、还没同步的调研情况");
    assert.equal(mine[0].draft.items[0].content, "旧手机上写的事项");
    assert.deepEqual(old.errors, []);
    assert.deepEqual(fresh.errors, []);
  } finally {
    await old.close();
    await fresh.close();
  }
});

test("a full storage is reported, and what was typed stays on screen", async () => {
  const phone = await launch({ viewport: PHONE });
  try {
    await signIn(phone.page, "student");
    await phone.page.getByTestId("commitment-card").first().getByRole("link", { name: "打开" }).click();
    await phone.page.getByTestId("item").nth(0).waitFor();
    // The browser refuses every write from now on (as a full device does).
    await phone.page.evaluate(() => {
      IDBObjectStore.prototype.put = function () {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    });
    await phone.page.getByLabel("调研情况（师生的意愿和需求）").fill("存储已满时写的内容");
    await phone.page.getByRole("alert").filter({ hasText: "本机存储空间已满" }).waitFor();
    await phone.page.getByTestId("saved").filter({ hasText: "还没有保存在本机" }).waitFor();
    assert.equal(await phone.page.getByLabel("调研情况（师生的意愿和需求）").inputValue(), "存储已满时写的内容");
  } finally {
    await phone.close();
  }
});
