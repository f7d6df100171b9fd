// The report package (issue: review, signature, publication): the committee
// cannot send it while a branch commitment is not approved; once approved it
// goes, and the office sees it on time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, screenshot, DESKTOP, PHONE } from "./support/browser.mjs";
import { signIn, synced } from "./support/flow.mjs";

test("a committee sends its package once every commitment in it is approved", async () => {
  const committee = await launch({ viewport: DESKTOP });
  const office = await launch({ viewport: PHONE });
  try {
    await signIn(committee.page, "committee");
    await committee.page.getByRole("link", { name: "报送" }).click();
    const ours = committee.page.getByTestId("package").filter({ hasText: "计算机科学与技术学院分党委" });
    await ours.filter({ hasText: "未报送" }).waitFor();
    await ours.getByRole("button", { name: "报送" }).click();
    await ours.getByRole("alert").filter({ hasText: "还有 1 份承诺书未审核通过，暂不能报送。" }).waitFor();
    await screenshot(committee.page, "package-refused-1280x800");

    // The committee approves the branch's commitment that was missing.
    await committee.page.goto("/");
    await committee.page.getByTestId("commitment-card").filter({ hasText: "软件工程系教师党支部" })
      .getByRole("link", { name: "审核" }).click();
    for (const label of ["体现先进性要求", "以正在干的事情为中心", "体现岗位、职责特点", "符合师生意愿", "切实可行"]) {
      await committee.page.getByLabel(label).check();
    }
    await committee.page.getByRole("button", { name: "审核通过" }).click();
    await synced(committee.page);

    await committee.page.getByRole("link", { name: "报送" }).click();
    await ours.getByRole("button", { name: "报送" }).click();
    await ours.filter({ hasText: "已报送 " }).waitFor();

    // Every approved form of the package, as one document to print.
    await ours.getByRole("link", { name: "打印全部承诺书" }).click();
    await committee.page.getByTestId("printable-form").nth(6).waitFor();
    assert.equal(await committee.page.getByTestId("printable-form").count(), 7);
    await screenshot(committee.page, "package-forms-1280x800");
    await committee.page.goto("/reports");

    // Ordinary members' commitments stay in the committee's archive, searchable.
    await committee.page.getByLabel("搜索承诺人或承诺内容").fill("王立新");
    await committee.page.getByTestId("archive-entry").filter({ hasText: "王立新" }).first().waitFor();
    assert.equal(await committee.page.getByTestId("archive-entry").filter({ hasText: "刘伟" }).count(), 0, "a cadre's is in the package, not the archive");

    // The office sees who sent theirs, and that it was on time.
    await signIn(office.page, "office");
    await office.page.getByRole("link", { name: "报送" }).click();
    const sent = office.page.getByTestId("package").filter({ hasText: "计算机科学与技术学院分党委" });
    await sent.filter({ hasText: "已报送" }).waitFor();
    assert.equal(await sent.getByTestId("late").count(), 0, "on time");
    assert.equal(await office.page.getByTestId("package").count(), 3);
    await screenshot(office.page, "packages-office-390x844");
    for (const browser of [committee, office]) {
      assert.deepEqual(browser.errors, []);
    }
  } finally {
    await committee.close();
    await office.close();
  }
});
