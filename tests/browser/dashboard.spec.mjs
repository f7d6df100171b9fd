// 督查 (issue 16, the supervision dashboard): the office reads the school's
// counts on a phone — the same numbers as the API — sorts the table, drills
// down to a committee, a branch and a commitment, exports the table, and
// offline still sees the last counts with the day they were taken; a
// committee secretary lands on their committee; a member has no dashboard.
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, PHONE, DESKTOP, screenshot, waitForServiceWorker } from "./support/browser.mjs";
import { signIn } from "./support/flow.mjs";
import { readFileSync } from "node:fs";

async function api(page, path) {
  const response = await page.context().request.get(path);
  assert.equal(response.status(), 200, path);
  return response.json();
}

/** The numbers of a table row: completion first, then every count. */
async function cells(row) {
  return row.locator("td").allInnerTexts();
}

function expectedCells(counts) {
  const completion = counts.due === 0 ? "—" : `${Math.round((counts.due_crossed_off * 100) / counts.due)}%`;
  return [completion, ...Object.values(counts).map(String)];
}

test("the office reads, sorts, drills down, exports, and reads offline the school's dashboard", async () => {
  const office = await launch({ viewport: PHONE });
  try {
    const page = office.page;
    await signIn(page, "office");
    await waitForServiceWorker(page);
    const started = Date.now();
    await page.getByRole("link", { name: "督查" }).first().click();
    await page.getByTestId("completion-chart").locator("svg").waitFor();
    console.log(`first chart after ${Date.now() - started} ms (phone, part fetched on first open)`);
    const school = await api(page, "/api/dashboard");
    assert.equal(await page.getByTestId("dashboard-unit").innerText(), school.unit.name);
    assert.equal(await page.getByTestId("tile-commitments").locator(".tile-value").innerText(), String(school.total.commitments));
    assert.equal(await page.getByTestId("tile-published").locator(".tile-value").innerText(), String(school.total.published));
    assert.equal(await page.getByTestId("tile-overdue").locator(".tile-value").innerText(), String(school.total.overdue));
    const rows = page.getByTestId("dashboard-row");
    assert.equal(await rows.count(), school.rows.length);
    assert.deepEqual(await cells(page.getByTestId("dashboard-total")), expectedCells(school.total));
    for (let i = 0; i < school.rows.length; i++) {
      assert.deepEqual(await cells(rows.nth(i)), expectedCells(school.rows[i].counts), `row ${i}`);
    }
    // one bar per row, described for a screen reader
    const chart = page.getByTestId("completion-chart").locator("svg");
    assert.equal(await chart.locator("rect[data-share]").count(), school.rows.length);
    const described = await chart.getAttribute("aria-label");
    for (const row of school.rows) {
      const name = row.subject.Unit?.name ?? row.subject.Commitment.committer;
      assert.ok(described.includes(name), `the chart names ${name}`);
    }
    await screenshot(page, "dashboard-390x844");

    // sorted by commitments, most first
    const header = page.locator("th").filter({ has: page.getByRole("button", { name: "承诺数", exact: true }) });
    await header.getByRole("button").click();
    assert.equal(await header.getAttribute("aria-sort"), "descending");
    const most = Math.max(...school.rows.map((r) => r.counts.commitments));
    assert.equal((await cells(rows.first()))[1], String(most));
    await header.getByRole("button").click();
    assert.equal(await header.getAttribute("aria-sort"), "ascending");
    const fewest = Math.min(...school.rows.map((r) => r.counts.commitments));
    assert.equal((await cells(rows.first()))[1], String(fewest));

    // exported as a workbook
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("dashboard-workbook").click(),
    ]);
    assert.match(download.suggestedFilename(), /^dashboard-.*\.xlsx$/);
    const bytes = readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 2).toString(), "PK", "an xlsx (zip) file");

    // down: the committee with the most commitments, one of its branches, a commitment
    const committee = school.rows.filter((r) => r.subject.Unit).sort((a, b) => b.counts.commitments - a.counts.commitments)[0];
    await page.getByRole("link", { name: committee.subject.Unit.name, exact: true }).click();
    await page.getByTestId("dashboard-unit").filter({ hasText: committee.subject.Unit.name }).waitFor();
    const atCommittee = await api(page, `/api/dashboard?unit=${committee.subject.Unit.id}`);
    assert.deepEqual(atCommittee.total, committee.counts, "the committee's total is its row at the school");
    assert.equal(await rows.count(), atCommittee.rows.length);
    const branch = atCommittee.rows.filter((r) => r.subject.Unit && r.counts.commitments > 0)[0];
    await page.getByRole("link", { name: branch.subject.Unit.name, exact: true }).click();
    await page.getByTestId("dashboard-unit").filter({ hasText: branch.subject.Unit.name }).waitFor();
    const atBranch = await api(page, `/api/dashboard?unit=${branch.subject.Unit.id}`);
    assert.equal(await rows.count(), atBranch.rows.length);
    assert.ok(atBranch.rows.every((r) => r.subject.Commitment), "a branch lists its commitments");
    // the way back up
    await page.getByRole("navigation", { name: "所在层级" }).getByRole("link", { name: committee.subject.Unit.name }).waitFor();
    await page.setViewportSize(DESKTOP);
    await screenshot(page, "dashboard-branch-1280x800");
    await page.setViewportSize(PHONE);
    const commitment = atBranch.rows[0].subject.Commitment;
    await rows.first().getByRole("link").click();
    await page.waitForURL(`**/commitments/${commitment.id}`);

    // offline: the last counts, marked as such
    await page.context().setOffline(true);
    await page.getByRole("link", { name: "督查" }).first().click();
    await page.getByTestId("kept-dashboard").waitFor();
    assert.equal(await page.getByTestId("dashboard-unit").innerText(), school.unit.name);
    assert.equal(await rows.count(), school.rows.length);
    await page.context().setOffline(false);

    await page.setViewportSize(DESKTOP);
    await page.goto("/dashboard");
    await page.getByTestId("dashboard-table").waitFor();
    await screenshot(page, "dashboard-1280x800");
    assert.deepEqual(office.errors, []);
  } finally {
    await office.close();
  }
});

test("a committee secretary lands on their committee; a member has no dashboard", async () => {
  const browser = await launch({ viewport: PHONE });
  try {
    const page = browser.page;
    await signIn(page, "committee");
    const me = await api(page, "/api/me");
    await page.getByRole("link", { name: "督查" }).first().click();
    await page.getByTestId("dashboard-unit").filter({ hasText: me.committee.name }).waitFor();
    assert.equal(await page.getByRole("navigation", { name: "所在层级" }).getByRole("link").count(), 0, "nothing above the committee");

    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
  const member = await launch({ viewport: PHONE });
  try {
    const page = member.page;
    await signIn(page, "member");
    assert.equal(await page.getByRole("link", { name: "督查" }).count(), 0);
    await page.goto("/dashboard");
    await page.getByRole("alert").waitFor();
    assert.deepEqual(member.errors, []);
  } finally {
    await member.close();
  }
});
