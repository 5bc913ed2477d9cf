// Opens the partnership leads' dashboard in real headless Chromium (Debian's, driven by playwright-core), waits until
// the page says it is ready or failed, and prints one JSON line of what was actually drawn: for each canvas the labels
// and datasets Chart.js holds, the numbers in the tables beneath, the page's problem message, and every console error
// and Content-Security-Policy violation seen. Then saves a full-page screenshot.
// Usage: node browser-dashboard.mjs <url> <screenshotPath> [<width>x<height>, default 1280x900]
import { createRequire } from "node:module";
const require = createRequire(process.env.NOTIFYHUB_ROOT + "/package.json");
const { chromium } = require("playwright-core");

const [url, screenshotPath, size = "1280x900"] = process.argv.slice(2);
const [width, height] = size.split("x").map(Number);
if (!url || !screenshotPath || !(width > 0 && height > 0)) {
  console.error("Usage: node browser-dashboard.mjs <url> <screenshotPath> [<width>x<height>]");
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
let exitCode = 0;
try {
  const page = await browser.newPage({ viewport: { width, height } });
  const consoleErrors = [];
  const cspViolations = [];
  page.on("console", (message) => { if (message.type() === "error") consoleErrors.push(message.text()); });
  page.on("pageerror", (error) => consoleErrors.push(String(error)));
  // Before any script of the page runs, so that a violation by the first inline script is seen too.
  await page.exposeFunction("__notifyhubCspViolation", (violation) => cspViolations.push(violation));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => window.__notifyhubCspViolation({
      directive: e.effectiveDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample,
    }));
  });

  let response;
  try {
    response = await page.goto(url);
  } catch (error) {
    console.error(`Could not open ${url}: ${error.message}`);
    exitCode = 1;
  }
  if (exitCode === 0) {
    let timedOut = false;
    // A refused page (the server's own 4xx/5xx) has no dashboard script to wait for: report it as it is.
    if (response?.ok() ?? true) {
      try {
        await page.waitForSelector("body[data-state=ready], body[data-state=error]", { timeout: 30_000 });
      } catch {
        timedOut = true;
      }
    }
    const seen = await page.evaluate(() => {
      const charts = {};
      for (const canvas of document.querySelectorAll("canvas[id]")) {
        const chart = typeof Chart === "function" ? Chart.getChart(canvas) : undefined;
        if (!chart) continue;
        charts[canvas.id] = {
          type: chart.config.type,
          labels: [...chart.data.labels],
          datasets: chart.data.datasets.map((d) => ({ key: d.key ?? null, label: d.label, data: [...d.data] })),
        };
      }
      // tables[tableId][series][period] = number, or null where the page shows no value
      const tables = {};
      for (const table of document.querySelectorAll("table[id]")) {
        const rows = {};
        for (const cell of table.querySelectorAll("td[data-series][data-period]")) {
          const value = cell.dataset.value;
          (rows[cell.dataset.series] ??= {})[cell.dataset.period] = value === undefined || value === "" ? null : Number(value);
        }
        tables[table.id] = rows;
      }
      const problem = document.getElementById("problem");
      return {
        state: document.body.dataset.state ?? null,
        problem: problem && !problem.hidden ? problem.textContent : null,
        title: document.getElementById("title")?.textContent ?? null,
        range: document.getElementById("range")?.textContent ?? null,
        charts, tables,
      };
    });
    console.log(JSON.stringify({ status: response?.status() ?? null, timedOut, ...seen, consoleErrors, cspViolations }));
    await page.screenshot({ path: screenshotPath, fullPage: true });
  }
} finally {
  await browser.close();
}
process.exit(exitCode);
