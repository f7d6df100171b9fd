// Two devices, a lost response, and a reviewer working offline
// (issue: offline-first client, tests 2, 3 and 5).
import { test } from "node:test";
import assert from "node:assert/strict";
import { launch, screenshot, waitForServiceWorker, waitForCachedPart, PHONE, DESKTOP } from "./support/browser.mjs";
import { checkScreen } from "./support/screen.mjs";

async function signIn(page, login) {
  await page.goto("/sign-in");
  await page.getByLabel("账号").fill(login);
  await page.getByLabel("密码").fill("chengnuo-demo");
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("heading", { level: 2, name: "我的公开承诺书" }).waitFor();
}

async function synced(page) {
  await page.getByTestId("pending").filter({ hasText: "已全部同步" }).waitFor({ timeout: 20_000 });
}

async function createOnline(page, context) {
  const cycle = await (await context.request.get("/api/cycles/current")).json();
  await page.getByRole("button", { name: "开始起草" }).click();
  const item = page.getByTestId("item").nth(0);
  await item.getByLabel("承诺方向").selectOption("M1");
  await item.getByLabel("承诺事项").fill("主讲两门专业课");
  await item.getByLabel("具体措施").fill("每两周答疑一次");
  await item.getByLabel("完成时限").fill(cycle.calendar.fulfilment_until);
  await synced(page);
  return { cycle, url: page.url() };
}

async function ownCommitment(context, cycle) {
  const me = await (await context.request.get("/api/me")).json();
  const all = await (await context.request.get(`/api/commitments?cycle=${cycle.id}`)).json();
  return all.filter((c) => c.committer.id === me.person.id);
}

/** A commitment with three items, made online on this page. */
async function createThreeItems(page, context) {
  const { cycle, url } = await createOnline(page, context);
  for (const [n, content] of [[1, "第二项：指导学生竞赛"], [2, "第三项：参加教研活动"]]) {
    await page.getByRole("button", { name: "添加事项" }).click();
    const item = page.getByTestId("item").nth(n);
    await item.getByLabel("承诺方向").selectOption("M2");
    await item.getByLabel("承诺事项").fill(content);
    await item.getByLabel("具体措施").fill("原来的措施");
    await item.getByLabel("完成时限").fill(cycle.calendar.fulfilment_until);
  }
  await synced(page);
  return { cycle, url };
}

const field = (page, n, label) => page.getByTestId("item").nth(n).getByLabel(label);

test("two phones of one person: what each changed reaches the other, only the field both changed is asked, and the offered merge keeps everyone's text", async () => {
  const phone1 = await launch({ viewport: PHONE });
  const phone2 = await launch({ viewport: { width: 360, height: 740 } });
  try {
    await signIn(phone1.page, "member");
    const { cycle, url } = await createThreeItems(phone1.page, phone1.context);
    await signIn(phone2.page, "member");
    await phone2.page.goto(url);
    await field(phone2.page, 2, "具体措施").waitFor();
    await waitForServiceWorker(phone1.page);
    await waitForServiceWorker(phone2.page);

    await phone1.context.setOffline(true);
    await phone2.context.setOffline(true);
    await field(phone1.page, 0, "承诺事项").fill("主讲两门专业课（手机1补充：含实验课）");
    await field(phone1.page, 2, "具体措施").fill("手机1的措施：每学期两次");
    await field(phone2.page, 1, "承诺事项").fill("第二项：指导学生竞赛（手机2补充：省级以上）");
    await field(phone2.page, 2, "具体措施").fill("手机2的措施：每月一次");
    await phone1.page.waitForTimeout(400);
    await phone2.page.waitForTimeout(400);
    // Offline with changes waiting: the status says so, and the screen still passes.
    await phone1.page.getByTestId("network").filter({ hasText: "离线" }).waitFor();
    await phone1.page.getByTestId("pending").filter({ hasText: "1 条修改待同步" }).waitFor();
    assert.deepEqual(await checkScreen(phone1.page, "form offline, changes waiting"), []);

    await phone1.context.setOffline(false);
    await synced(phone1.page);
    await phone2.context.setOffline(false);
    const conflict = phone2.page.getByTestId("conflict");
    await conflict.waitFor({ timeout: 20_000 });
    await phone2.page.getByTestId("attention").filter({ hasText: "1 处冲突待合并" }).waitFor();
    // One question: item 3's measures, both versions shown, "keep both" offered.
    const questions = conflict.getByTestId("merge-question");
    assert.equal(await questions.count(), 1);
    assert.match(await questions.first().locator("legend").innerText(), /事项 3 · 具体措施/);
    assert.equal(await questions.first().getByTestId("mine").innerText(), "手机2的措施：每月一次");
    assert.equal(await questions.first().getByTestId("theirs").innerText(), "手机1的措施：每学期两次");
    assert.ok(await questions.first().getByLabel("两者都保留").isChecked());
    await screenshot(phone2.page, "conflict-360x740");
    assert.deepEqual(await checkScreen(phone2.page, "merge"), []);
    await phone2.page.getByRole("button", { name: "保存合并结果" }).click();
    await synced(phone2.page);

    const [commitment] = await ownCommitment(phone2.context, cycle);
    const items = commitment.draft.items;
    assert.equal(items[0].content, "主讲两门专业课（手机1补充：含实验课）");
    assert.equal(items[1].content, "第二项：指导学生竞赛（手机2补充：省级以上）");
    assert.equal(items[2].measures, "手机2的措施：每月一次\n手机1的措施：每学期两次");
    // Phone 1 gets phone 2's work without being asked anything.
    await phone1.page.getByRole("button", { name: "立即同步" }).click();
    await synced(phone1.page);
    await phone1.page.waitForFunction(
      () => document.querySelectorAll("[data-testid=item] textarea")[2]?.value.includes("手机2补充"),
    );
    assert.equal(await field(phone1.page, 0, "承诺事项").inputValue(), "主讲两门专业课（手机1补充：含实验课）");
    assert.equal(await field(phone1.page, 2, "具体措施").inputValue(), "手机2的措施：每月一次\n手机1的措施：每学期两次");
    assert.equal(await phone1.page.getByTestId("conflict").count(), 0);
    assert.deepEqual(phone1.errors, []);
    assert.deepEqual(phone2.errors, []);
  } finally {
    await phone1.close();
    await phone2.close();
  }
});

test("an answer lost after the server applied it, with typing while it was on its way, loses nothing", async () => {
  const browser = await launch({ viewport: PHONE });
  try {
    const { page, context } = browser;
    await signIn(page, "member");
    const cycle = await (await context.request.get("/api/cycles/current")).json();
    const [before] = await ownCommitment(context, cycle);
    const auditBefore = await (await context.request.get(`/api/commitments/${before.id}/audit`)).json();
    const summary = page.getByLabel("调研情况（师生的意愿和需求）");
    let dropped = 0;
    await page.route("**/api/sync/push", async (route) => {
      if (dropped === 0) {
        dropped += 1;
        await route.fetch(); // the server applies it...
        // ...the member types sixteen more characters meanwhile...
        await summary.pressSequentially("，再补充十六个字的第二段内容。", { delay: 20 });
        await route.abort("connectionreset"); // ...and the answer never arrives.
        return;
      }
      await route.continue();
    });
    await page.goto(`/commitments/${before.id}`);
    await summary.fill("应答丢失之前写的");
    await page.getByTestId("network").filter({ hasText: "无法连接服务器" }).waitFor({ timeout: 20_000 });
    await synced(page);
    assert.equal(dropped, 1);
    const typed = "应答丢失之前写的，再补充十六个字的第二段内容。";
    const [after] = await ownCommitment(context, cycle);
    assert.equal(after.draft.needs_summary, typed);
    assert.equal(await summary.inputValue(), typed);
    const auditAfter = await (await context.request.get(`/api/commitments/${before.id}/audit`)).json();
    assert.equal(auditAfter.length, auditBefore.length + 2, "two edits, each applied once");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

/** A small seeded generator, so that a failing run can be replayed. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test("typing 100 characters while 30 % of sync requests fail, half of them after the server applied them, loses nothing", async () => {
  const browser = await launch({ viewport: PHONE });
  const seed = Number(process.env.CHENGNUO_SEED ?? 20261127);
  try {
    const { page, context } = browser;
    await signIn(page, "member");
    const cycle = await (await context.request.get("/api/cycles/current")).json();
    const [before] = await ownCommitment(context, cycle);
    const next = random(seed);
    let flaky = true;
    const failures = { before: 0, after: 0 };
    await page.route("**/api/sync/*", async (route) => {
      const roll = next();
      if (flaky && roll < 0.15) {
        failures.before += 1;
        await route.abort("connectionreset");
      } else if (flaky && roll < 0.3) {
        failures.after += 1;
        await route.fetch();
        await route.abort("connectionreset");
      } else {
        await route.continue();
      }
    });
    await page.goto(`/commitments/${before.id}`);
    const target = page.getByTestId("item").nth(1).getByLabel("具体措施");
    await target.fill("");
    const typed = "每月组织一次学生竞赛辅导并记录参与人数和获奖情况".repeat(5).slice(0, 100);
    for (const piece of typed.match(/.{1,10}/g)) {
      await target.pressSequentially(piece, { delay: 40 });
      await page.waitForTimeout(800 + Math.floor(next() * 1700));
    }
    flaky = false;
    await page.getByRole("button", { name: "立即同步" }).click();
    await synced(page);
    const [after] = await ownCommitment(context, cycle);
    assert.equal(after.draft.items[1].measures, typed, `seed ${seed}: ${JSON.stringify(failures)}`);
    assert.equal(await target.inputValue(), typed, `seed ${seed}`);
    assert.ok(failures.before + failures.after > 0, "some requests failed");
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
  }
});

test("a branch secretary reviews offline; the decisions reach the server; a stale one is shown", async () => {
  const browser = await launch({ viewport: PHONE });
  const committee = await launch({ viewport: DESKTOP });
  try {
    const { page, context } = browser;
    await signIn(page, "branch");
    const queue = page.locator(".queue li");
    await queue.nth(2).waitFor();
    const links = await queue.getByRole("link", { name: "审核" }).evaluateAll((as) => as.map((a) => a.getAttribute("href")));
    const [approveId, returnId, staleId] = links.slice(0, 3).map((href) => href.split("/").pop());

    // Offline navigation needs the service worker in control first, and the
    // review screen's part, which a secretary's app fetches while online.
    await waitForServiceWorker(page);
    await waitForCachedPart(page, "split_review_screen");
    await context.setOffline(true);
    await page.goto(`/review/${approveId}`);
    for (const criterion of ["体现先进性要求", "以正在干的事情为中心", "体现岗位、职责特点", "符合师生意愿", "切实可行"]) {
      await page.getByLabel(criterion).check();
    }
    await screenshot(page, "review-390x844");
    await page.getByRole("button", { name: "审核通过" }).click();
    await page.getByText("审核意见已记录；联网后送达。").waitFor();

    await page.goto(`/review/${returnId}`);
    await page.getByRole("button", { name: "退回修改" }).click();
    await page.getByText("退回修改须写明指导意见。").waitFor();
    await page.getByLabel("指导意见（退回时必填）").fill("第二项措施请写明每月安排");
    await page.getByRole("button", { name: "退回修改" }).click();
    await page.getByText("审核意见已记录；联网后送达。").waitFor();

    await page.goto(`/review/${staleId}`);
    for (const criterion of ["体现先进性要求", "以正在干的事情为中心", "体现岗位、职责特点", "符合师生意愿", "切实可行"]) {
      await page.getByLabel(criterion).check();
    }
    await page.getByRole("button", { name: "审核通过" }).click();

    // Meanwhile the committee secretary returns that one.
    await signIn(committee.page, "committee");
    const current = await (await committee.context.request.get(`/api/commitments/${staleId}`)).json();
    const returned = await committee.context.request.post(`/api/commitments/${staleId}/review`, {
      data: { base_revision: current.revision, review: { criteria: {}, decision: "Return", guidance: "请先补充调研情况" } },
    });
    assert.equal(returned.status(), 200);

    await context.setOffline(false);
    await synced(page);
    const approved = await (await context.request.get(`/api/commitments/${approveId}`)).json();
    assert.equal(approved.state, "Approved");
    const sentBack = await (await context.request.get(`/api/commitments/${returnId}`)).json();
    assert.equal(sentBack.state, "Returned");
    assert.equal(sentBack.reviews.at(-1).guidance, "第二项措施请写明每月安排");
    const stale = await (await context.request.get(`/api/commitments/${staleId}`)).json();
    assert.equal(stale.state, "Returned");
    assert.equal(stale.reviews.at(-1).guidance, "请先补充调研情况");
    await page.goto(`/review/${staleId}`);
    await page.getByTestId("stale").waitFor();
    assert.deepEqual(browser.errors, []);
  } finally {
    await browser.close();
    await committee.close();
  }
});
