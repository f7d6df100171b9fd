// 简报 (issue 16, bulletins of good practice): the branch secretary nominates
// the cadre's crossed-off item from the commitment's page, the cadre agrees
// to its publication, the office composes the bulletin from it, publishes
// and prints it; a visitor finds it on the board, a member in their messages.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { launch, PHONE, DESKTOP, screenshot, SCREENSHOTS, unlabelledControls } from "./support/browser.mjs";
import { signIn, synced } from "./support/flow.mjs";

const REASON = "坚持每周答疑，学生反映很好，值得推广";
const INTRO = "编者按：请各支部结合实际参照。";

async function publishedCommitment(page) {
  const cycle = await (await page.context().request.get("/api/cycles/current")).json();
  const all = await (await page.context().request.get(`/api/commitments?cycle=${cycle.id}`)).json();
  return all.find((c) => c.state === "Published" && (c.fulfilment ?? []).some((f) => f.state === "CrossedOff"));
}

test("a crossed-off item is nominated, agreed to, composed into a bulletin, published and printed", async () => {
  let commitment;
  const branch = await launch({ viewport: PHONE });
  try {
    const page = branch.page;
    await signIn(page, "branch");
    await synced(page);
    commitment = await publishedCommitment(page);
    await page.goto(`/commitments/${commitment.id}`);
    const section = page.getByTestId("practices");
    await section.waitFor();
    // the reason is required: refused beside the field, nothing sent
    await section.getByRole("button", { name: "推荐为好做法" }).click();
    await section.locator(".field-error").first().waitFor();
    const what = section.getByLabel("推荐哪一项");
    const options = await what.locator("option").allInnerTexts();
    assert.ok(options.some((o) => o.startsWith("已销号事项：")), options.join(" | "));
    assert.ok(options.some((o) => o.startsWith("台账记录：")), options.join(" | "));
    // what is typed survives a reload, like the ledger's forms
    await section.getByLabel("推荐理由").fill(REASON);
    await page.waitForTimeout(400);
    await page.reload();
    await section.waitFor();
    assert.equal(await section.getByLabel("推荐理由").inputValue(), REASON);
    await what.selectOption({ label: options.find((o) => o.startsWith("已销号事项：")) });
    await section.getByRole("button", { name: "推荐为好做法" }).click();
    await section.getByTestId("nomination").filter({ hasText: REASON }).getByTestId("consent")
      .filter({ hasText: "等待承诺人同意刊登" }).waitFor();
    // the same item twice: the server's reason, in words
    await section.getByLabel("推荐理由").fill("再推荐一次");
    await section.getByRole("button", { name: "推荐为好做法" }).click();
    await section.getByRole("alert").filter({ hasText: "已推荐过" }).waitFor();
    assert.deepEqual(await unlabelledControls(page), []);
    await screenshot(page, "nomination-390x844");
    assert.deepEqual(branch.errors, []);
  } finally {
    await branch.close();
  }

  const cadre = await launch({ viewport: PHONE });
  try {
    const page = cadre.page;
    await signIn(page, "cadre");
    await synced(page);
    await page.goto(`/commitments/${commitment.id}`);
    const nomination = page.getByTestId("practices").getByTestId("nomination").filter({ hasText: REASON });
    await nomination.waitFor();
    await nomination.getByRole("button", { name: "同意刊登" }).click();
    await nomination.getByTestId("consent").filter({ hasText: "承诺人已同意刊登" }).waitFor();
    assert.deepEqual(cadre.errors, []);
  } finally {
    await cadre.close();
  }

  const office = await launch({ viewport: DESKTOP });
  try {
    const page = office.page;
    await signIn(page, "office");
    await page.getByTestId("inbox-link").click();
    await page.getByRole("link", { name: "通报与简报" }).click();
    await page.getByRole("link", { name: "编辑一期简报" }).click();
    // The screen's part and the draft both arrive first: up to 30 s on a loaded CI machine.
    await page.waitForFunction(() => document.querySelector("#bulletin-title")?.value.length > 0, undefined, { timeout: 30_000 });
    assert.equal(await page.getByLabel("标题").inputValue(), "公开承诺践诺经验交流（第 1 期）");
    const choice = page.getByTestId("nomination").filter({ hasText: REASON });
    assert.ok(await choice.getByRole("checkbox").isChecked(), "what was agreed to is ticked");
    await page.getByLabel("编者按").fill(INTRO);
    // what the office typed survives a reload (kept like any typing)
    await page.reload();
    await page.waitForFunction((intro) => document.querySelector("#bulletin-intro")?.value === intro, INTRO);
    await screenshot(page, "bulletin-draft-1280x800");
    await page.getByRole("button", { name: "发布简报" }).click();
    const text = page.getByTestId("bulletin-text");
    await text.waitFor();
    const printed = await text.innerText();
    assert.ok(printed.includes(INTRO), printed);
    assert.ok(printed.includes(REASON), printed);
    assert.ok(printed.includes("第几期 1"), printed);
    assert.ok(printed.includes(commitment.number), printed);
    await page.emulateMedia({ media: "print" });
    await page.pdf({ path: join(SCREENSHOTS, "bulletin.pdf"), format: "A4" });
    await page.emulateMedia({ media: "screen" });
    assert.deepEqual(office.errors, []);
  } finally {
    await office.close();
  }

  const visitor = await launch({ viewport: PHONE });
  try {
    const page = visitor.page;
    await page.goto("/board");
    await page.getByTestId("board-bulletins").getByRole("link", { name: "公开承诺践诺经验交流（第 1 期）" }).click();
    await page.getByTestId("bulletin-text").filter({ hasText: REASON }).waitFor();
    await screenshot(page, "bulletin-390x844");
    assert.deepEqual(visitor.errors, []);
  } finally {
    await visitor.close();
  }

  const member = await launch({ viewport: PHONE });
  try {
    const page = member.page;
    await signIn(page, "member");
    await page.getByTestId("inbox-link").click();
    await page.getByRole("link", { name: "通报与简报" }).click();
    await page.getByTestId("bulletin").getByRole("link", { name: "公开承诺践诺经验交流（第 1 期）" }).waitFor();
    assert.deepEqual(member.errors, []);
  } finally {
    await member.close();
  }
});
