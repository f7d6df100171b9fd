// Checks every screen must pass, at every size a phone has: the rules of
// axe-core (WCAG 2.2 AA and best practices), nothing wider than the screen,
// tap targets big enough, one h1, a title of its own.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** The phone widths checked for overflow (the narrowest phones to the widest). */
export const PHONE_WIDTHS = [320, 360, 390, 430];

/** axe-core's violations on the page as it is now (an empty list passes). */
export async function axeViolations(page) {
  // Evaluated, not injected as a <script>: the app's CSP allows no inline script.
  await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
      resultTypes: ["violations", "passes"],
    }),
  );
  if (result.passes.length === 0) throw new Error("axe-core checked nothing");
  return result.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}: ${n.failureSummary?.split("\n").slice(0, 2).join(" ")}`),
  }));
}

/**
 * Elements whose right edge passes the viewport width the test set. In
 * mobile emulation a too-wide page widens `innerWidth` itself, so the width
 * is the one given, not the one the page reports.
 */
export async function overflowing(page, width) {
  return page.evaluate((width) => {
    const out = [];
    for (const element of document.body.querySelectorAll("*")) {
      const style = getComputedStyle(element);
      if (style.display === "none" || style.visibility === "hidden") continue;
      if (element.closest(".visually-hidden, .skip-link")) continue;
      // A wide table scrolls inside its own box (the box itself is checked).
      if (element.parentElement?.closest(".table-scroll")) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.right > width + 0.5 || box.left < -0.5) {
        out.push(`${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}${element.className ? "." + String(element.className).split(" ").join(".") : ""} (${Math.round(box.left)}–${Math.round(box.right)})`);
      }
    }
    return out.slice(0, 10);
  }, width);
}

/**
 * Controls smaller than 24 px; actions (buttons, button-links, the bar's
 * links) and fields (text, numbers, dates, choices) under 44 px tall; fields
 * whose text is under 16 px (a phone zooms into those, and they are hard to read).
 */
export async function smallTargets(page) {
  return page.evaluate(() => {
    const out = [];
    const controls = document.querySelectorAll("a[href], button, input, select, textarea, summary, [role=button]");
    for (const element of controls) {
      const style = getComputedStyle(element);
      if (style.display === "none" || style.visibility === "hidden") continue;
      if (element.closest(".visually-hidden")) continue;
      if (element.type === "file" && element.classList.contains("visually-hidden")) continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      // Links inside running text are exempt (WCAG 2.5.8, inline).
      const inline = element.tagName === "A" && !element.classList.contains("button") && element.closest("p, li, td");
      const action = element.tagName === "BUTTON" || element.classList.contains("button") || element.tagName === "SELECT"
        || element.closest(".app-bar") || element.classList.contains("back");
      const name = `${element.tagName.toLowerCase()} "${(element.innerText || element.getAttribute("aria-label") || element.id || "").trim().slice(0, 20)}"`;
      const field = (element.tagName === "INPUT" && !["checkbox", "radio", "file", "hidden"].includes(element.type))
        || element.tagName === "TEXTAREA" || element.tagName === "SELECT";
      if (field && parseFloat(style.fontSize) < 15.5) out.push(`${name} text ${style.fontSize} (field)`);
      if ((action || field) && box.height < 43.5) out.push(`${name} ${Math.round(box.width)}×${Math.round(box.height)} (${field ? "field" : "action"})`);
      else if (!inline && (box.height < 23.5 || box.width < 23.5)) out.push(`${name} ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
    return out.slice(0, 10);
  });
}

/**
 * Everything a screen must pass, at its current size and, for a phone,
 * at every phone width; resets the viewport it found.
 */
export async function checkScreen(page, name, { phone = true } = {}) {
  const problems = [];
  const headings = await page.locator("h1").count();
  if (headings !== 1) problems.push(`${headings} h1 elements`);
  const violations = await axeViolations(page);
  if (violations.length > 0) problems.push(`axe: ${JSON.stringify(violations, null, 1)}`);
  if (phone) {
    const original = page.viewportSize();
    for (const width of PHONE_WIDTHS) {
      await page.setViewportSize({ width, height: original.height });
      await page.waitForTimeout(50);
      const wide = await overflowing(page, width);
      if (wide.length > 0) problems.push(`wider than ${width} px: ${wide.join(", ")}`);
    }
    await page.setViewportSize(original);
    const small = await smallTargets(page);
    if (small.length > 0) problems.push(`small tap targets: ${small.join(", ")}`);
  }
  return problems.map((p) => `${name}: ${p}`);
}
