/**
 * The notebook runner: `deno task nb [names…] [--full | --smoke] [--lang=zh] [--jobs=N] [--timeout=S] [--out=DIR]
 * [--report]`.
 *
 * Executes notebooks in the real Deno kernel through Jupyter's nbclient (tools/nb_driver.py), in quick mode
 * (`LIANDAN_QUICK=1`) unless `--full` (`--smoke` adds `LIANDAN_SMOKE=1`: one or two steps per loop), and writes the executed copies to `build/notebooks/` (sources are never
 * rewritten). Names match notebooks in `notebooks/` by prefix (`00`, `00_welcome`, `00_welcome.ipynb`) or are paths to
 * `.ipynb` files; no names means every notebook in order (names starting with `_` are scratch copies and skipped). A failing cell fails the run and its source and error are
 * printed. `--lang=zh` runs the Chinese editions instead (tools/i18n.ts: written to `build/editions/zh/`, executed
 * copies in `build/notebooks/zh/`); the kernel's `LIANDAN_LANG` always follows the notebook's `metadata.liandan.lang`
 * (English when it has none).
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { KERNEL_NAME, REPO_ROOT, runnerJupyterPath } from "./kernelspec.ts";
import { describeStatus, editionLang, type Lang, readNotebook, TRANSLATED_LANGS, writeEdition } from "./i18n.ts";

/** The folder of the course notebooks. */
export const NOTEBOOKS_DIR: string = join(REPO_ROOT, "notebooks");

/** Where executed copies go (ignored by git). */
export const OUTPUT_DIR: string = join(REPO_ROOT, "build", "notebooks");

/**
 * Where the suite's notebook stage (tools/test.ts) writes its executed copies: `instructor/` and `student/` (English),
 * `zh/student/`; tools/site.ts builds the site from them.
 */
export const CI_RUNS_DIR: string = join(REPO_ROOT, "build", "ci-editions", "runs");

/** Default per-notebook timeouts in seconds. */
export const DEFAULT_TIMEOUT_S = Object.freeze({ quick: 120, full: 900 });

/** Pythons tried, in order, for one that has nbclient (`LIANDAN_PYTHON` goes first when set). */
export const PYTHON_CANDIDATES: readonly string[] = Object.freeze(["/usr/bin/python3", "python3", "python"]);

/** How to get nbclient, printed when no Python has it. */
export const MISSING_NBCLIENT_MESSAGE = [
  "Cannot run notebooks as no Python with Jupyter's nbclient was found.",
  "Install it with one of:",
  "  sudo apt install python3-nbclient jupyter-nbconvert   (Debian/Ubuntu)",
  "  pip install nbclient                                  (any Python 3)",
  "or point LIANDAN_PYTHON at a Python that has it.",
].join("\n");

/** Options of {@link runNotebook}. */
export interface RunOptions {
  /** Full mode (no `LIANDAN_QUICK`); default quick. */
  full?: boolean;
  /** Smoke mode (`LIANDAN_SMOKE=1`: quick mode with one or two steps per loop, learning claims skipped). */
  smoke?: boolean;
  /** Extra environment variables for the kernel (e.g. `LIANDAN_LANG`). */
  env?: Record<string, string>;
  /** Seconds before the notebook is stopped; default 120 quick, 900 full. */
  timeoutS?: number;
  /** Folder for the executed copy; default `build/notebooks/`. */
  outDir?: string;
  /** The Python with nbclient; default {@link findPython}. */
  python?: string;
  /** Wait for late kernel outputs after each cell (see nb_driver.py); default true. */
  fence?: boolean;
}

/** The error of a failed notebook. */
export interface NotebookError {
  /** "cell" (a cell threw), "timeout", "kernel" (it died), "setup" (Jupyter failed), "missing" (no nbclient). */
  kind: string;
  /** What happened, in words. */
  message: string;
  /** Index of the failing cell in the notebook (markdown cells included). */
  cell_index?: number;
  /** Source of the failing cell. */
  source?: string;
  /** The error's class name. */
  ename?: string;
  /** The error's message. */
  evalue?: string;
  /** The error's traceback, without ANSI codes. */
  traceback?: string;
}

/** How long one code cell took. */
export interface CellTime {
  /** Index in the notebook (markdown cells included). */
  index: number;
  /** The cell's id. */
  id: string;
  /** Seconds from the request to the end of its output fence. */
  seconds: number;
  /** Of those, seconds spent waiting for late console output. */
  fenceSeconds: number;
}

/** What running one notebook gave. */
export interface NotebookResult {
  /** The notebook's name (file name without `.ipynb`). */
  name: string;
  /** The source notebook. */
  path: string;
  /** The executed copy. */
  output: string;
  /** True when every cell ran without error in time. */
  ok: boolean;
  /** Wall time in seconds, kernel start included. */
  seconds: number;
  /** Non-empty code cells in the notebook. */
  cells: number;
  /** Code cells that completed. */
  executed: number;
  /** Outputs that arrived after their cell reported idle (caught by the fence). */
  lateOutputs: number;
  /** Cells after which the fence gave up waiting for the kernel's console (each costs its 30 s wait). */
  fenceGaveUp: number;
  /** The three slowest code cells, fence wait included: where a notebook over its budget spent its time. */
  slowest: CellTime[];
  /** Present when `ok` is false. */
  error?: NotebookError;
  /** The driver's stderr (kernel start messages, Python warnings). */
  log: string;
}

/**
 * Removes ANSI escape codes (colours, cursor moves) from text.
 *
 * @param text Text that may hold escape codes.
 * @returns The text without them.
 * @example
 * ```ts
 * import { stripAnsi } from "./nb.ts";
 * import assert from "node:assert/strict";
 * assert.equal(stripAnsi("\x1b[31mError\x1b[0m: boom"), "Error: boom");
 * ```
 */
export function stripAnsi(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/\x1b\[[0-9;?]*[ -\/]*[@-~]|\x1b\][^\x07]*(\x07|\x1b\\)/g, "");
}

/**
 * Finds a Python that can import nbclient, nbformat and jupyter_client (or the modules named in `imports`).
 *
 * @param candidates Executables to try, in order; default `LIANDAN_PYTHON` then {@link PYTHON_CANDIDATES}.
 * @param imports What it must import, as in a Python `import` statement.
 * @returns The first that works, or null.
 */
export async function findPython(
  candidates?: readonly string[],
  imports = "nbclient, nbformat, jupyter_client",
): Promise<string | null> {
  const fromEnv = Deno.env.get("LIANDAN_PYTHON");
  const list = candidates ?? (fromEnv ? [fromEnv, ...PYTHON_CANDIDATES] : PYTHON_CANDIDATES);
  for (const python of list) {
    try {
      const probe = new Deno.Command(python, {
        args: ["-c", `import ${imports}`],
        stdout: "null",
        stderr: "null",
      });
      if ((await probe.output()).success) return python;
    } catch {
      // Not installed: try the next.
    }
  }
  return null;
}

/**
 * Whether a file name is a course notebook: `.ipynb`, not starting with `_` or `.` (scratch copies, checkpoints).
 *
 * @param name A file name.
 * @returns True for names like `00_welcome.ipynb`.
 * @example
 * ```ts
 * import { isCourseNotebook } from "./nb.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isCourseNotebook("00_welcome.ipynb"), true);
 * assert.equal(isCourseNotebook("_tmp_00_welcome.ipynb"), false);
 * ```
 */
export function isCourseNotebook(name: string): boolean {
  return name.endsWith(".ipynb") && !name.startsWith("_") && !name.startsWith(".");
}

/**
 * Resolves notebook names to paths: a path to an existing `.ipynb` file is kept; otherwise a name matches the
 * notebook of that exact name (with or without `.ipynb`) or, failing that, every notebook whose name starts with it.
 *
 * @param names Names, prefixes or paths; none means every notebook.
 * @param dir The notebooks' folder.
 * @returns Paths, in name order for each argument.
 * @throws {RangeError} When a name matches no notebook.
 */
export async function resolveNotebooks(names: readonly string[], dir: string = NOTEBOOKS_DIR): Promise<string[]> {
  const all: string[] = [];
  try {
    for await (const entry of Deno.readDir(dir)) {
      if (entry.isFile && isCourseNotebook(entry.name)) all.push(entry.name);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  all.sort();
  if (names.length === 0) return all.map((n) => join(dir, n));
  const found: string[] = [];
  for (const name of names) {
    if (name.endsWith(".ipynb") && await isFile(name)) {
      found.push(resolve(name));
      continue;
    }
    const bare = name.replace(/\.ipynb$/, "");
    const exact = all.filter((n) => n === `${bare}.ipynb`);
    const matches = exact.length > 0 ? exact : all.filter((n) => n.startsWith(bare));
    if (matches.length === 0) {
      throw new RangeError(
        `Cannot find a notebook as no name in ${dir} starts with "${name}": available are ${all.join(", ") || "none"}`,
      );
    }
    found.push(...matches.map((n) => join(dir, n)));
  }
  return [...new Set(found)];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/**
 * Executes one notebook in the `liandan` kernel and writes the executed copy.
 *
 * @param path The source notebook (never modified).
 * @param options Mode, timeout, output folder.
 * @returns Whether it passed, its wall time and, on failure, the failing cell and its error.
 * @throws {RangeError} When the timeout is not a positive number.
 */
export async function runNotebook(path: string, options: RunOptions = {}): Promise<NotebookResult> {
  const full = options.full ?? false;
  const timeoutS = options.timeoutS ?? DEFAULT_TIMEOUT_S[full ? "full" : "quick"];
  if (!(timeoutS > 0)) {
    throw new RangeError(`Cannot run a notebook as timeoutS must be a positive number: current value is ${timeoutS}`);
  }
  const name = basename(path).replace(/\.ipynb$/, "");
  const output = join(options.outDir ?? OUTPUT_DIR, basename(path));
  const result: NotebookResult = {
    name,
    path,
    output,
    ok: false,
    seconds: 0,
    cells: 0,
    executed: 0,
    lateOutputs: 0,
    fenceGaveUp: 0,
    slowest: [],
    log: "",
  };
  const python = options.python ?? await findPython();
  if (python === null) {
    result.error = { kind: "missing", message: MISSING_NBCLIENT_MESSAGE };
    return result;
  }
  await Deno.mkdir(dirname(output), { recursive: true });
  const reportDir = await Deno.makeTempDir({ prefix: "liandan-nb-" });
  const report = join(reportDir, "report.json");
  try {
    const env = {
      ...await kernelEnv(full, options.smoke ?? false, editionLang(await readNotebook(path))),
      ...options.env,
    };
    const args = [join(REPO_ROOT, "tools", "nb_driver.py"), path, output, report, "--kernel", KERNEL_NAME];
    args.push("--cwd", dirname(resolve(path)), "--timeout", String(timeoutS));
    if (options.fence === false) args.push("--no-fence");
    // Backstop: the driver enforces the timeout itself and shuts the kernel down; this only catches a hung driver.
    const signal = AbortSignal.timeout((timeoutS + 90) * 1000);
    const started = performance.now();
    let out: Deno.CommandOutput;
    try {
      out = await new Deno.Command(python, { args, env, stdout: "piped", stderr: "piped", signal }).output();
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      result.error = { kind: "missing", message: `${python} was not found.\n${MISSING_NBCLIENT_MESSAGE}` };
      return result;
    }
    result.log = stripAnsi(new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr));
    result.seconds = (performance.now() - started) / 1000;
    Object.assign(result, await readReport(report));
    await recordRun(output, {
      mode: full ? "full" : options.smoke ? "smoke" : "quick",
      lang: env.LIANDAN_LANG as Lang,
      seconds: Math.round(result.seconds * 10) / 10,
      finished: new Date().toISOString(),
      ok: result.ok,
    });
    if (out.code === 3) result.error = { kind: "missing", message: MISSING_NBCLIENT_MESSAGE };
    if (out.code !== 0 && result.ok) result.ok = false;
    if (!result.ok && !result.error) {
      result.error = { kind: "setup", message: `The notebook driver exited with status ${out.code}` };
    }
  } finally {
    await Deno.remove(reportDir, { recursive: true });
  }
  return result;
}

/** How an executed copy was made: `metadata.liandan.run` (tools/site.ts reads it to pick outputs). */
export interface RunRecord {
  /** "quick", "full" or "smoke". */
  mode: "quick" | "full" | "smoke";
  /** The kernel's `LIANDAN_LANG`. */
  lang: Lang;
  /** Wall time in seconds, kernel start included. */
  seconds: number;
  /** When the run ended (ISO 8601). */
  finished: string;
  /** Whether every cell ran without error in time. */
  ok: boolean;
}

/**
 * The run record of an executed copy, when its runner wrote one.
 *
 * @param nb An executed notebook.
 * @returns `metadata.liandan.run`, or null.
 * @example
 * ```ts
 * import { runRecord } from "./nb.ts";
 * import assert from "node:assert/strict";
 * const run = { mode: "quick", lang: "en", seconds: 4.2, finished: "2026-12-01T10:00:00Z", ok: true } as const;
 * assert.deepEqual(runRecord({ cells: [], metadata: { liandan: { run } } }), run);
 * assert.equal(runRecord({ cells: [], metadata: {} }), null);
 * ```
 */
export function runRecord(nb: { cells?: unknown[]; metadata?: Record<string, unknown> }): RunRecord | null {
  const run = (nb.metadata?.liandan as { run?: RunRecord } | undefined)?.run;
  return run && typeof run === "object" && typeof run.mode === "string" ? run : null;
}

/** Writes the run record into the executed copy (left alone when the driver wrote none). */
async function recordRun(output: string, run: RunRecord): Promise<void> {
  let nb: { metadata?: Record<string, unknown> };
  try {
    nb = JSON.parse(await Deno.readTextFile(output));
  } catch {
    return;
  }
  const liandan = (nb.metadata?.liandan ?? {}) as Record<string, unknown>;
  nb.metadata = { ...nb.metadata, liandan: { ...liandan, run } };
  await Deno.writeTextFile(output, JSON.stringify(nb, null, 1) + "\n");
}

async function kernelEnv(full: boolean, smoke: boolean, lang: Lang): Promise<Record<string, string>> {
  const env = Deno.env.toObject();
  const jupyterPath = await runnerJupyterPath(REPO_ROOT);
  env.JUPYTER_PATH = [jupyterPath, env.JUPYTER_PATH].filter(Boolean).join(Deno.build.os === "windows" ? ";" : ":");
  env.NO_COLOR = "1";
  env.LIANDAN_LANG = lang;
  if (full) delete env.LIANDAN_QUICK;
  else env.LIANDAN_QUICK = "1";
  if (smoke && !full) env.LIANDAN_SMOKE = "1";
  else delete env.LIANDAN_SMOKE;
  return env;
}

async function readReport(path: string): Promise<Partial<NotebookResult>> {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(await Deno.readTextFile(path));
  } catch {
    return { ok: false };
  }
  const error = raw.error as NotebookError | null;
  if (error) {
    for (const key of ["message", "evalue", "traceback"] as const) {
      if (typeof error[key] === "string") error[key] = stripAnsi(error[key]!);
    }
  }
  return {
    ok: raw.ok === true,
    cells: Number(raw.cells ?? 0),
    executed: Number(raw.executed ?? 0),
    lateOutputs: Number(raw.late_outputs ?? 0),
    fenceGaveUp: Number(raw.fence_gave_up ?? 0),
    slowest: Array.isArray(raw.slowest)
      ? raw.slowest.map((c: Record<string, unknown>) => ({
        index: Number(c.index),
        id: String(c.id ?? ""),
        seconds: Number(c.seconds),
        fenceSeconds: Number(c.fence_seconds ?? 0),
      }))
      : [],
    error: error ?? undefined,
  };
}

/**
 * Describes a failed notebook: the failing cell's source and its error, ready to print.
 *
 * @param result A notebook result with `ok` false.
 * @returns Several lines of text.
 */
export function formatFailure(result: NotebookResult): string {
  const e = result.error;
  if (!e) return `${result.name}: failed without an error report\n${result.log}`;
  const lines = [`${result.name}: ${e.message}`];
  if (e.cell_index !== undefined) {
    lines.push(`--- cell ${e.cell_index} ---`, (e.source ?? "").trimEnd(), "---");
  }
  if (e.ename || e.evalue) lines.push(`${e.ename ?? "Error"}: ${e.evalue ?? ""}`);
  if (e.traceback) lines.push(e.traceback.trimEnd());
  if (e.kind === "setup" || e.kind === "kernel") lines.push(result.log.trimEnd());
  lines.push(`Executed copy: ${result.output}`);
  return lines.join("\n");
}

/** Parsed command line of `deno task nb`. */
export interface NbArgs {
  /** Notebook names, prefixes or paths. */
  names: string[];
  /** `--full`. */
  full: boolean;
  /** `--timeout=S`. */
  timeoutS?: number;
  /** `--out=DIR`. */
  outDir?: string;
  /** `--smoke`. */
  smoke?: boolean;
  /** `--jobs=N`: notebooks run at once. */
  jobs?: number;
  /** `--report`: time every notebook in quick and full mode and write the tables (tools/nb_report.ts). */
  report?: boolean;
  /** `--lang=zh`: run the editions in that language. */
  lang?: Lang;
}

/**
 * Parses `deno task nb` arguments.
 *
 * @param args The command line.
 * @returns The parsed arguments.
 * @throws {RangeError} On an unknown flag or a bad timeout.
 * @example
 * ```ts
 * import { parseNbArgs } from "./nb.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseNbArgs(["00", "--full", "--timeout=30"]), { names: ["00"], full: true, timeoutS: 30 });
 * ```
 */
export function parseNbArgs(args: readonly string[]): NbArgs {
  const parsed: NbArgs = { names: [], full: false };
  for (const arg of args) {
    if (arg === "--full") parsed.full = true;
    else if (arg === "--quick") parsed.full = false;
    else if (arg === "--smoke") parsed.smoke = true;
    else if (arg === "--report") parsed.report = true;
    else if (arg === "--all") continue; // every notebook, as with no names
    else if (arg.startsWith("--jobs=")) {
      const value = Number(arg.slice("--jobs=".length));
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`Cannot parse --jobs as it must be a positive integer: current value is ${arg}`);
      }
      parsed.jobs = value;
    } else if (arg.startsWith("--timeout=")) {
      const value = Number(arg.slice("--timeout=".length));
      if (!(value > 0)) {
        throw new RangeError(
          `Cannot parse --timeout as it must be a positive number of seconds: current value is ${arg}`,
        );
      }
      parsed.timeoutS = value;
    } else if (arg.startsWith("--out=")) parsed.outDir = resolve(arg.slice("--out=".length));
    else if (arg.startsWith("--lang=")) {
      const value = arg.slice("--lang=".length);
      if (value === "en") continue;
      if (!(TRANSLATED_LANGS as readonly string[]).includes(value)) {
        throw new RangeError(
          `Cannot parse --lang as it must be en or ${TRANSLATED_LANGS.join(", ")}: current value is ${value}`,
        );
      }
      parsed.lang = value as Lang;
    } else if (arg.startsWith("--")) {
      throw new RangeError(
        `Cannot parse the arguments as ${arg} is not a known flag: expected --full, --quick, --smoke, --all, ` +
          `--report, --lang=L, --jobs=N, --timeout=S or --out=DIR`,
      );
    } else parsed.names.push(arg);
  }
  return parsed;
}

/**
 * Writes the editions of notebooks in a language (tools/i18n.ts) to `build/editions/<lang>/` and prints a `warn` line
 * for each markdown cell whose translation is missing (the edition shows its English) or stale.
 *
 * @param paths English notebooks.
 * @param lang The language.
 * @returns The editions' paths, in the same order.
 */
export async function prepareEditions(paths: readonly string[], lang: Lang): Promise<string[]> {
  const editions: string[] = [];
  for (const path of paths) {
    const { path: edition, status } = await writeEdition(path, lang);
    const name = basename(path, ".ipynb");
    for (const line of describeStatus(await readNotebook(path), status, name, lang)) console.log(`warn ${line}`);
    editions.push(edition);
  }
  return editions;
}

/**
 * Whether a notebook failed because a kernel message was garbled in transit ("Invalid Signature": under load the Deno
 * kernel can interleave a multi-MB output with the cell's idle message, see tools/README.md), not because of its
 * code. {@link runNotebooks} runs such a notebook once more, saying so.
 *
 * @param error The failure, if any.
 * @returns True only for that protocol error.
 * @example
 * ```ts
 * import { isKernelGlitch } from "./nb.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isKernelGlitch({ kind: "setup", message: "ValueError: Invalid Signature: b'5ff1'" }), true);
 * assert.equal(isKernelGlitch({ kind: "cell", message: "A cell raised an error", evalue: "Invalid Signature" }), false);
 * assert.equal(isKernelGlitch(null), false);
 * ```
 */
export function isKernelGlitch(error: NotebookError | null | undefined): boolean {
  return error?.kind === "setup" && /\bInvalid Signature\b/.test(error.message);
}

/**
 * Runs notebooks, one after another or `jobs` at a time (only for notebooks that share no cached model), printing each
 * one's wall time and result, and any failure in full.
 *
 * @param paths Notebooks to run.
 * @param options Mode, timeout and output folder for every notebook; `jobs`, how many kernels run at once (default 1).
 * @returns The results, in order.
 */
export async function runNotebooks(
  paths: readonly string[],
  options: RunOptions & { jobs?: number } = {},
): Promise<NotebookResult[]> {
  const mode = options.full ? "full" : options.smoke ? "smoke" : "quick";
  const results: (NotebookResult | undefined)[] = new Array(paths.length);
  let next = 0, missing = false;
  const worker = async () => {
    while (next < paths.length && !missing) {
      const k = next++;
      let result = await runNotebook(paths[k], options);
      if (isKernelGlitch(result.error)) {
        console.log(
          `warn ${result.name}: ${result.error!.message}: the kernel garbled a message; running it once more`,
        );
        result = await runNotebook(paths[k], options);
      }
      results[k] = result;
      const status = result.ok ? "ok  " : "FAIL";
      const cells = `${result.executed}/${result.cells} cells`;
      console.log(
        `${status} ${result.name.padEnd(28)} ${result.seconds.toFixed(1).padStart(6)} s  ${cells}  (${mode})`,
      );
      if (!result.ok) console.log(formatFailure(result));
      if (result.error?.kind === "missing") missing = true;
    }
  };
  const jobs = Math.max(1, Math.min(options.jobs ?? 1, paths.length));
  await Promise.all(Array.from({ length: jobs }, worker));
  return results.filter((r): r is NotebookResult => r !== undefined);
}

async function main(argv: readonly string[]): Promise<number> {
  let args: NbArgs, paths: string[];
  try {
    args = parseNbArgs(argv);
    paths = await resolveNotebooks(args.names);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  if (paths.length === 0) {
    console.log(`No notebooks in ${NOTEBOOKS_DIR}`);
    return 0;
  }
  if (args.report) {
    const { writeReport } = await import("./nb_report.ts"); // it imports this module
    return await writeReport(paths, { timeoutS: args.timeoutS, outDir: args.outDir });
  }
  if (args.lang !== undefined) paths = await prepareEditions(paths, args.lang);
  const outDir = args.outDir ?? (args.lang === undefined ? undefined : join(OUTPUT_DIR, args.lang));
  const results = await runNotebooks(paths, {
    full: args.full,
    smoke: args.smoke,
    jobs: args.jobs,
    timeoutS: args.timeoutS,
    outDir,
  });
  const failed = results.filter((r) => !r.ok).length;
  const total = results.reduce((s, r) => s + r.seconds, 0);
  console.log(`${results.length - failed} passed, ${failed} failed (${total.toFixed(1)} s)`);
  return failed === 0 ? 0 : 1;
}

// No top-level await: `--report` imports nb_report.ts, which imports this module, so this module must finish
// evaluating first (with `await main()` here the import waited for it forever: "Top-level await promise never resolved").
if (import.meta.main) main(Deno.args).then((code) => Deno.exit(code));
