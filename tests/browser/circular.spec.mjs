// 情况通报 (issue 16, notices): the office generates the school's notice
// from its dashboard, edits it, publishes it on the board too and prints it
// to A4; a member reads it from their inbox; a visitor finds it on the board.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { launch, PHONE, DESKTOP, screenshot, SCREENSHOTS } from "./support/browser.mjs";
import { signIn } from "./support/flow.mjs";

const ADDED = "请各单位对照本期通报逐项整改，下期通报前报送整改情况。";

test("a notice is generated, edited, published, read from a member's inbox and printed", async () => {
  const office = await launch({ viewport: DESKTOP });
  let title;
  try {
    const page = office.page;
    await signIn(page, "office");
    await page.getByRole("link", { name: "督查" }).first().click();
    await page.getByTestId("dashboard-table").waitFor();
    const dashboard = await (await page.context().request.get("/api/dashboard")).json();
    await page.getByRole("link", { name: "编写情况通报" }).click();
    const titleInput = page.getByLabel("标题");
    // The screen's part and the draft both arrive first: up to 30 s on a loaded CI machine.
    await page.waitForFunction(() => document.querySelector("#circular-title")?.value.length > 0, undefined, { timeout: 30_000 });
    title = await titleInput.inputValue();
    assert.equal(title, `${dashboard.unit.name}公开承诺践诺情况通报（第 1 期）`);
    const body = page.getByLabel("正文");
    const generated = await body.inputValue();
    assert.ok(generated.includes(`共有公开承诺 ${dashboard.total.commitments} 份`), generated);
    // an empty title is refused beside the field, nothing sent
    await titleInput.fill("");
    await page.getByRole("button", { name: "发布通报" }).click();
    await page.getByTestId("circular-form").locator(".field-error").first().waitFor();
    await titleInput.fill(title);
    await body.fill(`${generated}\n${ADDED}`);
    // what the office typed survives a reload (kept like any typing)
    await page.reload();
    await page.waitForFunction((added) => document.querySelector("#circular-body")?.value.includes(added), ADDED);
    assert.equal(await titleInput.inputValue(), title);
    await page.getByLabel("同时在公开栏发布").check();
    await screenshot(page, "circular-draft-1280x800");
    await page.getByRole("button", { name: "发布通报" }).click();
    const text = page.getByTestId("circular-text");
    await text.waitFor();
    assert.ok((await text.innerText()).includes(ADDED));
    // once published, the next draft is generated afresh (nothing kept)
    const printedAt = page.url();
    await page.goBack();
    await page.waitForFunction(() => document.querySelector("#circular-title")?.value.includes("第 2 期"));
    assert.ok(!(await body.inputValue()).includes(ADDED));
    await page.goto(printedAt);
    await text.waitFor();
    await page.emulateMedia({ media: "print" });
    await page.pdf({ path: join(SCREENSHOTS, "circular.pdf"), format: "A4" });
    await page.emulateMedia({ media: "screen" });
    assert.deepEqual(office.errors, []);
  } finally {
    await office.close();
  }

  const member = await launch({ viewport: PHONE });
  try {
    const page = member.page;
    await signIn(page, "member");
    await page.getByTestId("inbox-link").click();
    await page.getByRole("link", { name: "通报与简报" }).click();
    await page.getByTestId("circular").filter({ hasText: title }).getByRole("link").click();
    const text = page.getByTestId("circular-text");
    await text.waitFor();
    assert.ok((await text.innerText()).includes(ADDED));
    assert.ok((await text.innerText()).includes("第几期 1"));
    await screenshot(page, "circular-390x844");
    assert.deepEqual(member.errors, []);
  } finally {
    await member.close();
  }

  const visitor = await launch({ viewport: PHONE });
  try {
    const page = visitor.page;
    await page.goto("/board");
    await page.getByTestId("board-circulars").getByRole("link", { name: title }).click();
    await page.getByTestId("circular-text").filter({ hasText: ADDED }).waitFor();
    assert.deepEqual(visitor.errors, []);
  } finally {
    await visitor.close();
  }
});
