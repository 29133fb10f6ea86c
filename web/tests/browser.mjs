// Drives Debian's Chromium through playwright-core (never a downloaded browser) and checks
// each screen with axe-core. Shared by the browser test scenarios.
import { chromium } from "playwright-core";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
      "--disable-quic",
    ],
  });
}

// Runs axe-core on the page (WCAG 2.1 A and AA rules) and returns its violations.
export async function axeViolations(page) {
  // Evaluated through DevTools, so the app's Content-Security-Policy stays on and untouched.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
}

export class Checker {
  constructor(screenshotDir) {
    this.passed = 0;
    this.failed = 0;
    this.screenshotDir = screenshotDir;
    this.screenshots = [];
    this.axeReport = [];
    mkdirSync(screenshotDir, { recursive: true });
  }
  check(condition, description) {
    if (condition) {
      this.passed++;
      console.log(`ok   ${description}`);
    } else {
      this.failed++;
      console.log(`FAIL ${description}`);
    }
  }
  // Screenshot plus zero-violation axe check of the screen as it is now.
  async screen(page, name) {
    const file = `${this.screenshotDir}/${name}.png`;
    await page.screenshot({ path: file, fullPage: true });
    this.screenshots.push(file);
    const violations = await axeViolations(page);
    this.axeReport.push({ screen: name, violations: violations.length });
    for (const v of violations) console.log(`     axe ${name}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(", ")}`);
    this.check(violations.length === 0, `axe: no WCAG 2.1 AA violations on ${name}`);
  }
}
