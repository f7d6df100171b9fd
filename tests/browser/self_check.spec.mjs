// 逐项对照检查 (issue 15): with a round open, the committer checks each item
// offline; an item behind without a word is refused on the spot; the check
// survives a reload offline and reaches the server once online.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, screenshot, waitForServiceWorker } from "./support/browser.mjs";
import { signIn, synced } from "./support/flow.mjs";

test("a committer self-checks every item offline in an open round", async () => {
  const member = await launch({ viewport: { width: 360, height: 780 } });
  try {
    const page = member.page;
    await signIn(page, "cadre");
    await synced(page);
    await waitForServiceWorker(page);
    await page.getByTestId("commitment-card").getByRole("link").first().click();
    const section = page.getByTestId("self-check");
    await section.waitFor();
    const commitment = new URL(page.url()).pathname.split("/").pop();
    const items = section.getByTestId("self-check-item");
    const count = await items.count();
    assert.ok(count >= 2);

    await page.context().setOffline(true);
    for (let n = 0; n < count; n += 1) await items.nth(n).getByLabel("完成情况").selectOption("Fulfilled");
    await items.nth(1).getByLabel("完成情况").selectOption("Behind");
    await section.getByRole("button", { name: "提交自查" }).click();
    await items.nth(1).locator(".field-error").filter({ hasText: "请说明" }).or(items.nth(1).locator(".field-error")).first().waitFor();
    await items.nth(1).getByLabel("说明（未完成的须写明原因和措施）").fill("对接测试推迟到寒假，二月底前完成");
    await section.getByRole("button", { name: "提交自查" }).click();
    await section.getByText("待同步").waitFor();
    await screenshot(page, "self-check-offline-360x780");
    await page.reload();
    await page.getByTestId("self-check").getByText("待同步").waitFor();
    assert.equal(await page.getByTestId("self-check-item").nth(1).getByLabel("完成情况").inputValue(), "Behind");

    await page.context().setOffline(false);
    await page.getByRole("button", { name: "立即同步" }).click();
    await synced(page);
    await page.getByTestId("self-check-sent").waitFor({ timeout: 20_000 });
    const evaluation = await page.evaluate(async (id) => (await fetch(`/api/commitments/${id}/evaluation`)).json(), commitment);
    assert.equal(evaluation.self_checks.length, count);
    const behind = evaluation.self_checks.filter((c) => c.status === "Behind");
    assert.equal(behind.length, 1);
    assert.equal(behind[0].explanation, "对接测试推迟到寒假，二月底前完成");
    assert.deepEqual(member.errors, []);
  } finally {
    await member.close();
  }
});
