// 管理 (issue 16, running the school from the browser): the office uploads a
// roster with two bad lines — both named, nothing imported — fixes it and
// imports it, makes one of the new people a branch secretary; that person
// signs in with the one-time password, is asked to set their own, and then
// supervises their branch. The audit trail shows the grant.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, PHONE, DESKTOP, screenshot } from "./support/browser.mjs";
import { signIn } from "./support/flow.mjs";

const HEADER = "type,name,parent,kind,short_name,category,cadre_rank,activist,title,login,role\n";

async function choose(page, csv) {
  await page.getByLabel("名册文件（CSV）").setInputFiles({ name: "roster.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  await page.getByRole("button", { name: "导入", exact: true }).click();
}

test("the office imports a roster, grants a secretary, who sets their own password", async () => {
  const office = await launch({ viewport: PHONE });
  let password;
  try {
    const page = office.page;
    await signIn(page, "office");
    await page.getByRole("link", { name: "管理", exact: true }).first().click();
    await page.getByTestId("org-tree").waitFor();
    const units = await (await page.context().request.get("/api/admin/units")).json();
    const school = units.find((u) => u.unit.kind === "School").unit.name;
    const bad =
      HEADER +
      `unit,法学院分党委,${school},Committee,法学,,,,,,\n` +
      "unit,法学院教师党支部,法学院分党委,Teaching,法学教师,,,,,,\n" +
      "person,王法,法学院教师党支部,,,Professor,,,副教授,wangfa,\n" +
      "person,李律,法学院支部,,,Teacher,,,讲师,lilv,\n";
    await choose(page, bad);
    const errors = page.getByTestId("roster-error");
    await errors.first().waitFor();
    assert.deepEqual(await errors.allInnerTexts(), [
      "第 4 行：党员类别“Professor”应为 Teacher, Staff, Retired, Student 之一。",
      "第 5 行：没有名为“法学院支部”的党支部。",
    ]);
    const after = await (await page.context().request.get("/api/admin/units")).json();
    assert.equal(after.length, units.length, "nothing imported");
    await screenshot(page, "admin-roster-errors-390x844");

    // fixed: imported, the one-time passwords shown once
    await choose(page, bad.replace("Professor", "Teacher").replace("法学院支部", "法学院教师党支部"));
    await page.getByTestId("roster-imported").waitFor();
    const row = page.getByTestId("one-time-passwords").locator("tr").filter({ hasText: "wangfa" });
    password = await row.getByTestId("password").innerText();
    assert.match(password, /^[0-9a-f]{18}$/);

    // the tree shows the new branch with its counts; 王法 becomes its secretary
    const branch = page.getByTestId("org-tree").getByRole("button", { name: "法学院教师党支部" });
    await branch.waitFor();
    await branch.click();
    const person = page.getByTestId("person").filter({ hasText: "王法" });
    await person.getByLabel("角色").selectOption({ label: "党支部书记" });
    await person.getByRole("button", { name: "授予" }).click();
    await person.getByRole("button", { name: "撤销 党支部书记" }).waitFor();

    // a new account in the branch: its one-time password stays on screen
    // (the tree's counts are fetched again meanwhile), to copy or print
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    const form = page.getByTestId("new-account");
    await form.getByLabel("姓名").fill("李新");
    await form.getByLabel("账号").fill("lixin");
    await form.getByLabel("职务").fill("讲师");
    const countsFetched = page.waitForResponse((r) => r.url().includes("/api/admin/units"));
    await form.getByRole("button", { name: "新建账号" }).click();
    await countsFetched;
    await page.getByTestId("person").filter({ hasText: "李新" }).waitFor();
    const created = page.getByTestId("people").getByTestId("one-time-passwords").locator("tr").filter({ hasText: "lixin" });
    await created.waitFor({ timeout: 2000 });
    const lixinPassword = await created.getByTestId("password").innerText();
    assert.match(lixinPassword, /^[0-9a-f]{18}$/);
    const people = page.getByTestId("people");
    await people.getByRole("button", { name: "复制账号和密码" }).click();
    await people.getByRole("status").filter({ hasText: "已复制" }).waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), `lixin\t${lixinPassword}\n`);
    await screenshot(page, "admin-new-account-390x844");
    // 重置密码 for 王法: a new one-time password, shown the same way
    await person.getByRole("button", { name: "重置密码" }).click();
    const reset = page.getByTestId("people").getByTestId("one-time-passwords").locator("tr").filter({ hasText: "wangfa" });
    await reset.waitFor();
    const resetPassword = await reset.getByTestId("password").innerText();
    assert.notEqual(resetPassword, password);
    password = resetPassword;
    assert.doesNotMatch(await page.getByTestId("people").getByTestId("one-time-passwords").innerText(), /lixin/);
    await page.setViewportSize(DESKTOP);
    await screenshot(page, "admin-1280x800");
    await page.setViewportSize(PHONE);

    // the trail, filtered to grants
    await page.getByLabel("操作", { exact: true }).selectOption("grant_role");
    await page.getByRole("button", { name: "筛选" }).click();
    await page.getByTestId("audit-entry").filter({ hasText: "法学院教师党支部" }).waitFor();
    assert.ok((await page.getByTestId("audit-entry").allInnerTexts()).every((t) => t.includes("授予角色")));
    // The filter offers what the trail records: no "review" (reviews are 审核通过 or 退回修改).
    const offered = await page.getByLabel("操作", { exact: true }).locator("option").evaluateAll((o) => o.map((e) => e.value));
    assert.ok(offered.includes("approve") && offered.includes("return") && !offered.includes("review"));
    await page.getByLabel("操作", { exact: true }).selectOption("approve");
    await page.getByRole("button", { name: "筛选" }).click();
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll("[data-testid=audit-entry]")];
      return rows.length > 0 && rows.every((r) => r.innerText.includes("审核通过"));
    });
    assert.deepEqual(office.errors, []);
  } finally {
    await office.close();
  }

  const secretary = await launch({ viewport: PHONE });
  try {
    const page = secretary.page;
    await page.goto("/sign-in");
    await page.getByLabel("账号").fill("wangfa");
    await page.getByLabel("密码").fill(password);
    await page.getByRole("button", { name: "登录" }).click();
    await page.getByTestId("must-change-password").waitFor();
    await screenshot(page, "set-own-password-390x844");
    await page.getByLabel("当前密码").fill(password);
    await page.getByLabel("新密码", { exact: true }).fill("wangfa-own-secret");
    await page.getByLabel("再输入一次新密码").fill("wangfa-own-secret");
    await page.getByRole("button", { name: "修改密码" }).click();
    await page.getByRole("status").filter({ hasText: "密码已修改" }).waitFor();
    assert.equal(await page.getByTestId("must-change-password").count(), 0);
    // a branch secretary now: the branch's dashboard
    await page.getByRole("link", { name: "督查" }).first().click();
    await page.getByTestId("dashboard-unit").filter({ hasText: "法学院教师党支部" }).waitFor();
    assert.deepEqual(secretary.errors, []);
  } finally {
    await secretary.close();
  }
});
