/**
 * Browser check: runs notebooks live in the classic Jupyter Notebook in headless Chromium and looks at the page.
 *
 * For tests/fixtures/browser_chart.ipynb, notebooks/00_welcome.ipynb and its Chinese edition (each copied to a scratch
 * folder under build/ first, so sources never change and deno.json is still found by walking up): starts
 * `jupyter notebook` on a free localhost port with the `liandan` kernel in quick mode, runs all cells, and asserts
 * that no cell failed, that every plotly chart drew its SVG, that Chinese text in the charts is drawn with a CJK font
 * (the fonts Chromium used for those nodes, asked through the DevTools protocol, and distinct glyph images: missing
 * glyphs would all be the same tofu box), and that every progress bar finished (done, 100%). For the Chinese edition
 * (served with `LIANDAN_LANG=zh`, as `deno task lab --lang zh` does) the rendered prose must be Chinese and drawn with a
 * CJK font too, and the chart titles Chinese. Screenshots go to build/screenshots/.
 *
 * Running cells live shows HTML and JavaScript outputs; outputs *saved* in a notebook only run in the classic
 * Notebook after File > Trust Notebook.
 *
 * Skipped (with a message) when Chromium or Jupyter is missing, unless CI=true, where that fails.
 */
import assert from "node:assert/strict";
import { basename, join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { REPO_ROOT, runnerJupyterPath } from "../tools/kernelspec.ts";
import { writeEdition } from "../tools/i18n.ts";
import type { Lang } from "../lib/notebook/lang.ts";
import { assertCjkFont, CHROMIUM, CHROMIUM_ARGS, CJK, SC_FONT, works } from "./_chromium.ts";

const JUPYTER = Deno.env.get("LIANDAN_JUPYTER") ?? "/usr/bin/jupyter";

const missing = [
  ...(await works(CHROMIUM, ["--version"])) ? [] : [`Chromium (${CHROMIUM})`],
  ...(await works(JUPYTER, ["notebook", "--version"])) ? [] : [`the classic Jupyter Notebook (${JUPYTER} notebook)`],
];
const skip = missing.length > 0 && Deno.env.get("CI") !== "true";
if (skip) console.warn(`Skipping the browser check: missing ${missing.join(" and ")} (CI=true makes this a failure)`);

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A classic Notebook server on localhost serving `dir`, with the liandan kernel in quick mode. */
async function startServer(dir: string, scratch: string, lang: Lang) {
  const port = freePort();
  const token = crypto.randomUUID().replaceAll("-", "");
  const env = {
    JUPYTER_PATH: await runnerJupyterPath(REPO_ROOT),
    JUPYTER_CONFIG_DIR: join(scratch, "config"),
    JUPYTER_RUNTIME_DIR: join(scratch, "runtime"),
    LIANDAN_QUICK: "1",
    LIANDAN_LANG: lang,
    NO_COLOR: "1",
  };
  const args = ["notebook", "--no-browser", `--port=${port}`, "--ip=127.0.0.1", `--NotebookApp.token=${token}`];
  args.push("--allow-root", `--notebook-dir=${dir}`, "--NotebookApp.port_retries=0");
  const server = new Deno.Command(JUPYTER, { args, env, stdin: "null", stdout: "null", stderr: "piped" })
    .spawn();
  const stderrText = (async () => {
    let text = "";
    for await (const chunk of server.stderr.pipeThrough(new TextDecoderStream())) text += chunk;
    return text;
  })();
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (true) {
    try {
      const res = await fetch(`${base}/api/kernelspecs?token=${token}`);
      const specs = await res.json();
      assert.ok(specs.kernelspecs?.liandan, `the server must see the liandan kernelspec: ${JSON.stringify(specs)}`);
      break;
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      if (Date.now() > deadline) throw new Error(`The notebook server did not start on port ${port}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  const stop = async () => {
    try {
      server.kill("SIGTERM");
    } catch {
      // Already gone.
    }
    const killer = setTimeout(() => {
      try {
        server.kill("SIGKILL");
      } catch {
        // Already gone.
      }
    }, 10_000);
    await server.status;
    clearTimeout(killer);
    await stderrText;
  };
  return { base, token, stop, stderrText };
}

/** Runs every cell of the open notebook and waits until each has its execution count and the kernel is idle. */
async function runAllCells(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    () => {
      // deno-lint-ignore no-explicit-any
      const nb = (globalThis as any).Jupyter?.notebook;
      return nb?.kernel?.is_connected?.() && nb.kernel.name === "liandan";
    },
    undefined,
    { timeout: 90_000 },
  );
  // deno-lint-ignore no-explicit-any
  await page.evaluate(() => (globalThis as any).Jupyter.notebook.execute_all_cells());
  await page.waitForFunction(
    () => {
      // deno-lint-ignore no-explicit-any
      const nb = (globalThis as any).Jupyter.notebook;
      // deno-lint-ignore no-explicit-any
      const code = nb.get_cells().filter((c: any) => c.cell_type === "code" && c.get_text().trim() !== "");
      // deno-lint-ignore no-explicit-any
      const finished = code.every((c: any) => typeof c.input_prompt_number === "number");
      const idle = document.querySelector("#kernel_indicator_icon")?.classList.contains("kernel_idle_icon");
      return (finished && idle) || document.querySelector(".output_error") !== null;
    },
    undefined,
    { timeout: timeoutMs, polling: 250 },
  );
}

/** What the page shows when a run stalls: prompts, kernel indicator, outputs; saves a screenshot. */
async function notebookState(page: Page, name: string): Promise<string> {
  try {
    const state = await page.evaluate(() => {
      // deno-lint-ignore no-explicit-any
      const nb = (globalThis as any).Jupyter?.notebook;
      // deno-lint-ignore no-explicit-any
      const cells = nb?.get_cells().filter((c: any) => c.cell_type === "code") ?? [];
      return {
        // deno-lint-ignore no-explicit-any
        prompts: cells.map((c: any) => c.input_prompt_number ?? null),
        kernel: document.querySelector("#kernel_indicator_icon")?.className,
        connected: nb?.kernel?.is_connected?.(),
        outputs: [...document.querySelectorAll(".output_area")].map((o) => (o.textContent ?? "").slice(0, 120)),
      };
    });
    await Deno.mkdir(join(REPO_ROOT, "build", "screenshots"), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, "build", "screenshots", `${name}-stalled.png`) });
    return JSON.stringify(state);
  } catch (e) {
    return `unavailable (${(e as Error).message})`;
  }
}

/** Chart text: the SVG text nodes of plotly charts. */
const CHART_TEXT = ".output_area svg.main-svg text";
/** Prose: the rendered markdown cells' paragraphs, headings, list items and table cells. */
const PROSE_TEXT = ".text_cell_render :is(p, h1, h2, h3, li, td)";

interface Expect {
  /** Progress bars the notebook shows, at least. */
  progressBars: number;
  /** Plotly charts, at least. */
  charts: number;
  /** The edition's language (default English): the server's LIANDAN_LANG. */
  lang?: Lang;
  /** Chart titles that must appear, exactly. */
  titles?: string[];
  /** Tables shown through lib's table display, at least (default 0). */
  tables?: number;
  /** Whether a chart holds Chinese text, to be drawn in a CJK font (default true). */
  chineseCharts?: boolean;
}

async function checkNotebook(source: string, expect: Expect): Promise<void> {
  const lang = expect.lang ?? "en";
  const name = basename(source, ".ipynb") + (lang === "en" ? "" : `.${lang}`);
  await Deno.mkdir(join(REPO_ROOT, "build", "browser"), { recursive: true });
  const scratch = await Deno.makeTempDir({ dir: join(REPO_ROOT, "build", "browser"), prefix: `${name}-` });
  const dir = join(scratch, "notebooks");
  await Deno.mkdir(dir);
  await Deno.copyFile(source, join(dir, basename(source)));
  const server = await startServer(dir, scratch, lang);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const consoleErrors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") consoleErrors.push(`${m.type()}: ${m.text().slice(0, 300)}`);
    });
    page.on("pageerror", (e) => consoleErrors.push(`pageerror: ${e.message.slice(0, 300)}`));
    await page.goto(`${server.base}/notebooks/${basename(source)}?token=${server.token}`);
    const started = performance.now();
    const timeoutMs = Number(Deno.env.get("LIANDAN_BROWSER_TIMEOUT_S") ?? 120) * 1000;
    try {
      try {
        await runAllCells(page, timeoutMs);
      } catch (e) {
        // Deno 2.9's kernel can garble a multi-MB output sent while a cell's idle status goes out (two sends
        // interleave on the IOPub socket; the server drops the message as "Invalid Signature", and the idle with it):
        // the page then waits forever. Say so, and restart the kernel and run everything once more.
        console.warn(
          `${name}: run stalled (${(e as Error).message.split("\n")[0]}); state ${await notebookState(page, name)}`,
        );
        console.warn(`${name}: restarting the kernel and running all cells again`);
        // deno-lint-ignore no-explicit-any
        await page.evaluate(() => (globalThis as any).Jupyter.notebook.kernel.restart());
        await page.waitForTimeout(3000);
        await runAllCells(page, timeoutMs);
      }
    } catch (e) {
      const kernels = await fetch(`${server.base}/api/kernels?token=${server.token}`).then((r) => r.text(), String);
      const state = await notebookState(page, name);
      const log = consoleErrors.join("\n");
      throw new Error(
        `${(e as Error).message}\nNotebook state: ${state}\nServer's kernels: ${kernels}\nConsole:\n${log}`,
      );
    }
    console.log(`${name}: all cells ran in the browser in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const errors = await page.locator(".output_error").allTextContents();
    assert.deepEqual(errors, [], `cells failed in the browser:\n${errors.join("\n")}`);

    await page.waitForFunction(
      (n) => document.querySelectorAll(".output_area svg.main-svg").length >= n,
      expect.charts,
      {
        timeout: 30_000,
      },
    );
    const charts = await page.locator(".output_area .js-plotly-plot").count();
    assert.ok(charts >= expect.charts, `expected at least ${expect.charts} plotly charts, found ${charts}`);

    const chartFonts = expect.chineseCharts === false ? [] : await assertCjkFont(page, CHART_TEXT, "a chart");
    const tables = await page.locator(".output_area table.liandan-table").count();
    assert.ok(tables >= (expect.tables ?? 0), `expected at least ${expect.tables} tables, found ${tables}`);
    const titles = await page.locator(".output_area svg.main-svg .gtitle").allTextContents();
    for (const title of expect.titles ?? []) assert.ok(titles.includes(title), `no chart titled "${title}": ${titles}`);
    let proseFonts: string[] = [];
    if (lang === "zh") {
      const headings = await page.locator(".text_cell_render h1").allTextContents();
      assert.ok(headings.some((h) => CJK.test(h)), `the Chinese edition's title is Chinese: ${headings}`);
      // Simplified Chinese glyphs and punctuation: the edition declares lang="zh-CN" (tools/i18n.ts declareLang).
      proseFonts = await assertCjkFont(page, PROSE_TEXT, "the prose", SC_FONT);
    }

    const bars = await page.locator(".output_area .liandan-progress").allTextContents();
    assert.ok(
      bars.length >= expect.progressBars,
      `expected ${expect.progressBars} progress bars, found ${bars.length}`,
    );
    for (const bar of bars) assert.match(bar, /done \d+\/\d+ \(100%\)/, `progress bar not finished: ${bar}`);

    await Deno.mkdir(join(REPO_ROOT, "build", "screenshots"), { recursive: true });
    const shot = join(REPO_ROOT, "build", "screenshots", `${name}.png`);
    // The classic Notebook scrolls inside #site, not the page: grow the viewport to hold the whole notebook.
    const height = await page.evaluate(() => document.querySelector("#notebook-container")?.scrollHeight ?? 900);
    await page.setViewportSize({ width: 1280, height: Math.min(height + 160, 16_000) });
    await page.waitForTimeout(500);
    await page.screenshot({ path: shot });
    const prose = proseFonts.length > 0 ? `, prose with ${proseFonts.join(", ")}` : "";
    const chinese = chartFonts.length > 0 ? `, Chinese drawn with ${chartFonts.join(", ")}` : "";
    console.log(`${name}: ${charts} chart(s), ${tables} table(s)${chinese}${prose}; screenshot ${shot}`);
  } finally {
    await browser.close();
    await server.stop();
    await Deno.remove(scratch, { recursive: true });
  }
}

const options = { ignore: skip, sanitizeOps: false, sanitizeResources: false };

Deno.test({
  ...options,
  name: "browser: a live chart with a Chinese title and a progress bar render in the classic Notebook",
  fn: () => checkNotebook(join(REPO_ROOT, "tests", "fixtures", "browser_chart.ipynb"), { progressBars: 1, charts: 1 }),
});

const WELCOME = join(REPO_ROOT, "notebooks", "00_welcome.ipynb");
const hasWelcome = await Deno.stat(WELCOME).then(() => true, () => false);
if (!hasWelcome) console.warn("Skipping the browser check of notebooks/00_welcome.ipynb: it does not exist yet");

Deno.test({
  ...options,
  ignore: skip || !hasWelcome,
  name: "browser: notebooks/00_welcome.ipynb runs in the classic Notebook with its chart and progress bar",
  fn: () => checkNotebook(WELCOME, { progressBars: 1, charts: 1 }),
});

Deno.test({
  ...options,
  ignore: skip || !hasWelcome,
  name: "browser: the Chinese edition of 00_welcome draws its prose and chart titles in a CJK font",
  async fn() {
    const out = await Deno.makeTempDir({ dir: join(REPO_ROOT, "build"), prefix: "browser-zh-" });
    try {
      const { path, status } = await writeEdition(WELCOME, "zh", out);
      assert.deepEqual(status, { missing: [], stale: [], orphaned: [] });
      await checkNotebook(path, { progressBars: 1, charts: 2, lang: "zh", titles: ["函数与它的斜率", "训练中的损失"] });
    } finally {
      await Deno.remove(out, { recursive: true });
    }
  },
});

for (
  const [file, expect] of [
    ["01_learning_from_data.ipynb", { progressBars: 0, charts: 7, tables: 6, chineseCharts: false }],
    ["03_classic_algorithms.ipynb", { progressBars: 0, charts: 7, tables: 2, chineseCharts: false }],
  ] as const
) {
  const path = join(REPO_ROOT, "notebooks", file);
  Deno.test({
    ...options,
    ignore: skip || !(await Deno.stat(path).then(() => true, () => false)),
    name: `browser: notebooks/${file} shows its tables and charts in the classic Notebook (screenshot for reading)`,
    fn: () => checkNotebook(path, expect),
  });
}
