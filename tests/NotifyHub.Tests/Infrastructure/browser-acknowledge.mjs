// Opens a notification link in real headless Chromium (Debian's, driven by playwright-core), presses "Open the
// notification" on the page the link opens, reads the notification, fills in the Acknowledge form and submits it as a
// person would. Prints what it saw as JSON.
// Usage: node browser-acknowledge.mjs <url> <name> <role>
import { createRequire } from "node:module";
const require = createRequire(process.env.NOTIFYHUB_ROOT + "/package.json");
const { chromium } = require("playwright-core");

const [url, name, role] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  const response = await page.goto(url);
  const landing = await page.textContent("body");
  const [opened] = await Promise.all([page.waitForNavigation(), page.click("#open")]);
  const before = await page.textContent("body");
  const formCount = await page.locator("form").count();
  await page.fill("#name", name);
  await page.fill("#role", role);
  const [submitted] = await Promise.all([page.waitForNavigation(), page.click("button[type=submit]")]);
  const after = await page.textContent("body");
  console.log(JSON.stringify({
    status: response.status(), landing, openedStatus: opened?.status() ?? null, before, formCount, submittedStatus: submitted?.status() ?? null, after,
    acknowledged: await page.locator("#acknowledged").count() > 0 ? await page.textContent("#acknowledged") : null,
  }));
} finally {
  await browser.close();
}
