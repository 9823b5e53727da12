/**
 * The whole test suite: `deno task test` (CI runs it), `deno task test:unit` (`--unit`: the fast part only).
 *
 * Stages, in order: `deno fmt --check`, `deno lint`, `deno check` of lib/ tests/ bench/ tools/, unit and doc tests
 * (`deno test -A --doc` over lib/ tests/ tools/, the browser tests aside), `deno task pretrain --quick` (the cached models
 * later notebooks load), the notebooks through the runner (the
 * English instructor edition of each in quick mode within {@link NOTEBOOK_BUDGET_S} seconds with every exercise check
 * passing, then the English and the Chinese student editions in smoke mode within {@link SMOKE_BUDGET_S} seconds with
 * every check saying "not yet"; built by tools/workshop.ts and tools/i18n.ts into {@link CI_EDITIONS_DIR}), then the
 * browser test and the chat page's browser and load tests ({@link CHAT_BROWSER_TEST}). Ends with one line,
 * `N passed, N failed`: deno test's own counts, plus one per other stage and per notebook. Exits 1 on any failure.
 *
 * After the notebooks, the site stage builds the course site from their executed copies (tools/site.ts: the student and
 * the solutions build, no notebook run again) and checks it in Chromium ({@link SITE_BROWSER_TEST}).
 *
 * Flags: `--unit` (stop after the unit tests), `--no-notebooks` (and so no site), `--no-site`, `--no-browser`,
 * `--budget=S`.
 *
 * @module
 */
import { join } from "node:path";
import { REPO_ROOT } from "./kernelspec.ts";
import { CI_RUNS_DIR, type NotebookResult, resolveNotebooks, runNotebooks } from "./nb.ts";
import { buildSite } from "./site.ts";
import { buildEditions, type Edition, editionDir, type Notebook, verifyEdition } from "./workshop.ts";
import type { Lang } from "./i18n.ts";

/** Seconds a notebook may take in quick mode before the suite fails it. */
export const NOTEBOOK_BUDGET_S = 60;

/**
 * Seconds a notebook may take in smoke mode (the student edition's run, two kernels at once). Each notebook aims at
 * 10 s (issue 11; measured 2.7–9.0 s on a quiet 2-core machine, 04 the slowest); the budget keeps headroom for a
 * noisy CI machine, and the suite prints the slowest cells of a notebook that goes over it.
 */
export const SMOKE_BUDGET_S = 15;

/** Where the suite builds the editions it runs. */
export const CI_EDITIONS_DIR = join(REPO_ROOT, "build", "ci-editions");

/** The browser check, run as its own stage. */
export const BROWSER_TEST = "tests/browser_test.ts";

/** The chat page's browser and load tests (tests/chat_browser_test.ts), run as their own stage after the notebooks
 * (they use the quick models the notebook stage's `pretrain --quick` left in the cache). */
export const CHAT_BROWSER_TEST = "tests/chat_browser_test.ts";

/** The site's browser check (tests/site_browser_test.ts), run in the site stage on the site built from the notebook
 * stage's executed copies. */
export const SITE_BROWSER_TEST = "tests/site_browser_test.ts";

/** Passed and failed counts of one stage. */
export interface Tally {
  /** Tests that passed. */
  passed: number;
  /** Tests that failed. */
  failed: number;
}

/**
 * Reads the counts from the last summary line of `deno test` output (`ok | 12 passed | 0 failed (3s)`, also
 * with `(1 step)` parts and colour codes).
 *
 * @param output What `deno test` printed.
 * @returns The counts, or null when there is no summary (the run crashed or failed to type-check).
 * @example
 * ```ts
 * import { parseDenoTestSummary } from "./test.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseDenoTestSummary("FAILED | 7 passed (2 steps) | 1 failed (3s)"), { passed: 7, failed: 1 });
 * assert.equal(parseDenoTestSummary("error: Type checking failed."), null);
 * ```
 */
export function parseDenoTestSummary(output: string): Tally | null {
  // deno-lint-ignore no-control-regex
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  const matches = [...plain.matchAll(/^(?:ok|FAILED) \| (\d+) passed(?: \([^)]*\))? \| (\d+) failed/gm)];
  if (matches.length === 0) return null;
  const last = matches[matches.length - 1];
  return { passed: Number(last[1]), failed: Number(last[2]) };
}

/**
 * The closing line of the suite.
 *
 * @param tallies Counts of every stage.
 * @returns `N passed, N failed`.
 * @example
 * ```ts
 * import { summaryLine } from "./test.ts";
 * import assert from "node:assert/strict";
 * assert.equal(summaryLine([{ passed: 3, failed: 0 }, { passed: 40, failed: 2 }]), "43 passed, 2 failed");
 * ```
 */
export function summaryLine(tallies: readonly Tally[]): string {
  const passed = tallies.reduce((s, t) => s + t.passed, 0);
  const failed = tallies.reduce((s, t) => s + t.failed, 0);
  return `${passed} passed, ${failed} failed`;
}

/** Runs a command with inherited stdin, echoing its output live and returning it too. */
async function runCommand(args: string[], env: Record<string, string> = {}): Promise<{ ok: boolean; text: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args,
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const chunks: string[] = [];
  const pump = async (stream: ReadableStream<Uint8Array>, sink: typeof Deno.stdout) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      await sink.write(chunk);
      chunks.push(decoder.decode(chunk, { stream: true }));
    }
  };
  await Promise.all([pump(child.stdout, Deno.stdout), pump(child.stderr, Deno.stderr)]);
  const status = await child.status;
  return { ok: status.success, text: chunks.join("") };
}

async function existingDirs(dirs: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const dir of dirs) {
    try {
      if ((await Deno.stat(join(REPO_ROOT, dir))).isDirectory) found.push(dir);
    } catch {
      // Absent folder: nothing to check.
    }
  }
  return found;
}

/**
 * lib/, tools/ and every entry of tests/ but the browser tests and the fixtures. (Listed one by one: deno 2.9's
 * `--ignore` is not applied when `deno test` gets several folders.)
 */
async function unitTestTargets(): Promise<string[]> {
  const targets = await existingDirs(["lib", "tools"]);
  const entries: string[] = [];
  for await (const e of Deno.readDir(join(REPO_ROOT, "tests"))) {
    const path = `tests/${e.name}`;
    if (path === BROWSER_TEST || path === SITE_BROWSER_TEST || path === CHAT_BROWSER_TEST || e.name === "fixtures") {
      continue;
    }
    if (e.isDirectory || e.name.endsWith(".ts")) entries.push(path);
  }
  return [...targets, ...entries.sort()];
}

function header(title: string): void {
  console.log(`\n=== ${title} ===`);
}

async function stage(title: string, args: string[]): Promise<Tally> {
  header(title);
  const started = performance.now();
  const { ok } = await runCommand(args);
  console.log(`${ok ? "ok" : "FAILED"}: ${title} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return ok ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

async function testStage(title: string, args: string[], env: Record<string, string> = {}): Promise<Tally> {
  header(title);
  const { ok, text } = await runCommand(args, env);
  const tally = parseDenoTestSummary(text);
  if (tally === null) return { passed: 0, failed: 1 };
  if (!ok && tally.failed === 0) tally.failed = 1;
  return tally;
}

/**
 * Where a notebook spent its time, for a budget failure: its slowest cells and the waits for late console output.
 *
 * @param r A notebook's result.
 * @returns One line.
 * @example
 * ```ts
 * import { describeSlowest } from "./test.ts";
 * import assert from "node:assert/strict";
 * const cell = { index: 4, id: "nb01-04", seconds: 31.5, fenceSeconds: 30.0 };
 * assert.equal(
 *   describeSlowest({ slowest: [cell], fenceGaveUp: 1 }),
 *   "slowest cells: nb01-04 31.5 s (30.0 s waiting for console output); the output fence gave up after 1 cell(s)",
 * );
 * ```
 */
export function describeSlowest(r: Pick<NotebookResult, "slowest" | "fenceGaveUp">): string {
  const cells = r.slowest.map((c) =>
    `${c.id || `cell ${c.index}`} ${c.seconds.toFixed(1)} s` +
    (c.fenceSeconds >= 1 ? ` (${c.fenceSeconds.toFixed(1)} s waiting for console output)` : "")
  );
  const fence = r.fenceGaveUp > 0 ? `; the output fence gave up after ${r.fenceGaveUp} cell(s)` : "";
  return `slowest cells: ${cells.join(", ") || "none recorded"}${fence}`;
}

/** Counts a run's results against its budget, and the check verdicts of each executed copy against its edition. */
async function tallyEdition(
  results: NotebookResult[],
  expected: number,
  budgetS: number,
  edition: Edition,
): Promise<Tally> {
  let passed = 0, failed = expected - results.length; // Runs stopped early (no nbclient) count as failures.
  for (const r of results) {
    const problems: string[] = [];
    if (r.ok && r.seconds > budgetS) {
      problems.push(`took ${r.seconds.toFixed(1)} s, over the budget of ${budgetS} s (${describeSlowest(r)})`);
    }
    if (r.ok) {
      const report = verifyEdition(JSON.parse(await Deno.readTextFile(r.output)) as Notebook, edition);
      problems.push(...report.problems);
    }
    if (r.ok && problems.length === 0) passed++;
    else {
      failed++;
      for (const p of problems) console.log(`FAIL ${r.name} (${edition} edition): ${p}`);
    }
  }
  return { passed, failed };
}

async function notebookStage(budgetS: number): Promise<Tally> {
  const names = (await resolveNotebooks([])).map((p) => p.slice(p.lastIndexOf("/") + 1));
  await buildEditions({ outDir: CI_EDITIONS_DIR, force: true });
  const editionPaths = (e: Edition, lang: Lang = "en") =>
    names.map((n) => join(editionDir(CI_EDITIONS_DIR, e, lang), n));
  // The models later notebooks load (tools/pretrain.ts), trained into the cache first, as a workshop does the evening
  // before: the notebooks then load them instead of training them on the way.
  header("pretrain --quick (the models later notebooks load from the model cache)");
  const pre = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", join(REPO_ROOT, "tools", "pretrain.ts"), "--quick"],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!pre.success) console.log("FAIL deno task pretrain --quick");
  const p = pre.success ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
  header(`instructor edition (quick mode, each within ${budgetS} s; every check passes)`);
  const instructor = await runNotebooks(editionPaths("instructor"), {
    full: false,
    outDir: editionDir(CI_RUNS_DIR, "instructor"),
  });
  const a = await tallyEdition(instructor, names.length, budgetS, "instructor");
  header(`student edition (smoke mode, two kernels, each within ${SMOKE_BUDGET_S} s; every check says "not yet")`);
  // Two kernels at once (BLAS uses one thread each): the models they share come from the cache, which the instructor
  // run above has filled, so the two only read it.
  const student = await runNotebooks(editionPaths("student"), {
    smoke: true,
    jobs: 2,
    outDir: editionDir(CI_RUNS_DIR, "student"),
  });
  const b = await tallyEdition(student, names.length, SMOKE_BUDGET_S, "student");
  header(`Chinese student edition (smoke mode, two kernels, each within ${SMOKE_BUDGET_S} s)`);
  await buildEditions({ outDir: CI_EDITIONS_DIR, force: true, lang: "zh", editions: ["student"] });
  const chinese = await runNotebooks(editionPaths("student", "zh"), {
    smoke: true,
    jobs: 2,
    outDir: editionDir(CI_RUNS_DIR, "student", "zh"),
  });
  const c = await tallyEdition(chinese, names.length, SMOKE_BUDGET_S, "student");
  return { passed: p.passed + a.passed + b.passed + c.passed, failed: p.failed + a.failed + b.failed + c.failed };
}

/**
 * Builds the site twice (student and solutions builds, tools/site.ts) from the executed copies the notebook stage left
 * in `CI_RUNS_DIR` (tools/nb.ts; English: the instructor edition's quick run; Chinese: the student edition's smoke run), never
 * running a notebook again, then checks it in Chromium ({@link SITE_BROWSER_TEST}).
 */
export async function siteStage(): Promise<Tally> {
  header("site (built from the notebook stage's executed copies: nothing runs again)");
  const copyDirs = (
    lang: Lang,
  ) => [editionDir(CI_RUNS_DIR, "instructor", lang), editionDir(CI_RUNS_DIR, "student", lang)];
  let failed = 0;
  for (const solutions of [false, true]) {
    const started = performance.now();
    const report = await buildSite({ solutions, execute: false, copyDirs });
    const title = `deno task site --no-run${solutions ? " --solutions" : ""}`;
    for (const p of report.problems) console.log(`FAIL ${title}: ${p}`);
    const modes = [...new Set(report.pages.map((p) => `${p.lang} ${p.mode}`))].join(", ");
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${
        report.problems.length === 0 ? "ok" : "FAILED"
      }: ${title}: ${report.pages.length} pages (${modes}) (${seconds} s)`,
    );
    if (report.problems.length > 0) failed++;
  }
  const browser = await testStage("site in the browser", ["test", "-A", SITE_BROWSER_TEST], {
    LIANDAN_SITE_BUILT: "1",
  });
  return { passed: browser.passed + 2 - failed, failed: browser.failed + failed };
}

async function main(args: readonly string[]): Promise<number> {
  const unit = args.includes("--unit");
  const budgetArg = args.find((a) => a.startsWith("--budget="));
  const budgetS = budgetArg ? Number(budgetArg.slice("--budget=".length)) : NOTEBOOK_BUDGET_S;
  const started = performance.now();
  const tallies: Tally[] = [];
  tallies.push(await stage("deno fmt --check", ["fmt", "--check"]));
  tallies.push(await stage("deno lint", ["lint"]));
  const dirs = await existingDirs(["lib", "tests", "bench", "tools"]);
  tallies.push(await stage(`deno check ${dirs.join(" ")}`, ["check", ...dirs]));
  const unitArgs = ["test", "-A", "--doc", ...await unitTestTargets()];
  tallies.push(await testStage("unit and doc tests", unitArgs));
  const notebooks = !unit && !args.includes("--no-notebooks");
  if (notebooks) tallies.push(await notebookStage(budgetS));
  if (notebooks && !args.includes("--no-site")) tallies.push(await siteStage());
  else if (!unit && !args.includes("--no-site")) {
    console.log("\nThe site stage is skipped: it builds on the notebook stage");
  }
  if (!unit && !args.includes("--no-browser")) {
    tallies.push(await testStage("browser check", ["test", "-A", BROWSER_TEST]));
    tallies.push(await testStage("chat page in the browser, and under load", ["test", "-A", CHAT_BROWSER_TEST]));
  }
  console.log(`\nTotal time ${((performance.now() - started) / 1000).toFixed(0)} s`);
  const line = summaryLine(tallies);
  console.log(line);
  return tallies.some((t) => t.failed > 0) ? 1 : 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
