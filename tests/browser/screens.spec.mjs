// Every screen, in both languages, on a phone and on a desktop: axe-core finds
// nothing, nothing is wider than a 320–430 px phone, tap targets are big
// enough, each screen has one h1 and a title of its own (issue: nothing typed
// is lost on a real phone network, "the form on a phone" and "with a
// keyboard and a screen reader").
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, PHONE, DESKTOP } from "./support/browser.mjs";
import { checkScreen } from "./support/screen.mjs";

const PASSWORD = "chengnuo-demo";

async function signIn(page, login, language) {
  await page.goto("/sign-in");
  const zh = language === "zh";
  await page.getByLabel(zh ? "账号" : "Account").fill(login);
  await page.getByLabel(zh ? "密码" : "Password").fill(PASSWORD);
  await page.getByRole("button", { name: zh ? "登录" : "Sign in" }).click();
  await page.getByRole("heading", { level: 2, name: zh ? "我的公开承诺书" : "My public commitment" }).waitFor();
}

async function api(context, path) {
  const response = await context.request.get(path);
  assert.equal(response.status(), 200, path);
  return response.json();
}

/** Opens a screen and waits until it shows what the locator finds. */
async function visit(page, path, ready) {
  await page.goto(path);
  // A screen's first visit fetches its part and its data: under the whole
  // suite's load that took more than the default 10 s once (the notice draft).
  await ready(page).waitFor({ timeout: 30_000 });
  // Fonts and late re-renders settle.
  await page.waitForTimeout(150);
}

for (const language of ["zh", "en"]) {
  for (const [size, viewport] of [["phone", PHONE], ["desktop", DESKTOP]]) {
    test(`every screen passes in ${language} on a ${size}`, async () => {
      const locale = language === "zh" ? "zh-CN" : "en-US";
      const browser = await launch({ locale, viewport });
      const phone = size === "phone";
      const problems = [];
      const titles = new Map();
      const check = async (name) => {
        problems.push(...(await checkScreen(browser.page, name, { phone })));
        // Each kind of screen has its own title (two people's dashboards are one kind).
        const kind = name.replace(/ \(.*\)$/, "");
        const title = await browser.page.title();
        if (titles.has(title) && titles.get(title) !== kind) problems.push(`${name}: the same title as ${titles.get(title)}: ${title}`);
        titles.set(title, kind);
      };
      try {
        const { page, context } = browser;
        const zh = language === "zh";
        // The public.
        await visit(page, "/", (p) => p.getByRole("heading", { level: 1 }));
        await check("welcome");
        await visit(page, "/sign-in", (p) => p.getByRole("heading", { level: 1 }));
        await check("sign-in");
        await visit(page, "/board", (p) => p.getByTestId("board-entry").first());
        await check("board");
        const board = await api(context, "/api/board");
        await visit(page, `/board/${board.items[0].id}`, (p) => p.getByRole("heading", { level: 1 }));
        await check("board entry");
        await visit(page, "/no-such-page", (p) => p.getByRole("heading", { level: 1 }));
        await check("not found");
        await visit(page, "/ballot", (p) => p.locator("#ballot-code"));
        await check("ballot");

        // A member drafting.
        await signIn(page, "student", language);
        await check("dashboard (member)");
        const cycle = await api(context, "/api/cycles/current");
        const me = await api(context, "/api/me");
        const own = (await api(context, `/api/commitments?cycle=${cycle.id}`)).find((c) => c.committer.id === me.person.id);
        await visit(page, `/commitments/${own.id}`, (p) => p.getByTestId("item").first());
        await check("commitment form");
        await visit(page, "/inbox", (p) => p.getByRole("heading", { level: 1 }));
        await check("inbox");

        // A cadre whose commitment waits for review: its text, with "withdraw".
        await signIn(page, "cadre", language);
        const cadre = await api(context, "/api/me");
        const submitted = (await api(context, `/api/commitments?cycle=${cycle.id}`)).find((c) => c.committer.id === cadre.person.id);
        await visit(page, `/commitments/${submitted.id}`, (p) => p.getByRole("button", { name: zh ? "撤回修改" : "Withdraw to edit" }));
        await check("commitment text");

        // A branch secretary: the review queue and the review screen.
        await signIn(page, "branch", language);
        await check("dashboard (branch secretary)");
        await visit(page, `/review/${submitted.id}`, (p) => p.getByRole("button", { name: zh ? "审核通过" : "Approve" }));
        await check("review");

        // A committee secretary: report packages and a package's forms.
        await signIn(page, "committee", language);
        const committee = await api(context, "/api/me");
        await visit(page, "/reports", (p) => p.getByRole("heading", { level: 1 }));
        await check("report packages");
        await visit(page, `/reports/${committee.committee.id}/forms`, (p) => p.locator(".printable-form").first());
        await check("package forms");
        // The committee's own draft, with the suggestions left for it (征求意见).
        const drafts = await api(context, `/api/commitments?cycle=${cycle.id}`);
        const committeeDraft = drafts.find((c) => c.committer.id === committee.committee.id);
        await visit(page, `/commitments/${committeeDraft.id}`, (p) => p.getByTestId("draft-suggestions"));
        await check("commitment form (a unit's draft, with suggestions)");
        // A unit's page on the board, with its suggestion box.
        await visit(page, "/board", (p) => p.getByTestId("board-entry").first());
        await page.locator("#board-committee").selectOption(committee.committee.id);
        await page.getByTestId("suggestion-box").waitFor();
        await check("board (a unit's page)");

        // The office: everything this cycle is on its device, signed forms included.
        await signIn(page, "office", language);
        const everything = await api(context, `/api/commitments?cycle=${cycle.id}`);
        const signed = everything.find((c) => c.number);
        assert.ok(signed, "the demo has a signed commitment this cycle");
        await visit(page, `/commitments/${signed.id}/print`, (p) => p.locator(".printable-form"));
        await check("printable form");
        // A published commitment's fulfilment (items, states, ledgers).
        const published = everything.find((c) => c.state === "Published");
        assert.ok(published, "the demo has a published commitment this cycle");
        await visit(page, `/commitments/${published.id}`, (p) => p.getByTestId("fulfilment-item").first());
        await check("fulfilment");
        await visit(page, "/account", (p) => p.getByRole("heading", { level: 1 }));
        await check("account");
        // 年度设置, with a new year's form open.
        await visit(page, "/years", (p) => p.getByTestId("year").first());
        await page.locator("#new-year").fill("2040");
        await page.locator("#new-year").press("Tab");
        await page.getByRole("button", { name: language === "zh" ? "按方案模板新建年度" : "Set up a year from the plan's template" }).click();
        await page.getByTestId("year-form").waitFor();
        await check("years");
        await visit(page, "/ballot-codes", (p) => p.getByRole("heading", { level: 1 }));
        await check("ballot codes");
        // 管理: the tree with a branch chosen (its people and the new-account form) and the trail.
        await visit(page, "/admin", (p) => p.getByTestId("org-tree"));
        await page.getByTestId("org-tree").getByRole("button").last().click();
        await page.getByTestId("people").waitFor();
        await page.getByTestId("audit-entry").first().waitFor();
        await check("administration");
        // 督查: the school's dashboard, its charts and its table.
        await visit(page, "/dashboard", (p) => p.getByTestId("dashboard-table"));
        await check("dashboard");
        // 情况通报: the draft generated from the dashboard, the person's notices.
        const school = (await api(context, "/api/dashboard")).unit.id;
        await visit(page, `/circular-draft?unit=${school}`, (p) => p.getByTestId("circular-form"));
        await page.waitForFunction(() => document.querySelector("#circular-title")?.value.length > 0);
        await check("circular draft");
        await visit(page, "/circulars", (p) => p.getByRole("heading", { level: 1 }));
        await check("circulars");

        assert.deepEqual(problems, []);
        assert.deepEqual(browser.errors, []);
      } finally {
        await browser.close();
      }
    });
  }
}
