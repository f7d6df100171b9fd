// Steps the user-flow specs share: signing in, syncing, filling an item.
import { BASE_URL } from "./browser.mjs";

export async function signIn(page, login) {
  await page.goto(`${BASE_URL}/sign-in`);
  await page.getByLabel("账号").fill(login);
  await page.getByLabel("密码").fill("chengnuo-demo");
  await page.getByRole("button", { name: "登录" }).click();
  // The server checks the password with argon2 (a debug build under the tests): on a
  // loaded 2-core machine the answer took more than 10 s once (session 12).
  await page.getByRole("heading", { level: 2, name: "我的公开承诺书" }).waitFor({ timeout: 30_000 });
}

/** Pushes and pulls now ("立即同步") and waits until nothing waits. */
export async function syncNow(page) {
  await page.getByRole("button", { name: "立即同步" }).click();
  await synced(page);
}

export async function synced(page) {
  await page.getByTestId("pending").filter({ hasText: "已全部同步" }).waitFor({ timeout: 20_000 });
}

export async function fillItem(page, n, { area, content, measures, deadline }) {
  const item = page.getByTestId("item").nth(n);
  await item.getByLabel("承诺方向").selectOption(area);
  await item.getByLabel("承诺事项").fill(content);
  await item.getByLabel("具体措施").fill(measures);
  await item.getByLabel("完成时限").fill(deadline);
}


/** A day at the school (UTC+8, the demo cycle's time zone), `offsetDays` from today. */
export function schoolDay(offsetDays = 0) {
  return new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
}
