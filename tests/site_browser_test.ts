/**
 * The course site (tools/site.ts) in headless Chromium, opened from its folder with `file://` and no network:
 * every page loads without a script error or a request that leaves the folder; every chart draws its SVG; Chinese
 * prose and chart text are drawn with a Simplified Chinese CJK font (the fonts Chromium used, asked through the
 * DevTools protocol, and one distinct glyph image per character, as tests/browser_test.ts checks the notebooks);
 * every internal link resolves; the student build holds no solution text and the solutions build shows each solution
 * behind a toggle. Screenshots of the index and two notebook pages go to build/screenshots/site-*.png.
 *
 * In the suite (`deno task test`) the site stage builds both sites from the notebook stage's executed copies first
 * and sets `LIANDAN_SITE_BUILT=1`; run alone, this test builds them itself (`deno task site`'s logic, running only the
 * notebooks that have no executed copy). Skipped when Chromium is missing, unless CI=true.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Page } from "playwright-core";
import { REPO_ROOT } from "../tools/kernelspec.ts";
import { buildSite, SITE_DIR, SOLUTIONS_SITE_DIR } from "../tools/site.ts";
import { NOTEBOOKS_DIR } from "../tools/nb.ts";
import { brokenLinks, htmlFiles, solutionsShown } from "./_site_checks.ts";
import { assertCjkFont, CHROMIUM, CHROMIUM_ARGS, CJK, SC_FONT, works } from "./_chromium.ts";

const SCREENSHOTS = join(REPO_ROOT, "build", "screenshots");

const skip = !(await works(CHROMIUM, ["--version"])) && Deno.env.get("CI") !== "true";
if (skip) console.warn(`Skipping the site's browser check: no Chromium at ${CHROMIUM} (CI=true makes this a failure)`);

Deno.test({
  name: "site: the built course works from its folder in Chromium, offline, in both languages and both builds",
  ignore: skip,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    if (Deno.env.get("LIANDAN_SITE_BUILT") !== "1") {
      for (const solutions of [false, true]) {
        const report = await buildSite({ solutions });
        assert.deepEqual(report.problems, [], `the site${solutions ? " --solutions" : ""} is incomplete`);
      }
    }
    const pages = await htmlFiles(SITE_DIR);
    const notebookPages = pages.filter((p) => /^(en|zh)\/\d\d_/.test(p));
    assert.ok(notebookPages.length >= 2, `expected notebook pages in ${SITE_DIR}: ${pages}`);
    const en = notebookPages.filter((p) => p.startsWith("en/"));
    const zh = notebookPages.filter((p) => p.startsWith("zh/"));
    const shots = new Map([["index.html", "site-index.png"], [en[1] ?? en[0], ""], [zh[0], ""]]);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const outside: string[] = [];
      await context.route(/^(?!file:|data:|blob:|about:)/, (route) => {
        outside.push(route.request().url());
        return route.abort();
      });
      const open = async (tab: Page, dir: string, file: string) => {
        await tab.goto(pathToFileURL(join(dir, file)).href, { waitUntil: "load", timeout: 120_000 });
        await tab.waitForFunction(
          () =>
            document.querySelectorAll(".chart").length === 0 ||
            document.body.hasAttribute("data-charts-drawn"),
          undefined,
          { timeout: 60_000 },
        );
      };
      const tabWithLog = async () => {
        const tab = await context.newPage();
        const errors: string[] = [];
        tab.on("pageerror", (e) => errors.push(`script error: ${e.message.slice(0, 300)}`));
        tab.on("console", (m) => m.type() === "error" && errors.push(`console error: ${m.text().slice(0, 300)}`));
        tab.on("requestfailed", (r) => errors.push(`failed to load ${r.url()}: ${r.failure()?.errorText}`));
        return { tab, errors };
      };
      // Each page is opened once (two tabs at a time: most of a page's time is plotly.js starting and drawing), and
      // the font checks and screenshots are taken on it then; the steps after the first report what was seen.
      const fonts: { index?: string[]; prose?: string[]; chart?: string[] } = {};
      await t.step("every page loads with no network and no script error; every chart draws its SVG", async () => {
        const started = performance.now();
        let charts = 0, next = 0;
        await Deno.mkdir(SCREENSHOTS, { recursive: true });
        const worker = async () => {
          const { tab, errors } = await tabWithLog();
          while (next < pages.length) {
            const file = pages[next++];
            errors.length = 0;
            await open(tab, SITE_DIR, file);
            const { total, missing, chartText } = await tab.evaluate(() => {
              const all = [...document.querySelectorAll(".chart")];
              return {
                total: all.length,
                missing: all.filter((c) => !c.querySelector("svg.main-svg")).map((c) => c.id),
                chartText: [...document.querySelectorAll(".chart svg.main-svg text")].map((n) => n.textContent ?? ""),
              };
            });
            assert.deepEqual(missing, [], `${file}: charts without an SVG`);
            assert.deepEqual(errors, [], `${file}: ${errors.join("\n")}`);
            charts += total;
            if (file === "zh/index.html") {
              fonts.index = await assertCjkFont(tab, "main :is(p, h1, h2, td)", "the Chinese index", SC_FONT);
            }
            if (file.startsWith("zh/") && fonts.chart === undefined && chartText.some((s) => CJK.test(s))) {
              fonts.chart = await assertCjkFont(tab, ".chart svg.main-svg text", `${file}'s charts`, SC_FONT);
              fonts.prose = await assertCjkFont(tab, "main .md-cell :is(p, h1, h2, h3, li, td)", file, SC_FONT);
            }
            if (shots.has(file)) {
              const path = join(
                SCREENSHOTS,
                shots.get(file) || `site-${file.replace("/", "-").replace(/html$/, "png")}`,
              );
              const height = await tab.evaluate(() => document.documentElement.scrollHeight);
              await tab.screenshot({
                path,
                fullPage: true,
                clip: { x: 0, y: 0, width: 1280, height: Math.min(height, 4000) },
              });
              console.log(`site: screenshot ${path}`);
            }
          }
          await tab.close();
        };
        await Promise.all([worker(), worker()]);
        assert.deepEqual(outside, [], "pages asked for something outside their folder");
        assert.ok(charts > 0, "the course's pages show charts");
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        console.log(`site: ${pages.length} pages loaded, ${charts} charts drawn, no network, in ${seconds} s`);
      });

      await t.step("Chinese prose and chart text are drawn with a Simplified Chinese font", () => {
        assert.ok(fonts.index, "the Chinese index was checked");
        assert.ok(fonts.chart && fonts.prose, "a Chinese notebook page has a chart with Chinese text");
        console.log(`site: Chinese drawn with ${fonts.index} (index), ${fonts.prose} (prose), ${fonts.chart} (charts)`);
      });

      await t.step("every internal link and asset of both builds resolves", async () => {
        for (const dir of [SITE_DIR, SOLUTIONS_SITE_DIR]) {
          const { broken, checked } = await brokenLinks(dir);
          assert.deepEqual(broken, []);
          assert.ok(checked > pages.length * 5, `only ${checked} links checked in ${dir}`);
        }
      });

      await t.step("the student build has no solution text; the solutions build has each behind a toggle", async () => {
        const student = await solutionsShown(SITE_DIR, NOTEBOOKS_DIR);
        assert.ok(student.secrets > 0, "the notebooks have solutions to hide");
        assert.deepEqual(student.shown, [], "solution text in the student build");
        const teacher = await solutionsShown(SOLUTIONS_SITE_DIR, NOTEBOOKS_DIR);
        assert.ok(teacher.shown.length >= teacher.secrets, "the solutions build shows every solution line");
        // In the browser: the smallest English page with an exercise; its solution opens on a click; and the
        // language switch and the home link of a page lead where they say.
        const sized = await Promise.all(en.map(async (p) => ({ p, size: (await Deno.stat(join(SITE_DIR, p))).size })));
        let page: string | undefined;
        for (const { p } of sized.sort((a, b) => a.size - b.size)) {
          if ((await Deno.readTextFile(join(SOLUTIONS_SITE_DIR, p))).includes('class="solution"')) {
            page = p;
            break;
          }
        }
        assert.ok(page, "a page of the solutions build has a solution");
        const { tab, errors } = await tabWithLog();
        await open(tab, SOLUTIONS_SITE_DIR, page);
        const toggle = tab.locator("details.solution").first();
        assert.equal(await toggle.locator("pre").isVisible(), false, "a solution is hidden until asked for");
        await toggle.locator("summary").click();
        assert.equal(await toggle.locator("pre").isVisible(), true);
        await tab.click("a.lang-switch");
        await tab.waitForLoadState("load");
        assert.match(tab.url(), /\/zh\/\d\d_\w+\.html$/);
        await tab.click("a.home");
        await tab.waitForLoadState("load");
        assert.match(tab.url(), /\/zh\/index\.html$/);
        assert.deepEqual(errors, [], errors.join("\n"));
        await tab.close();
      });
    } finally {
      await browser.close();
    }
  },
});
