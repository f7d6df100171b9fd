// 年度设置 (issue 15, the year): the campaign office sets up next year from
// the plan's template, a wrong date is named beside its field before
// anything is sent, the year is saved and made the one in force, and a
// member's phone follows it at the next sign-in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, PHONE, DESKTOP, screenshot } from "./support/browser.mjs";
import { signIn, synced } from "./support/flow.mjs";
import { deviceMeta } from "./support/device.mjs";

test("the office sets up a year from the template, fixes a date and puts it in force", async () => {
  const office = await launch({ viewport: PHONE });
  try {
    const page = office.page;
    await signIn(page, "office");
    await page.getByRole("link", { name: "管理", exact: true }).first().click();
    await page.getByRole("link", { name: "年度设置" }).first().click();
    await page.getByTestId("year").first().waitFor();
    const before = await page.getByTestId("year").count();
    await page.getByLabel("新年度（起草开始的年份）").fill("2035");
    await page.getByRole("button", { name: "按方案模板新建年度" }).click();
    const form = page.getByTestId("year-form");
    await form.waitFor();
    assert.equal(await page.locator("#year-draft-start").inputValue(), "2035-10-19");
    assert.equal(await page.locator("#year-annual_round-end").inputValue(), "2036-05-31");
    // Review made to start while drafting still runs, weights off by 5.
    await page.locator("#year-review-start").fill("2035-10-21");
    await page.getByLabel("群众评议权重（%）").fill("35");
    // A member asked for more items than a cadre (higher standard): refused.
    await page.getByLabel("普通党员承诺最少事项数").fill("4");
    await form.getByRole("button", { name: "保存年度设置" }).click();
    await form.locator("#year-settings-cadre_min_items + .field-error").filter({ hasText: "取值无效" }).waitFor();
    await form.locator(".field-error").filter({ hasText: "须晚于上一阶段的结束日期（2035-10-22）。" }).waitFor();
    await form.locator(".field-error").filter({ hasText: "三项权重之和须为 100%。" }).waitFor();
    await screenshot(page, "years-errors-390x844");
    // Fixed: saved.
    await page.locator("#year-review-start").fill("2035-10-23");
    await page.getByLabel("群众评议权重（%）").fill("30");
    // Every setting of the year is here to change.
    await page.getByLabel("普通党员承诺最少事项数").fill("3");
    await page.getByLabel("党员干部承诺最少事项数（高标准）").fill("4");
    await page.getByLabel("整改期限（年度考核后天数）").fill("45");
    await page.getByLabel("公示阶段结束后仍可开始公示的天数").fill("20");
    await form.getByRole("button", { name: "保存年度设置" }).click();
    await form.waitFor({ state: "detached" });
    await page.getByTestId("year").nth(before).waitFor();
    const year = page.getByTestId("year").filter({ hasText: "2035—2036年度公开承诺" });
    await year.getByRole("button", { name: "设为当前年度" }).click();
    await year.getByText("当前年度", { exact: true }).waitFor();
    // The year in force: its first quarterly round opened (dates from the
    // calendar), a second refused while it is open, then closed for good.
    const rounds = page.getByTestId("rounds");
    assert.equal(await page.locator("#round-opens").inputValue(), "2035-12-20");
    await rounds.getByRole("button", { name: "开启考核评议" }).click();
    await rounds.getByTestId("round").filter({ hasText: "进行中" }).waitFor();
    assert.equal(await page.locator("#round-opens").inputValue(), "2036-03-20", "the next quarter offered");
    await rounds.getByRole("button", { name: "开启考核评议" }).click();
    await rounds.locator(".field-error").filter({ hasText: "还有一轮考核评议尚未结束，请先结束那一轮。" }).waitFor();
    page.once("dialog", (dialog) => dialog.accept());
    await rounds.getByRole("button", { name: "结束这一轮" }).click();
    await rounds.getByTestId("round").filter({ hasText: "已结束" }).waitFor();
    await page.setViewportSize(DESKTOP);
    await screenshot(page, "years-1280x800");
    const current = await (await page.context().request.get("/api/cycles/current")).json();
    assert.equal(current.year, 2035);
    assert.equal(current.calendar.review.start, "2035-10-23");
    assert.deepEqual(
      [current.settings.member_min_items, current.settings.cadre_min_items, current.settings.rectification_days, current.settings.publication_grace_days],
      [3, 4, 45, 20],
    );
    assert.deepEqual(office.errors, []);
  } finally {
    await office.close();
  }
  // A member's phone reads the year in force.
  const member = await launch({ viewport: PHONE });
  try {
    await signIn(member.page, "member");
    await synced(member.page);
    const cycle = await deviceMeta(member.page, "cycle");
    assert.equal(cycle.year, 2035);
  } finally {
    await member.close();
  }
});
