import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT } from "../../tools/kernelspec.ts";
import { type Notebook, sectionHeader } from "../../tools/i18n.ts";
import { instructorSource, studentSource } from "../../tools/workshop.ts";
import { buildSite, findExecutedCopy, judgeCopy, pageCells, SITE_RUNS_DIR } from "../../tools/site.ts";
import { findPython } from "../../tools/nb.ts";
import { isPlotlyLoader, renderMarkdown, renderOutputs } from "../../tools/site_render.ts";
import { COURSE } from "../../tools/course.ts";
import { BEGIN_MARK, END_MARK, timeTable } from "../../tools/nb_report.ts";
import { brokenLinks, htmlFiles, solutionsShown } from "../_site_checks.ts";

const SOLUTION_CELL = [
  "function double(x: number): number {\n",
  "  // BEGIN SOLUTION 99-double\n",
  "  return x * 2 + 0; // the secret line\n",
  "  // END SOLUTION\n",
  "}",
];
const CHECK_PASSED = '<div class="liandan-check" data-exercise="99-double" data-passed="true" data-reason="">' +
  "<b>✓ 99 · double: all 2 cases pass. Well done!</b></div>";
const CHECK_NOT_YET = '<div class="liandan-check" data-exercise="99-double" data-passed="false" ' +
  'data-reason="check.not_implemented"><b>✏️ 99 · double: not yet</b><div class="liandan-hint">hint</div></div>';
const FIGURE = { data: [{ type: "scatter", x: [1, 2], y: [3, 4] }], layout: { title: { text: "平方 squares" } } };

const MARKDOWN: Record<string, string> = {
  "t-00": "# 99 · A test notebook\n\nSee [the next one](../notebooks/98_missing.ipynb), [below](#the-chart) and $x^2$.",
  "t-ex": "✏️ **Exercise 99-double.** Write `double(x)`.",
  "t-05": "## The chart",
};
const CHINESE: Record<string, string> = {
  "t-00": "# 99 · 测试笔记本\n\n见[下一个](../notebooks/98_missing.ipynb)和 $x^2$。",
  "t-ex": "✏️ **练习 99-double。** 写出 `double(x)`。",
  "t-05": "## 图表",
};

function source(): Notebook {
  const md = (id: string) => ({ cell_type: "markdown", id, metadata: {}, source: [MARKDOWN[id]] });
  const code = (id: string, src: string[]) => ({
    cell_type: "code",
    id,
    metadata: {},
    source: src,
    outputs: [],
    execution_count: null,
  });
  return {
    cells: [
      md("t-00"),
      code("t-01", ["await show(plotlyScript());"]),
      md("t-ex"),
      code("t-02", SOLUTION_CELL),
      code("t-03", ["await check(DOUBLE, double);"]),
      md("t-05"),
      code("t-06", ["await show(fig);"]),
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** An executed copy of the fixture: the instructor edition in English (solved), the student one in Chinese. */
function executed(lang: "en" | "zh"): Notebook {
  const nb = source();
  const solved = lang === "en";
  const text = SOLUTION_CELL.join("");
  nb.cells[3].source = [solved ? instructorSource(text) : studentSource(text)];
  const outputs: Record<string, unknown[]> = {
    "t-01": [{
      output_type: "display_data",
      metadata: {},
      data: { "text/html": "<script>window.Plotly = Plotly;</script>", "text/plain": "plotly.js loaded" },
    }],
    "t-03": [
      { output_type: "stream", name: "stdout", text: "99 · double · case 1/2: double(1)\n" },
      { output_type: "display_data", metadata: {}, data: { "text/html": solved ? CHECK_PASSED : CHECK_NOT_YET } },
    ],
    "t-06": [{
      output_type: "display_data",
      metadata: {},
      data: { "application/vnd.plotly.v1+json": FIGURE, "text/html": "<div>chart</div>", "text/plain": "Figure" },
    }],
  };
  let count = 0;
  for (const cell of nb.cells) {
    if (cell.cell_type !== "code") continue;
    Object.assign(cell, { outputs: outputs[cell.id!] ?? [], execution_count: ++count });
  }
  const run = { mode: solved ? "quick" : "smoke", lang, seconds: 3.2, finished: "2026-12-01T10:00:00Z", ok: true };
  nb.metadata = { liandan: { lang, run, ...(solved ? { edition: "instructor" } : { edition: "student" }) } };
  return nb;
}

async function fixture() {
  await Deno.mkdir(join(REPO_ROOT, "build"), { recursive: true });
  const dir = await Deno.makeTempDir({ dir: join(REPO_ROOT, "build"), prefix: "site-test-" });
  const notebooks = join(dir, "notebooks");
  await Deno.mkdir(join(notebooks, "zh"), { recursive: true });
  await Deno.writeTextFile(join(notebooks, "99_test.ipynb"), JSON.stringify(source(), null, 1));
  const zh = Object.keys(MARKDOWN).map((id) => `${sectionHeader(id, MARKDOWN[id])}\n${CHINESE[id]}\n`).join("\n");
  await Deno.writeTextFile(join(notebooks, "zh", "99_test.md"), zh);
  for (const lang of ["en", "zh"] as const) {
    await Deno.mkdir(join(dir, "runs", lang), { recursive: true });
    await Deno.writeTextFile(join(dir, "runs", lang, "99_test.ipynb"), JSON.stringify(executed(lang), null, 1));
  }
  const table = timeTable([{ name: "99_test", quick: 4.4, full: 75, cells: 4, exercises: 1 }], "on a test machine");
  await Deno.writeTextFile(join(dir, "README.md"), `# x\n${BEGIN_MARK}\n${table}\n${END_MARK}\n`);
  const options = {
    notebooksDir: notebooks,
    copyDirs: (lang: string) => [join(dir, "runs", lang)],
    timesDoc: join(dir, "README.md"),
    execute: false,
  };
  return { dir, notebooks, options };
}

Deno.test("site: the student build shows stubs, no solution text, and its links and assets resolve", async () => {
  const { dir, notebooks, options } = await fixture();
  try {
    const out = join(dir, "site");
    const report = await buildSite({ ...options, outDir: out });
    assert.deepEqual(report.problems, []);
    assert.deepEqual(report.files.sort(), ["en/99_test.html", "index.html", "zh/99_test.html", "zh/index.html"]);
    assert.deepEqual(report.pages.map((p) => [p.lang, p.mode, p.ran]), [["en", "quick", false], [
      "zh",
      "smoke",
      false,
    ]]);
    assert.deepEqual((await htmlFiles(out)).length, 4);
    for (const asset of ["plotly.min.js", "site.js", "site.css", "highlight.css", "katex/katex.min.css"]) {
      assert.ok((await Deno.stat(join(out, "assets", asset))).size > 100, asset);
    }
    assert.ok([...Deno.readDirSync(join(out, "assets", "katex", "fonts"))].some((f) => f.name.endsWith(".woff2")));
    assert.deepEqual(await brokenLinks(out).then((r) => r.broken), []);
    assert.deepEqual(await solutionsShown(out, notebooks).then((r) => r.shown), []);

    const en = await Deno.readTextFile(join(out, "en", "99_test.html"));
    assert.match(en, /notImplemented/);
    assert.doesNotMatch(en, /the secret line|window\.Plotly = Plotly|<details/);
    // A solved run's verdict is replaced by a note; the chart is drawn from its JSON; math is typeset.
    assert.doesNotMatch(en, /Well done/);
    assert.match(en, /class="check-note" data-exercise="99-double"/);
    assert.match(en, /<div class="chart" id="chart-1" data-figure="chart-1-data"/);
    assert.match(en, /<script src="\.\.\/assets\/plotly\.min\.js">/);
    assert.match(en, /class="katex"/);
    assert.match(en, /class="exercise-prompt">✏️/);
    assert.match(en, /<span class="dead-link" title="\.\.\/notebooks\/98_missing\.ipynb">the next one<\/span>/);
    assert.match(en, /quick mode.*4 s.*1 min 15 s/);
    assert.match(en, /href="\.\.\/zh\/99_test\.html"/);
    // The Chinese page comes from a student run: its "not yet" verdict stays.
    const zh = await Deno.readTextFile(join(out, "zh", "99_test.html"));
    assert.match(zh, /<html lang="zh-CN">/);
    assert.match(zh, /测试笔记本/);
    assert.match(zh, /not yet/);
    assert.match(zh, /冒烟模式/);

    const index = await Deno.readTextFile(join(out, "index.html"));
    for (const e of COURSE) assert.ok(index.includes(`<td class="num">${e.number}</td>`), e.number);
    assert.equal((index.match(/\(not written yet\)/g) ?? []).length, COURSE.length * 2); // the map and the table
    assert.match(index, /<a href="en\/99_test\.html">A test notebook|99 · A test notebook/);
    assert.match(await Deno.readTextFile(join(out, "zh", "index.html")), /尚未写成/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("site: the solutions build shows each solution behind a toggle and the real verdict", async () => {
  const { dir, options } = await fixture();
  try {
    const out = join(dir, "site-solutions");
    const report = await buildSite({ ...options, outDir: out, solutions: true });
    assert.deepEqual(report.problems, []);
    const en = await Deno.readTextFile(join(out, "en", "99_test.html"));
    assert.match(en, /<details class="solution"><summary>Show the solution<\/summary>/);
    assert.match(en, /the secret line/);
    assert.match(en, /Well done/);
    assert.match(en, /instructor edition/);
    assert.match(await Deno.readTextFile(join(out, "zh", "99_test.html")), /查看参考答案/);
    // A rebuild empties the folder it wrote; a folder it did not write is refused.
    await buildSite({ ...options, outDir: out, solutions: true });
    await assert.rejects(
      () => buildSite({ ...options, outDir: join(dir, "notebooks") }),
      /not written by deno task site/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("site: a notebook without a usable executed copy is reported when running is off", async () => {
  const { dir, options } = await fixture();
  try {
    await Deno.remove(join(dir, "runs", "zh", "99_test.ipynb"));
    const stale = executed("en");
    stale.cells[6].source = ["await show(otherFigure);"];
    await Deno.writeTextFile(join(dir, "runs", "en", "99_test.ipynb"), JSON.stringify(stale));
    const report = await buildSite({ ...options, outDir: join(dir, "site") });
    assert.equal(report.problems.length, 2);
    assert.match(report.problems[0], /99_test \(en\): no executed copy .*cell t-06 changed since it ran/);
    assert.match(report.problems[1], /99_test \(zh\): no executed copy/);
    const en = await Deno.readTextFile(join(dir, "site", "en", "99_test.html"));
    assert.match(en, /No executed copy of this notebook was found/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("site: the best copy wins (quick before smoke), and a failed or foreign-language copy is refused", async () => {
  const { dir, notebooks } = await fixture();
  try {
    const path = join(notebooks, "99_test.ipynb");
    const smoke = executed("en");
    (smoke.metadata.liandan as { run: { mode: string } }).run.mode = "smoke";
    await Deno.mkdir(join(dir, "smoke"));
    await Deno.writeTextFile(join(dir, "smoke", "99_test.ipynb"), JSON.stringify(smoke));
    const found = await findExecutedCopy(path, "en", false, [join(dir, "smoke"), join(dir, "runs", "en")]);
    assert.equal(found.copy?.mode, "quick");
    assert.equal(found.copy?.edition, "instructor");
    const zh = await findExecutedCopy(path, "en", false, [join(dir, "runs", "zh")]);
    assert.equal(zh.copy, null);
    assert.match(zh.refused[0], /it is the zh edition/);
    const failed = executed("en");
    (failed.metadata.liandan as { run: { ok: boolean } }).run.ok = false;
    assert.deepEqual(judgeCopy(source(), failed, "en", false), { reason: "its run failed" });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("site: page cells hide a solved run's exercise outputs only in the student build", () => {
  const nb = source();
  const copy = {
    path: "",
    notebook: executed("en"),
    mode: "quick" as const,
    edition: "instructor" as const,
    run: null,
  };
  copy.notebook.cells[3].outputs = [{ output_type: "stream", name: "stdout", text: "6\n" }];
  const names = new Set<string>();
  const student = pageCells(nb, copy, { lang: "en", solutions: false, names }).cells;
  const teacher = pageCells(nb, copy, { lang: "en", solutions: true, names }).cells;
  const exercise = (cells: typeof student) => cells.find((c) => c.kind === "code" && c.exercises.length > 0);
  assert.deepEqual(exercise(student), {
    kind: "code",
    id: "t-02",
    code: studentSource(SOLUTION_CELL.join("")),
    outputs: "",
    count: 2,
    exercises: ["99-double"],
    solution: undefined,
  });
  const t = exercise(teacher)!;
  assert.ok(t.kind === "code" && t.solution === instructorSource(SOLUTION_CELL.join("")) && t.outputs.includes("6"));
});

Deno.test("site render: markdown math, tables and the Chinese edition's language blocks", () => {
  const html = renderMarkdown('<div lang="zh-CN">\n\n| a | b |\n|---|---|\n| $x_1$ | 2 |\n\n</div>');
  assert.match(html, /^<div lang="zh-CN"><table>/);
  assert.match(html, /<td><span class="katex">/);
  assert.match(renderMarkdown("$$\nL = (x - 1)^2\n$$"), /^<div class="math"><span class="katex-display">/);
  assert.equal(renderMarkdown("`$x$` costs $5"), "<p><code>$x$</code> costs $5</p>\n");
  const ids = new Set<string>();
  renderMarkdown("## Loss\n\n## Loss", { ids });
  assert.deepEqual([...ids], ["loss", "loss-2"]);
});

Deno.test("site render: outputs keep stderr apart, show errors, and skip the plotly.js loader", () => {
  const context = { nextId: () => "c", checkNote: null };
  const html = renderOutputs([
    { output_type: "stream", name: "stdout", text: "a\n" },
    { output_type: "stream", name: "stderr", text: "warn\n" },
    { output_type: "error", ename: "Error", evalue: "boom", traceback: ["\x1b[31mError\x1b[0m: boom"] },
    { output_type: "display_data", data: { "text/html": "x".repeat(10), "image/png": "AAAA" } },
    { output_type: "display_data", data: { "image/png": "iVBO\nRw==" } },
  ], context);
  assert.equal(
    html,
    '<pre class="output-stream stdout">a\n</pre><pre class="output-stream stderr">warn\n</pre>' +
      '<pre class="output-error">Error: boom</pre><div class="output-html">xxxxxxxxxx</div>' +
      '<img class="output-image" src="data:image/png;base64,iVBORw==" alt="">',
  );
  assert.equal(isPlotlyLoader("<script>/** plotly.js v3 */ window.Plotly = Plotly;</script>"), true);
  assert.equal(isPlotlyLoader("<table></table>"), false);
});

const python = await findPython();
Deno.test({
  name: "site: a notebook without an executed copy is run once in each language, and that run is reused",
  ignore: python === null && Deno.env.get("CI") !== "true",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    await Deno.mkdir(join(REPO_ROOT, "build"), { recursive: true });
    const dir = await Deno.makeTempDir({ dir: join(REPO_ROOT, "build"), prefix: "site-run-test-" });
    const name = `97_site_run_${crypto.randomUUID().slice(0, 8)}`;
    const cells = [
      { cell_type: "markdown", id: "r-00", metadata: {}, source: ["# 97 · Run me"] },
      {
        cell_type: "code",
        id: "r-01",
        metadata: {},
        source: ['console.log(Deno.env.get("LIANDAN_LANG"), 6 * 7);'],
        outputs: [],
        execution_count: null,
      },
    ];
    const nb = { cells, metadata: {}, nbformat: 4, nbformat_minor: 5 };
    const runs = (lang: string) => join(SITE_RUNS_DIR, "quick", lang, `${name}.ipynb`);
    try {
      await Deno.mkdir(join(dir, "notebooks", "zh"), { recursive: true });
      await Deno.writeTextFile(join(dir, "notebooks", `${name}.ipynb`), JSON.stringify(nb));
      await Deno.writeTextFile(
        join(dir, "notebooks", "zh", `${name}.md`),
        `${sectionHeader("r-00", "# 97 · Run me")}\n# 97 · 运行我\n`,
      );
      const options = {
        notebooksDir: join(dir, "notebooks"),
        outDir: join(dir, "site"),
        copyDirs: (lang: string) => [join(SITE_RUNS_DIR, "quick", lang)],
        timesDoc: join(dir, "none.md"),
      };
      const first = await buildSite(options);
      assert.deepEqual(first.problems, []);
      assert.deepEqual(first.pages.map((p) => [p.lang, p.mode, p.ran]), [["en", "quick", true], ["zh", "quick", true]]);
      assert.match(await Deno.readTextFile(join(dir, "site", "zh", `${name}.html`)), /zh 42/);
      assert.match(await Deno.readTextFile(join(dir, "site", "en", `${name}.html`)), /en 42/);
      const second = await buildSite(options);
      assert.deepEqual(second.pages.map((p) => p.ran), [false, false]);
    } finally {
      await Deno.remove(dir, { recursive: true });
      for (const lang of ["en", "zh"]) await Deno.remove(runs(lang)).catch(() => {});
      await Deno.remove(join(REPO_ROOT, "build", "editions", "zh", `${name}.ipynb`)).catch(() => {});
    }
  },
});
