/**
 * The course as a static site: `deno task site [--full] [--solutions] [--out=DIR] [--no-run]`.
 *
 * Writes `build/site/` (the student build; `--solutions`: `build/site-solutions/`, the instructor build): an index in
 * English (`index.html`) and in Chinese (`zh/index.html`) with the course map of the 17 notebooks (those not written
 * yet marked so) and their measured times (README's table, written by tools/nb_report.ts), and one page per notebook
 * and language (`en/NN_name.html`, `zh/NN_name.html`) with its outputs: plotly charts drawn by plotly.js copied from
 * its npm package into `assets/` (no CDN), code highlighted at build time (highlight.js), math typeset at build time
 * (KaTeX), exercises as exercises (the student's stub; in the `--solutions` build the solution behind a toggle, and no
 * solution text at all in the student build), previous/next links and a language switch. Every link is relative, so
 * the folder works opened from disk (`file://`) with no network and no server.
 *
 * Outputs come from executed copies already on disk, never from running a notebook twice: `deno task nb`'s
 * (`build/notebooks/`, `build/notebooks/zh/`), the suite's notebook stage (`build/ci-editions/runs/`: the English
 * instructor edition in quick mode, the Chinese student edition in smoke mode), or the site's own earlier runs
 * (`build/site-runs/<mode>/<lang>/`). A copy is used when it ran without error, in the wanted mode (quick, else smoke;
 * `--full`: full) and language, and its code cells are those of the notebook today (by cell id); a notebook with no
 * such copy is run once with tools/nb.ts's runner into `build/site-runs/` (`--no-run`: it is reported instead, and the
 * command fails). New notebooks in notebooks/ appear by themselves.
 *
 * @module
 */
import { basename, dirname, join, relative, resolve } from "node:path";
import { REPO_ROOT } from "./kernelspec.ts";
import {
  CI_RUNS_DIR,
  NOTEBOOKS_DIR,
  OUTPUT_DIR,
  resolveNotebooks,
  runNotebooks,
  type RunRecord,
  runRecord,
} from "./nb.ts";
import { buildEdition, editionLang, type Lang, type Notebook, writeEdition } from "./i18n.ts";
import { cellText, editionDir, instructorSource, solutionBlocks, studentSource } from "./workshop.ts";
import { parseTimeTable } from "./nb_report.ts";
import { COURSE, courseEntry } from "./course.ts";
import {
  courseTable,
  escapeHtml,
  type Frame,
  inlineCode,
  type MapRow,
  type Output,
  type PageCell,
  pageHtml,
  pagerHtml,
  renderCodeCell,
  renderMarkdown,
  renderOutputs,
  WORDS,
} from "./site_render.ts";
import { copiedAssets, KATEX_FONTS, SITE_CSS, SITE_JS } from "./site_assets.ts";
import { plotlyLibrary } from "../lib/plot/plotly_js.ts";

/** The student build. */
export const SITE_DIR: string = join(REPO_ROOT, "build", "site");

/** The instructor build (`--solutions`). */
export const SOLUTIONS_SITE_DIR: string = join(REPO_ROOT, "build", "site-solutions");

/** Where the site runs the notebooks that have no usable executed copy. */
export const SITE_RUNS_DIR: string = join(REPO_ROOT, "build", "site-runs");

/** The languages of the site, English first. */
export const SITE_LANGS: readonly Lang[] = Object.freeze(["en", "zh"] as const);

/** The file that marks a folder as a site this tool wrote (so a rebuild may empty it). */
const MARKER = ".liandan-site";

/** A run's mode, as the runner records it; "unknown" for a copy without a record whose mode cannot be told. */
export type RunMode = RunRecord["mode"] | "unknown";

/** An executed copy chosen for a page. */
export interface ExecutedCopy {
  /** Its path. */
  path: string;
  /** The executed notebook. */
  notebook: Notebook;
  /** The mode it ran in. */
  mode: RunMode;
  /** The edition it is: the student edition's checks say "not yet"; the source and instructor edition's pass. */
  edition: "student" | "instructor" | "source";
  /** The runner's record, when it wrote one. */
  run: RunRecord | null;
}

/**
 * The folders searched for executed copies of a language, in order of preference.
 *
 * @param lang The language.
 * @param full Whether the build wants full-mode outputs.
 * @returns Absolute folders.
 */
export function executedCopyDirs(lang: Lang, full: boolean): string[] {
  return [
    lang === "en" ? OUTPUT_DIR : join(OUTPUT_DIR, lang),
    editionDir(CI_RUNS_DIR, "instructor", lang),
    editionDir(CI_RUNS_DIR, "student", lang),
    join(SITE_RUNS_DIR, full ? "full" : "quick", lang),
  ];
}

function outputsOf(cell: { [key: string]: unknown }): Output[] {
  return (Array.isArray(cell.outputs) ? cell.outputs : []) as Output[];
}

/**
 * The mode of an executed copy: the runner's record, else what the first cell's runtime table says (`quick true`
 * means quick or smoke, `false` full), else "unknown".
 *
 * @param copy An executed notebook.
 * @returns The mode.
 * @example
 * ```ts
 * import { copyMode } from "./site.ts";
 * import assert from "node:assert/strict";
 * const out = { output_type: "display_data", data: { "text/plain": "deno     2.9.6\nquick    false" } };
 * assert.equal(copyMode({ cells: [{ cell_type: "code", source: "", outputs: [out] }], metadata: {} }), "full");
 * assert.equal(copyMode({ cells: [], metadata: {} }), "unknown");
 * ```
 */
export function copyMode(copy: Notebook): RunMode {
  const run = runRecord(copy);
  if (run) return run.mode;
  for (const cell of copy.cells) {
    for (const o of outputsOf(cell)) {
      const text = o.data?.["text/plain"];
      const m = /^quick\s+(true|false)$/m.exec(Array.isArray(text) ? text.join("") : String(text ?? ""));
      if (m) return m[1] === "true" ? "quick" : "full";
    }
  }
  return "unknown";
}

/**
 * Whether an executed copy can give a page its outputs: it must be in the language, have run without error, in the
 * wanted mode, and hold the notebook's code cells of today (by id; the student and instructor versions of an exercise
 * cell count as the cell).
 *
 * @param source The English source notebook (with its solution markers).
 * @param copy The executed copy.
 * @param lang The page's language.
 * @param full Whether full-mode outputs are wanted (else quick, or smoke as second choice).
 * @returns The rank (0 best) or why the copy does not fit.
 * @example
 * ```ts
 * import { judgeCopy } from "./site.ts";
 * import assert from "node:assert/strict";
 * const source = { metadata: {}, cells: [{ cell_type: "code", id: "a", source: "f();" }] };
 * const run = { mode: "quick", lang: "en", seconds: 1, finished: "", ok: true };
 * const copy = { metadata: { liandan: { run } }, cells: [{ cell_type: "code", id: "a", source: "f();", outputs: [] }] };
 * assert.deepEqual(judgeCopy(source, copy, "en", false), { rank: 0 });
 * assert.match(String(judgeCopy(source, copy, "en", true).reason), /quick mode/);
 * const edited = { metadata: {}, cells: [{ cell_type: "code", id: "a", source: "g();" }] };
 * assert.match(String(judgeCopy(edited, copy, "en", false).reason), /cell a changed/);
 * ```
 */
export function judgeCopy(
  source: Notebook,
  copy: Notebook,
  lang: Lang,
  full: boolean,
): { rank: number; reason?: undefined } | { rank?: undefined; reason: string } {
  let copyLang: Lang;
  try {
    copyLang = editionLang(copy);
  } catch (e) {
    return { reason: (e as Error).message };
  }
  if (copyLang !== lang) return { reason: `it is the ${copyLang} edition` };
  const run = runRecord(copy);
  if (run && !run.ok) return { reason: "its run failed" };
  if (copy.cells.some((c) => outputsOf(c).some((o) => o.output_type === "error"))) {
    return { reason: "a cell shows an error" };
  }
  const mode = copyMode(copy);
  if (full && mode !== "full") return { reason: `it ran in ${mode} mode, not full` };
  if (!full && mode === "full") return { reason: "it ran in full mode (--full builds from it)" };
  const byId = new Map(copy.cells.filter((c) => c.cell_type === "code").map((c) => [c.id, cellText(c)]));
  for (const cell of source.cells) {
    if (cell.cell_type !== "code" || cellText(cell).trim() === "") continue;
    const text = cellText(cell);
    const ran = byId.get(cell.id);
    if (ran === undefined) return { reason: `it has no cell ${cell.id}` };
    const versions = [text, instructorSource(text), studentSource(text)].map((t) => t.trimEnd());
    if (!versions.includes(ran.trimEnd())) return { reason: `cell ${cell.id} changed since it ran` };
  }
  return { rank: mode === "quick" || mode === "full" ? 0 : mode === "smoke" ? 1 : 2 };
}

async function readJson(path: string): Promise<Notebook | null> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as Notebook;
  } catch {
    return null;
  }
}

/**
 * Finds the best executed copy of a notebook in a language among the folders of {@link executedCopyDirs}.
 *
 * @param sourcePath The English source notebook.
 * @param lang The language.
 * @param full Whether the build wants full-mode outputs.
 * @param dirs Folders to search, in order of preference.
 * @returns The copy, or null with the reason each candidate was refused.
 */
export async function findExecutedCopy(
  sourcePath: string,
  lang: Lang,
  full: boolean,
  dirs: readonly string[] = executedCopyDirs(lang, full),
): Promise<{ copy: ExecutedCopy | null; refused: string[] }> {
  const source = await readJson(sourcePath);
  if (source === null) throw new Error(`Cannot read the notebook ${sourcePath}`);
  let best: { copy: ExecutedCopy; rank: number } | null = null;
  const refused: string[] = [];
  for (const dir of dirs) {
    const path = join(dir, basename(sourcePath));
    const notebook = await readJson(path);
    if (notebook === null) continue;
    const verdict = judgeCopy(source, notebook, lang, full);
    if (verdict.reason !== undefined) {
      refused.push(`${relative(REPO_ROOT, path)}: ${verdict.reason}`);
      continue;
    }
    if (best !== null && best.rank <= verdict.rank) continue;
    const edition = (notebook.metadata?.liandan as { edition?: string } | undefined)?.edition;
    best = {
      rank: verdict.rank,
      copy: {
        path,
        notebook,
        mode: copyMode(notebook),
        edition: edition === "student" || edition === "instructor" ? edition : "source",
        run: runRecord(notebook),
      },
    };
  }
  return { copy: best?.copy ?? null, refused };
}

/** Options of {@link buildSite}. */
export interface SiteOptions {
  /** Outputs of full-mode runs (default quick, or smoke). */
  full?: boolean;
  /** The instructor build: solutions behind a toggle (default: the student build, with no solution text). */
  solutions?: boolean;
  /** The folder to write (default {@link SITE_DIR}, or {@link SOLUTIONS_SITE_DIR} with `solutions`). */
  outDir?: string;
  /** Run the notebooks that have no usable executed copy (default true); false reports them instead. */
  execute?: boolean;
  /** The notebooks' folder (default notebooks/). */
  notebooksDir?: string;
  /** Folders of executed copies per language (default {@link executedCopyDirs}). */
  copyDirs?: (lang: Lang) => string[];
  /** The document with the measured times (default README.md). */
  timesDoc?: string;
}

/** One page written. */
export interface PageReport {
  /** Notebook name. */
  name: string;
  /** Language. */
  lang: Lang;
  /** The page, relative to the site folder. */
  page: string;
  /** The executed copy its outputs came from (relative to the repository), or null. */
  from: string | null;
  /** Its mode. */
  mode: RunMode | null;
  /** Whether the site ran the notebook for it. */
  ran: boolean;
}

/** What {@link buildSite} did. */
export interface SiteReport {
  /** The site folder. */
  outDir: string;
  /** The index pages and notebook pages, relative to it. */
  files: string[];
  /** Every notebook page. */
  pages: PageReport[];
  /** What went wrong (a notebook without outputs, a failed run); empty when the site is complete. */
  problems: string[];
}

interface NotebookInfo {
  name: string;
  path: string;
  source: Notebook;
  titles: Record<Lang, string>;
  exercises: number;
}

function headingOf(nb: Notebook): string | null {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const m = /^#\s+(.+?)\s*$/m.exec(cellText(cell));
    if (m) return m[1].replace(/<[^>]+>|[*_`]/g, "").trim();
  }
  return null;
}

/** The page's href for a notebook, relative to a page in `en/` or `zh/`. */
function pageFile(name: string): string {
  return `${name}.html`;
}

/**
 * Maps a markdown link of a notebook page: a link to a notebook of the site goes to its page, a link within the page
 * stays, any other relative link (a file of the repository, not part of the site) becomes plain text.
 *
 * @param href The link's target.
 * @param names The notebooks that have pages.
 * @returns The href on the site, or null.
 * @example
 * ```ts
 * import { siteLink } from "./site.ts";
 * import assert from "node:assert/strict";
 * const names = new Set(["01_learning_from_data"]);
 * assert.equal(siteLink("../notebooks/01_learning_from_data.ipynb#loss", names), "01_learning_from_data.html#loss");
 * assert.equal(siteLink("#top", names), "#top");
 * assert.equal(siteLink("../docs/glossary.md", names), null);
 * assert.equal(siteLink("09_transformer.ipynb", names), null);
 * ```
 */
export function siteLink(href: string, names: ReadonlySet<string>): string | null {
  if (href.startsWith("#")) return href;
  const m = /^(?:\.\.?\/)*(?:notebooks\/)?([\w.-]+)\.ipynb(#.*)?$/.exec(href);
  if (m && names.has(m[1])) return `${pageFile(m[1])}${m[2] ?? ""}`;
  return null;
}

function mapRows(
  infos: readonly NotebookInfo[],
  lang: Lang,
  prefix: string,
  current: string | null,
  times: Map<string, { quick: string; full: string; exercises: number }>,
  outputs: (name: string) => string | undefined = () => undefined,
): MapRow[] {
  const byNumber = new Map(infos.map((i) => [i.name.slice(0, 2), i]));
  const rows: MapRow[] = COURSE.map((e) => {
    const info = byNumber.get(e.number);
    const t = info ? times.get(info.name) : undefined;
    return {
      number: e.number,
      title: e.title[lang],
      part: e.part[lang],
      article: e.article,
      href: info ? prefix + pageFile(info.name) : null,
      current: info !== undefined && info.name === current,
      quick: t?.quick,
      full: t?.full,
      exercises: info?.exercises,
      outputs: info ? outputs(info.name) : undefined,
    };
  });
  // Notebooks outside the curriculum's numbering still get their row.
  for (const info of infos) {
    if (courseEntry(info.name) !== undefined && byNumber.get(info.name.slice(0, 2)) === info) continue;
    const t = times.get(info.name);
    rows.push({
      number: info.name.slice(0, 2),
      title: info.titles[lang],
      part: lang === "en" ? "More" : "更多",
      article: "",
      href: prefix + pageFile(info.name),
      current: info.name === current,
      quick: t?.quick,
      full: t?.full,
      exercises: info.exercises,
      outputs: outputs(info.name),
    });
  }
  return rows;
}

function runInfoHtml(copy: ExecutedCopy | null, lang: Lang, times: { quick: string; full: string } | undefined) {
  const w = WORDS[lang];
  const measured = times
    ? ` ${escapeHtml(w.measured)}${w.colon}${escapeHtml(w.quickCol)} ${escapeHtml(times.quick)} · ${
      escapeHtml(w.fullCol)
    } ${escapeHtml(times.full)}${w.stop}`
    : "";
  if (copy === null) return `<p class="warning">${escapeHtml(w.noOutputs)}${measured}</p>`;
  const mode = copy.mode === "unknown" ? w.unknown : w[copy.mode];
  const took = copy.run
    ? `${w.comma}${w.took} ${copy.run.seconds.toFixed(1)} s (${copy.run.finished.slice(0, 10)})`
    : "";
  return `<p class="run-info">${escapeHtml(w.outputsFrom)} ${escapeHtml(mode)}${escapeHtml(took)}${w.stop}${measured} ${
    inlineCode(w.open)
  }</p>`;
}

/** The mode and time of a page's outputs, for the index: `quick, 36.9 s`. */
function outputsLabel(copy: ExecutedCopy | null, lang: Lang): string {
  if (copy === null) return "—";
  const mode = copy.mode === "unknown"
    ? "?"
    : lang === "zh"
    ? { quick: "快速", full: "完整", smoke: "冒烟" }[copy.mode]
    : copy.mode;
  return copy.run ? `${mode}${WORDS[lang].comma}${copy.run.seconds.toFixed(1)} s` : mode;
}

/**
 * The cells of a notebook page: markdown of the page's language, code with its executed outputs; in the student
 * build an exercise cell shows the student's stub and no output of a solved run, and a check's verdict from a solved
 * run is replaced by a note; in the solutions build the solution follows behind a toggle.
 *
 * @param edition The notebook in the page's language (tools/i18n.ts), with its solution markers.
 * @param copy The executed copy, or null.
 * @param options The language, the build, the notebooks that have pages (for links).
 * @returns The page's cells.
 */
export function pageCells(
  edition: Notebook,
  copy: ExecutedCopy | null,
  options: { lang: Lang; solutions: boolean; names: ReadonlySet<string> },
): { cells: PageCell[]; charts: number } {
  const ran = new Map((copy?.notebook.cells ?? []).map((c) => [c.id, c]));
  const solved = copy !== null && copy.edition !== "student";
  const ids = new Set<string>();
  let charts = 0;
  const context = {
    nextId: () => `chart-${++charts}`,
    checkNote: !options.solutions && solved ? WORDS[options.lang].checkNote : null,
  };
  const cells: PageCell[] = [];
  for (const cell of edition.cells) {
    const text = cellText(cell);
    if (cell.cell_type === "markdown") {
      cells.push({ kind: "markdown", html: renderMarkdown(text, { ids, link: (h) => siteLink(h, options.names) }) });
      continue;
    }
    if (cell.cell_type !== "code" || text.trim() === "") continue;
    const exercises = solutionBlocks(text).map((b) => b.exercise);
    const executed = ran.get(cell.id);
    const hide = exercises.length > 0 && !options.solutions && solved;
    cells.push({
      kind: "code",
      id: String(cell.id ?? ""),
      code: exercises.length > 0 ? studentSource(text) : text,
      outputs: executed && !hide ? renderOutputs(outputsOf(executed), context) : "",
      count: typeof executed?.execution_count === "number" ? executed.execution_count : null,
      exercises,
      solution: exercises.length > 0 && options.solutions ? instructorSource(text) : undefined,
    });
  }
  return { cells, charts };
}

async function emptySiteDir(dir: string): Promise<void> {
  const root = resolve(REPO_ROOT);
  if (resolve(dir) === root || root.startsWith(resolve(dir) + "/") || resolve(dir) === resolve(NOTEBOOKS_DIR)) {
    throw new RangeError(`Cannot write the site into ${dir}: it holds the repository or its notebooks`);
  }
  let entries = 0;
  try {
    for await (const _ of Deno.readDir(dir)) entries++;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return;
    throw e;
  }
  if (entries === 0) return;
  try {
    await Deno.stat(join(dir, MARKER));
  } catch {
    throw new RangeError(
      `Cannot write the site into ${dir}: the folder is not empty and was not written by deno task site (no ${MARKER})`,
    );
  }
  await Deno.remove(dir, { recursive: true });
}

async function write(outDir: string, file: string, text: string | Uint8Array): Promise<void> {
  const path = join(outDir, file);
  await Deno.mkdir(dirname(path), { recursive: true });
  if (typeof text === "string") await Deno.writeTextFile(path, text);
  else await Deno.writeFile(path, text);
}

async function writeAssets(outDir: string): Promise<void> {
  await write(outDir, "assets/plotly.min.js", plotlyLibrary());
  await write(outDir, "assets/site.js", SITE_JS);
  await write(outDir, "assets/site.css", SITE_CSS);
  for (const [to, from] of Object.entries(copiedAssets())) {
    await write(outDir, `assets/${to}`, await Deno.readFile(from));
  }
  for await (const font of Deno.readDir(KATEX_FONTS)) {
    if (font.name.endsWith(".woff2")) {
      await write(outDir, `assets/katex/fonts/${font.name}`, await Deno.readFile(join(KATEX_FONTS, font.name)));
    }
  }
}

/**
 * Builds the site: finds (or makes) the executed copies, writes every page, the indexes and the assets.
 *
 * @param options Mode, build, folder, whether notebooks may be run.
 * @returns What was written and what is missing.
 */
export async function buildSite(options: SiteOptions = {}): Promise<SiteReport> {
  const full = options.full ?? false;
  const solutions = options.solutions ?? false;
  const outDir = resolve(options.outDir ?? (solutions ? SOLUTIONS_SITE_DIR : SITE_DIR));
  const langs = SITE_LANGS;
  const copyDirs = options.copyDirs ?? ((lang: Lang) => executedCopyDirs(lang, full));
  const problems: string[] = [];
  const paths = await resolveNotebooks([], options.notebooksDir ?? NOTEBOOKS_DIR);
  const infos: NotebookInfo[] = [];
  for (const path of paths) {
    const source = await readJson(path);
    if (source === null) throw new Error(`Cannot read the notebook ${path}`);
    const name = basename(path, ".ipynb");
    const entry = courseEntry(name);
    const titles = {} as Record<Lang, string>;
    for (const lang of SITE_LANGS) {
      const edition = lang === "en" ? source : (await buildEdition(path, lang)).notebook;
      titles[lang] = headingOf(edition) ?? entry?.title[lang] ?? name;
    }
    const exercises = source.cells.reduce(
      (n, c) => n + (c.cell_type === "code" ? solutionBlocks(cellText(c)).length : 0),
      0,
    );
    infos.push({ name, path, source, titles, exercises });
  }
  const names = new Set(infos.map((i) => i.name));

  // The executed copies: found on disk, else run once into build/site-runs/.
  const copies = new Map<string, { copy: ExecutedCopy | null; ran: boolean }>();
  for (const lang of langs) {
    const missing: NotebookInfo[] = [];
    for (const info of infos) {
      const { copy, refused } = await findExecutedCopy(info.path, lang, full, copyDirs(lang));
      copies.set(`${lang}/${info.name}`, { copy, ran: false });
      if (copy !== null) continue;
      missing.push(info);
      const why = refused.length > 0 ? ` (refused: ${refused.join("; ")})` : "";
      if (options.execute === false) {
        problems.push(`${info.name} (${lang}): no executed copy in ${full ? "full" : "quick or smoke"} mode${why}`);
      } else console.log(`run  ${info.name} (${lang}): no usable executed copy${why}`);
    }
    if (missing.length === 0 || options.execute === false) continue;
    const runDir = join(SITE_RUNS_DIR, full ? "full" : "quick", lang);
    const toRun = lang === "en"
      ? missing.map((i) => i.path)
      : await Promise.all(missing.map(async (i) => (await writeEdition(i.path, lang)).path));
    const results = await runNotebooks(toRun, { full, outDir: runDir });
    for (const [k, info] of missing.entries()) {
      const result = results[k];
      if (!result?.ok) {
        problems.push(`${info.name} (${lang}): its run failed${result ? `: ${result.error?.message ?? ""}` : ""}`);
        continue;
      }
      const { copy, refused } = await findExecutedCopy(info.path, lang, full, [runDir]);
      if (copy === null) problems.push(`${info.name} (${lang}): its fresh run is not usable: ${refused.join("; ")}`);
      copies.set(`${lang}/${info.name}`, { copy, ran: true });
    }
  }

  const timesDoc = options.timesDoc ?? join(REPO_ROOT, "README.md");
  const { rows: times, note: timesNote } = parseTimeTable(await Deno.readTextFile(timesDoc).catch(() => ""));
  await emptySiteDir(outDir);
  await Deno.mkdir(outDir, { recursive: true });
  await Deno.writeTextFile(join(outDir, MARKER), `written by deno task site${solutions ? " --solutions" : ""}\n`);
  const files: string[] = [];
  const pages: PageReport[] = [];
  const other = (lang: Lang): Lang => (lang === "en" ? "zh" : "en");
  for (const lang of langs) {
    const words = WORDS[lang];
    for (const [k, info] of infos.entries()) {
      const { copy, ran } = copies.get(`${lang}/${info.name}`)!;
      const edition = lang === "en" ? info.source : (await buildEdition(info.path, lang)).notebook;
      const { cells, charts } = pageCells(edition, copy, { lang, solutions, names });
      const body = cells.map((c) =>
        c.kind === "markdown" ? `<section class="cell md-cell">${c.html}</section>` : renderCodeCell(c, words)
      );
      const prev = infos[k - 1], next = infos[k + 1];
      const nav = pagerHtml(
        prev ? { href: pageFile(prev.name), label: prev.titles[lang] } : null,
        next ? { href: pageFile(next.name), label: next.titles[lang] } : null,
        words,
      );
      const frame: Frame = {
        lang,
        title: `${info.titles[lang]} · ${words.course}`,
        root: "../",
        other: `../${other(lang)}/${pageFile(info.name)}`,
        home: lang === "en" ? "../index.html" : "index.html",
        map: mapRows(infos, lang, "", info.name, times),
        solutions,
        charts: charts > 0,
      };
      const html = pageHtml(frame, runInfoHtml(copy, lang, times.get(info.name)) + body.join("\n") + nav);
      const page = `${lang}/${pageFile(info.name)}`;
      await write(outDir, page, html);
      files.push(page);
      pages.push({
        name: info.name,
        lang,
        page,
        from: copy ? relative(REPO_ROOT, copy.path) : null,
        mode: copy?.mode ?? null,
        ran,
      });
      if (copy === null && options.execute !== false && !problems.some((p) => p.startsWith(`${info.name} (${lang})`))) {
        problems.push(`${info.name} (${lang}): no outputs`);
      }
    }
    const index = lang === "en" ? "index.html" : `${lang}/index.html`;
    const prefix = lang === "en" ? "en/" : "";
    const label = (name: string) => outputsLabel(copies.get(`${lang}/${name}`)?.copy ?? null, lang);
    const rows = mapRows(infos, lang, prefix, null, times, label);
    const first = rows.find((r) => r.href !== null);
    const modes = [...new Set(pages.filter((p) => p.lang === lang && p.mode).map((p) => p.mode as RunMode))];
    const body = `<h1>${escapeHtml(words.course)}</h1>
<p class="tagline">${escapeHtml(words.tagline)}</p>
<p>${inlineCode(words.open)}${first ? ` <a href="${first.href}">${escapeHtml(first.title)} →</a>` : ""}</p>
<h2 id="map">${escapeHtml(words.map)}</h2>
${courseTable(rows, words)}
<p class="run-info">${escapeHtml(words.measured)}${words.colon}${
      times.size > 0 ? escapeHtml(timesNote) : `${inlineCode(words.notMeasured)}${words.stop}`
    } ${escapeHtml(words.outputsFrom)} ${
      modes.map((m) => escapeHtml(m === "unknown" ? words.unknown : words[m])).join(words.comma)
    }${words.stop}</p>`;
    const frame: Frame = {
      lang,
      title: words.course,
      root: lang === "en" ? "" : "../",
      other: lang === "en" ? `${other(lang)}/index.html` : "../index.html",
      home: "index.html",
      map: mapRows(infos, lang, prefix, null, times),
      solutions,
      charts: false,
    };
    await write(outDir, index, pageHtml(frame, body));
    files.push(index);
  }
  await writeAssets(outDir);
  return { outDir, files, pages, problems };
}

/** Parsed command line of `deno task site`. */
export interface SiteArgs {
  /** `--full`. */
  full: boolean;
  /** `--solutions`. */
  solutions: boolean;
  /** `--out=DIR`. */
  outDir?: string;
  /** False with `--no-run`. */
  execute: boolean;
}

/**
 * Parses `deno task site` arguments.
 *
 * @param args The command line.
 * @returns The parsed arguments.
 * @throws {RangeError} On an unknown flag.
 * @example
 * ```ts
 * import { parseSiteArgs } from "./site.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseSiteArgs(["--full", "--solutions"]), { full: true, solutions: true, execute: true });
 * assert.deepEqual(parseSiteArgs(["--no-run", "--out=x"]), { full: false, solutions: false, execute: false, outDir: "x" });
 * ```
 */
export function parseSiteArgs(args: readonly string[]): SiteArgs {
  const parsed: SiteArgs = { full: false, solutions: false, execute: true };
  for (const arg of args) {
    if (arg === "--full") parsed.full = true;
    else if (arg === "--solutions") parsed.solutions = true;
    else if (arg === "--no-run") parsed.execute = false;
    else if (arg.startsWith("--out=")) parsed.outDir = arg.slice("--out=".length);
    else {
      throw new RangeError(
        `Cannot parse the arguments as ${arg} is not a known flag: expected --full, --solutions, --no-run or --out=DIR`,
      );
    }
  }
  return parsed;
}

async function main(argv: readonly string[]): Promise<number> {
  let args: SiteArgs;
  try {
    args = parseSiteArgs(argv);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const started = performance.now();
  const report = await buildSite({ ...args });
  for (const p of report.pages) {
    const from = p.from === null ? "no outputs" : `${p.mode} run ${p.from}${p.ran ? " (run now)" : ""}`;
    console.log(`${p.lang}  ${p.page.padEnd(34)} ${from}`);
  }
  for (const p of report.problems) console.log(`FAIL ${p}`);
  const rel = relative(Deno.cwd(), report.outDir) || ".";
  console.log(
    `${report.pages.length} pages in ${rel}/ (${((performance.now() - started) / 1000).toFixed(1)} s): open ` +
      `${join(report.outDir, "index.html")} in a browser (file://, no server needed)`,
  );
  return report.problems.length === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
