// Walks pages in real headless Chromium (Debian's, driven by playwright-core) as a person would, and checks each state
// with axe-core (@axe-core/playwright) at WCAG 2.2 AA. Reads a plan (JSON) on stdin:
//   { "viewport": {"width":1280,"height":900}, "steps": [ {"goto": url} | {"click": selector} | {"press": key}
//     | {"fill": selector, "value": text} | {"check": "name"} | {"screenshot": path} | {"text": selector, "as": "name"}
//     | {"inputValue": selector, "as": "name"} | {"viewport": {"width","height"}} | {"zoom": 2} | {"wait": selector} | {"tabTo": selector}
//     | {"type": text} | {"media": "print"|"screen"} | {"visible": selector, "as": "name"} ] }
// A step {"check": name} records, under that name: the page's status, title, URL, main text, axe violations, whether the
// page scrolls sideways (at 320 px that fails WCAG reflow), and which element has focus. Prints one JSON line:
// { "checks": {name: {...}}, "texts": {...}, "consoleErrors": [...], "cspViolations": [...], "requests": [...] }.
// Chromium may reach 127.0.0.1 only: every other host fails to resolve.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
const require = createRequire(process.env.NOTIFYHUB_ROOT + "/package.json");
const { chromium } = require("playwright-core");
const { AxeBuilder } = require("@axe-core/playwright");

const plan = JSON.parse(readFileSync(0, "utf8"));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
});
const out = { checks: {}, texts: {}, consoleErrors: [], cspViolations: [], requests: [] };
let exitCode = 0;
try {
  const context = await browser.newContext({ viewport: plan.viewport ?? { width: 1280, height: 900 }, javaScriptEnabled: plan.javaScript ?? true });
  const page = await context.newPage();
  // A page answered 400 or 404 on purpose (a form with mistakes, a dead link) makes Chromium log "Failed to load
  // resource" for the document itself: only a sub-resource that fails is an error of the page.
  page.on("console", (m) => { if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) out.consoleErrors.push(m.text()); });
  page.on("response", (r) => { if (r.status() >= 400 && r.request().resourceType() !== "document") out.consoleErrors.push(`${r.status()} for ${r.url()}`); });
  page.on("pageerror", (e) => out.consoleErrors.push(String(e)));
  page.on("request", (r) => out.requests.push(r.url()));
  await page.exposeFunction("__cspViolation", (v) => out.cspViolations.push(v));
  await page.addInitScript(() => document.addEventListener("securitypolicyviolation",
    (e) => window.__cspViolation({ directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile })));
  let last = null;
  for (const step of plan.steps) {
    if (step.goto) last = await page.goto(step.goto);
    else if (step.click) {
      const [navigation] = await Promise.all([page.waitForNavigation({ timeout: 10_000 }).catch(() => null), page.click(step.click)]);
      if (navigation) last = navigation;
    } else if (step.press) {
      const [navigation] = await Promise.all([page.waitForNavigation({ timeout: 5_000 }).catch(() => null), page.keyboard.press(step.press)]);
      if (navigation) last = navigation;
    } else if (step.tabTo) {
      // Keyboard only: Tab from where focus is until the element has it (a page that traps or skips it fails here).
      let reached = false;
      for (let i = 0; i < 60 && !reached; i++) {
        await page.keyboard.press("Tab");
        reached = await page.evaluate((selector) => document.activeElement?.matches(selector) ?? false, step.tabTo);
      }
      if (!reached) throw new Error(`Tab never reached ${step.tabTo}`);
    } else if (step.type !== undefined) await page.keyboard.type(step.type);
    else if (step.fill) await page.fill(step.fill, step.value);
    else if (step.wait) await page.waitForSelector(step.wait, { timeout: 30_000 });
    else if (step.viewport) await page.setViewportSize(step.viewport);
    else if (step.zoom) await page.evaluate((z) => { document.documentElement.style.zoom = String(z); }, step.zoom);
    else if (step.screenshot) await page.screenshot({ path: step.screenshot, fullPage: true });
    else if (step.text) out.texts[step.as] = (await page.locator(step.text).allTextContents()).join("\n");
    else if (step.inputValue) out.texts[step.as] = await page.inputValue(step.inputValue);
    else if (step.media) await page.emulateMedia({ media: step.media });
    else if (step.visible) out.texts[step.as] = String(await page.locator(step.visible).first().isVisible());
    else if (step.check) {
      const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
      out.checks[step.check] = {
        status: last?.status() ?? null,
        url: page.url(),
        title: await page.title(),
        main: (await page.locator("main").allTextContents()).join("\n").replace(/\s+/g, " ").trim(),
        violations: axe.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) })),
        scrollsSideways: await page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1),
        focused: await page.evaluate(() => document.activeElement ? (document.activeElement.id || document.activeElement.tagName.toLowerCase()) : null),
      };
    } else throw new Error("Unknown step " + JSON.stringify(step));
  }
} catch (error) {
  console.error(String(error?.stack ?? error));
  exitCode = 1;
} finally {
  await browser.close();
}
console.log(JSON.stringify(out));
process.exit(exitCode);
