// 征求意见 (issue 16, consultation before drafting): a visitor leaves the
// computer science committee a suggestion from its page on the board; its
// secretary, drafting the committee's commitment, sees it, adopts it with a
// reply and takes it into 调研情况, which reaches the server with the draft.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, PHONE, screenshot } from "./support/browser.mjs";
import { signIn, synced } from "./support/flow.mjs";

const SUGGESTION = "建议每月开放一次学院实验室，让本科生参与科研。";
const LATE = "建议把实验室开放日的安排提前一周公布。";

test("a visitor's suggestion is adopted while drafting and joins the needs summary", async () => {
  const visitor = await launch({ viewport: PHONE });
  let committee;
  try {
    const page = visitor.page;
    await page.goto("/board");
    await page.locator("#board-committee option").nth(1).waitFor({ state: "attached" });
    const board = await (await page.context().request.get("/api/board")).json();
    committee = board.committees.find((c) => c.name.includes("计算机"));
    await page.locator("#board-committee").selectOption(committee.id);
    const box = page.getByTestId("suggestion-box");
    await box.waitFor();
    await box.getByRole("button", { name: "提交意见" }).click();
    await box.locator(".field-error").waitFor();
    await box.getByLabel("署名（可不填）").fill("大三学生");
    await box.getByLabel("意见建议").fill(SUGGESTION);
    await box.getByRole("button", { name: "提交意见" }).click();
    await box.getByRole("status").filter({ hasText: "已收到" }).waitFor();
    assert.doesNotMatch(await box.innerText(), /正在调研、起草/, "true whatever the unit's state");
    await screenshot(page, "suggestion-box-390x844");
    assert.deepEqual(visitor.errors, []);
  } finally {
    await visitor.close();
  }

  const secretary = await launch({ viewport: PHONE });
  try {
    const page = secretary.page;
    await signIn(page, "committee");
    const cycle = await (await page.context().request.get("/api/cycles/current")).json();
    const all = await (await page.context().request.get(`/api/commitments?cycle=${cycle.id}`)).json();
    const own = all.find((c) => c.committer.id === committee.id);
    assert.equal(own.state, "Draft");
    await page.goto(`/commitments/${own.id}`);
    const list = page.getByTestId("draft-suggestions");
    const item = list.getByTestId("suggestion").filter({ hasText: SUGGESTION });
    await item.waitFor();
    await item.getByLabel("处理").selectOption("Adopted");
    await item.getByLabel("答复（隐藏时填写理由）").fill("已写入本单位承诺：每月一次实验室开放日。");
    await item.getByRole("button", { name: "答复", exact: true }).click();
    await list.getByRole("button", { name: "将已采纳的意见写入调研情况" }).waitFor();
    await list.getByRole("button", { name: "将已采纳的意见写入调研情况" }).click();
    const summary = page.locator("#needs-summary");
    await page.waitForFunction((text) => document.querySelector("#needs-summary").value.includes(text), SUGGESTION);
    assert.ok((await summary.inputValue()).includes(`采纳意见：${SUGGESTION}`));
    await screenshot(page, "draft-suggestions-390x844");
    await page.getByRole("button", { name: "立即同步" }).click();
    await synced(page);
    const stored = await (await page.context().request.get(`/api/commitments/${own.id}`)).json();
    assert.ok(stored.draft.needs_summary.includes(SUGGESTION), "the summary reached the server");

    // Submitted: a suggestion left now is still the secretary's to answer,
    // on the commitment's page (nothing is taken into a draft no longer theirs).
    const submitted = await page.context().request.post(`/api/commitments/${own.id}/submit`, {
      data: { base_revision: stored.revision },
      headers: { "x-requested-with": "chengnuo" },
    });
    assert.equal(submitted.status(), 200, await submitted.text());
    const late = await page.context().request.post(`/api/board/units/${committee.id}/suggestions`, {
      data: { name: "", text: LATE },
      headers: { "x-requested-with": "chengnuo" },
    });
    assert.equal(late.status(), 201, await late.text());
    await page.goto(`/commitments/${own.id}`);
    const after = page.getByTestId("draft-suggestions");
    const lateItem = after.getByTestId("suggestion").filter({ hasText: LATE });
    await lateItem.waitFor();
    await lateItem.getByLabel("处理").selectOption("Adopted");
    await lateItem.getByLabel("答复（隐藏时填写理由）").fill("将在践诺中落实。");
    await lateItem.getByRole("button", { name: "答复", exact: true }).click();
    await page.waitForFunction(async ([unit, text]) => {
      const list = await (await fetch(`/api/units/${unit}/suggestions`)).json();
      return list.some((s) => s.text === text && s.status === "Adopted");
    }, [committee.id, LATE]);
    assert.equal(await after.getByRole("button", { name: "将已采纳的意见写入调研情况" }).count(), 0);
    assert.deepEqual(secretary.errors, []);
  } finally {
    await secretary.close();
  }
});
