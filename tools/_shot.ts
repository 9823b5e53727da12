import { chromium } from "playwright-core";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on("console", (m) => console.log("console", m.type(), m.text().slice(0, 200)));
page.on("pageerror", (e) => console.log("pageerror", e.message));
for (const [url, out] of Deno.args.map((a) => a.split("="))) {
  await page.goto("file:///work/wt/site/build/site/" + url);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: out, fullPage: Deno.env.get("FULL") === "1" });
}
await browser.close();
