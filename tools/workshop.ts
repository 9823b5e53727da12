/**
 * Two editions from one source: `deno task workshop [names…] [--out=DIR] [--force]`.
 *
 * The source notebooks in notebooks/ hold each exercise's solution between marker lines:
 *
 * ```text
 * function gini(counts: number[]): number {
 *   // BEGIN SOLUTION 03-gini
 *   const total = counts.reduce((s, c) => s + c, 0);
 *   …
 *   // END SOLUTION
 * }
 * ```
 *
 * The **student** edition replaces each block by `throw notImplemented("03-gini"); // ✏️ …`, the **instructor** edition
 * keeps the solution and drops the marker lines. Both go to `DIR/student/` and `DIR/instructor/` (default
 * {@link DEFAULT_OUT}, ignored by git); notebooks/ is never written. An edition is made by a pipeline of notebook
 * transforms ({@link editionPipeline}), so a later step (a translation) slots in. A copy that was changed since it was
 * written (a learner's work) is never overwritten: the fresh one goes beside it as `NAME.fresh.ipynb`, and the command
 * says so (`--force` overwrites).
 *
 * @module
 */
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { REPO_ROOT } from "./kernelspec.ts";
import { NOTEBOOKS_DIR, resolveNotebooks } from "./nb.ts";
import { buildEdition, type Lang, takeLang } from "./i18n.ts";

/** Where `deno task workshop` and `deno task lab` write the editions (ignored by git). */
export const DEFAULT_OUT: string = join(REPO_ROOT, "workshop");

/** The editions. */
export type Edition = "student" | "instructor";

/** Both editions, in the order they are written. */
export const EDITIONS: readonly Edition[] = Object.freeze(["student", "instructor"]);

/** The line that opens a solution: `// BEGIN SOLUTION <exercise id>`. */
export const BEGIN_SOLUTION = /^(\s*)\/\/ BEGIN SOLUTION ([\w.-]+)\s*$/;

/** The line that closes it. */
export const END_SOLUTION = /^\s*\/\/ END SOLUTION\s*$/;

/** A notebook cell as nbformat 4 stores it. */
export interface NotebookCell {
  /** "code", "markdown" or "raw". */
  cell_type: string;
  /** The text, as one string or a list of lines. */
  source: string | string[];
  /** The cell id (nbformat 4.5). */
  id?: string;
  /** Cell metadata. */
  metadata?: Record<string, unknown>;
  /** Outputs of a code cell. */
  outputs?: unknown[];
  /** Execution count of a code cell. */
  execution_count?: number | null;
}

/** A notebook as nbformat 4 stores it. */
export interface Notebook {
  /** The cells. */
  cells: NotebookCell[];
  /** Notebook metadata (kernelspec, language_info, and `liandan.edition` once built). */
  metadata: Record<string, unknown>;
  /** 4. */
  nbformat: number;
  /** Minor version. */
  nbformat_minor: number;
}

/** What a transform knows about the edition it helps make. */
export interface EditionContext {
  /** The edition. */
  edition: Edition;
  /** The folder of the source notebook. */
  sourceDir: string;
  /** The folder the edition is written to. */
  outDir: string;
}

/** One step of an edition's pipeline: a new notebook from the previous one (the input is not changed). */
export type Transform = (nb: Notebook, context: EditionContext) => Notebook;

/** One solution block of a cell. */
export interface SolutionBlock {
  /** The exercise id after `BEGIN SOLUTION`. */
  exercise: string;
  /** The lines between the markers. */
  lines: string[];
}

/**
 * A cell's text as one string.
 *
 * @param cell The cell.
 * @returns Its source joined.
 */
export function cellText(cell: NotebookCell): string {
  return Array.isArray(cell.source) ? cell.source.join("") : cell.source;
}

function withText(cell: NotebookCell, text: string): NotebookCell {
  const lines = text.split(/(?<=\n)/);
  return { ...cell, source: lines };
}

/**
 * Finds the solution blocks of a cell's source.
 *
 * @param source A code cell's text.
 * @returns The blocks, in order.
 * @throws {SyntaxError} When a block is not closed, is nested, or an END has no BEGIN.
 * @example
 * ```ts
 * import { solutionBlocks } from "./workshop.ts";
 * import assert from "node:assert/strict";
 * const src = "function f() {\n  // BEGIN SOLUTION 03-gini\n  return 1;\n  // END SOLUTION\n}";
 * assert.deepEqual(solutionBlocks(src), [{ exercise: "03-gini", lines: ["  return 1;"] }]);
 * ```
 */
export function solutionBlocks(source: string): SolutionBlock[] {
  const blocks: SolutionBlock[] = [];
  let open: SolutionBlock | null = null;
  source.split("\n").forEach((line, i) => {
    const begin = BEGIN_SOLUTION.exec(line);
    if (begin) {
      if (open) throw new SyntaxError(`Cannot read solutions as line ${i + 1} opens a block inside "${open.exercise}"`);
      open = { exercise: begin[2], lines: [] };
    } else if (END_SOLUTION.test(line)) {
      if (!open) throw new SyntaxError(`Cannot read solutions as line ${i + 1} closes a block that was never opened`);
      blocks.push(open);
      open = null;
    } else if (open) (open as SolutionBlock).lines.push(line);
  });
  if (open) {
    throw new SyntaxError(
      `Cannot read solutions as the block of "${(open as SolutionBlock).exercise}" is never closed`,
    );
  }
  return blocks;
}

/**
 * The student's version of a cell's source: each solution block becomes a stub that throws.
 *
 * @param source A code cell's text.
 * @returns The text with every block replaced by `throw notImplemented("<id>"); // ✏️ …` at the block's indentation.
 * @throws {SyntaxError} On unbalanced markers.
 * @example
 * ```ts
 * import { studentSource } from "./workshop.ts";
 * import assert from "node:assert/strict";
 * const src = "function f() {\n  // BEGIN SOLUTION 03-gini\n  return 1;\n  // END SOLUTION\n}";
 * assert.equal(studentSource(src), 'function f() {\n  throw notImplemented("03-gini"); // ✏️ your code here\n}');
 * ```
 */
export function studentSource(source: string): string {
  solutionBlocks(source); // validates
  const out: string[] = [];
  let inside = false;
  for (const line of source.split("\n")) {
    const begin = BEGIN_SOLUTION.exec(line);
    if (begin) {
      out.push(`${begin[1]}throw notImplemented(${JSON.stringify(begin[2])}); // ✏️ your code here`);
      inside = true;
    } else if (END_SOLUTION.test(line)) inside = false;
    else if (!inside) out.push(line);
  }
  return out.join("\n");
}

/**
 * The instructor's version of a cell's source: the solutions stay, the marker lines go.
 *
 * @param source A code cell's text.
 * @returns The text without marker lines.
 * @throws {SyntaxError} On unbalanced markers.
 * @example
 * ```ts
 * import { instructorSource } from "./workshop.ts";
 * import assert from "node:assert/strict";
 * const src = "function f() {\n  // BEGIN SOLUTION 03-gini\n  return 1;\n  // END SOLUTION\n}";
 * assert.equal(instructorSource(src), "function f() {\n  return 1;\n}");
 * ```
 */
export function instructorSource(source: string): string {
  solutionBlocks(source);
  return source.split("\n").filter((l) => !BEGIN_SOLUTION.test(l) && !END_SOLUTION.test(l)).join("\n");
}

/** Replaces every solution block with its stub (student) or drops the markers (instructor). */
export const applySolutions: Transform = (nb, { edition }) => ({
  ...nb,
  cells: nb.cells.map((cell) => {
    if (cell.cell_type !== "code") return cell;
    const text = cellText(cell);
    return withText(cell, edition === "student" ? studentSource(text) : instructorSource(text));
  }),
});

/**
 * Rewrites relative import specifiers (`"../bench/fixtures/x.json"`) so they resolve from the edition's folder.
 */
export const relocateImports: Transform = (nb, { sourceDir, outDir }) => ({
  ...nb,
  cells: nb.cells.map((cell) => {
    if (cell.cell_type !== "code") return cell;
    const text = cellText(cell).replace(
      /((?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)["'])(\.\.?\/[^"']+)(["'])/g,
      (_, head: string, spec: string, tail: string) => {
        let moved = relative(outDir, resolve(sourceDir, spec)).split(sep).join("/");
        if (!moved.startsWith(".")) moved = `./${moved}`;
        return `${head}${moved}${tail}`;
      },
    );
    return withText(cell, text);
  }),
});

/** Clears outputs and execution counts, and records the edition in the notebook's metadata. */
export const markEdition: Transform = (nb, { edition }) => ({
  ...nb,
  metadata: { ...nb.metadata, liandan: { ...(nb.metadata.liandan as object | undefined), edition } },
  cells: nb.cells.map((c) => (c.cell_type === "code" ? { ...c, outputs: [], execution_count: null } : c)),
});

/**
 * The transforms that make an edition, in order. A language step (a translation by cell id) goes after
 * {@link applySolutions}.
 *
 * @param _edition The edition (every edition uses the same steps today).
 * @returns The pipeline.
 */
export function editionPipeline(_edition: Edition): Transform[] {
  return [applySolutions, relocateImports, markEdition];
}

/**
 * Makes one edition of a notebook.
 *
 * @param nb The source notebook.
 * @param context Edition and folders.
 * @param pipeline The transforms (default {@link editionPipeline}).
 * @returns The edition.
 */
export function makeEdition(
  nb: Notebook,
  context: EditionContext,
  pipeline = editionPipeline(context.edition),
): Notebook {
  return pipeline.reduce((current, step) => step(current, context), nb);
}

/** How the writer treated one file. */
export interface Written {
  /** The edition. */
  edition: Edition;
  /** The path written (the fresh copy's path when the learner's copy was kept). */
  path: string;
  /** "new", "updated", "unchanged" or "kept" (the learner's copy is kept and the fresh one is beside it). */
  status: "new" | "updated" | "unchanged" | "kept";
  /** For "kept": the learner's copy. */
  kept?: string;
}

/** The manifest of an edition folder: file name to the SHA-256 of what was last written there. */
const MANIFEST = ".liandan-editions.json";

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function readText(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/**
 * Writes a notebook into an edition folder without ever losing a learner's work: a file changed since this writer
 * last wrote it is kept, and the new content goes to `NAME.fresh.ipynb` beside it.
 *
 * @param dir The edition folder.
 * @param name The file name, e.g. `01_learning_from_data.ipynb`.
 * @param text The notebook's JSON.
 * @param force Overwrite even a changed file.
 * @returns What happened; `path` is where the new content is.
 */
export async function writeProtected(
  dir: string,
  name: string,
  text: string,
  force = false,
): Promise<Omit<Written, "edition">> {
  await Deno.mkdir(dir, { recursive: true });
  const manifestPath = join(dir, MANIFEST);
  const manifest: Record<string, string> = JSON.parse((await readText(manifestPath)) ?? "{}");
  const path = join(dir, name);
  const current = await readText(path);
  const hash = await sha256(text);
  let result: Omit<Written, "edition">;
  if (current === text) result = { path, status: "unchanged" };
  else if (current === null || force || manifest[name] === await sha256(current)) {
    await Deno.writeTextFile(path, text);
    result = { path, status: current === null ? "new" : "updated" };
  } else {
    const fresh = join(dir, name.replace(/\.ipynb$/, ".fresh.ipynb"));
    await Deno.writeTextFile(fresh, text);
    return { path: fresh, status: "kept", kept: path };
  }
  manifest[name] = hash;
  await Deno.writeTextFile(manifestPath, JSON.stringify(manifest, null, 1) + "\n");
  return result;
}

/** Options of {@link buildEditions}. */
export interface BuildOptions {
  /** Notebook names or prefixes (default: all). */
  names?: readonly string[];
  /** Output folder (default {@link DEFAULT_OUT}); it must lie inside the repository. */
  outDir?: string;
  /** Which editions (default both). */
  editions?: readonly Edition[];
  /** Overwrite copies changed since they were written. */
  force?: boolean;
  /** The language (default English): a Chinese edition goes to `<outDir>/zh/<edition>/` (tools/i18n.ts). */
  lang?: Lang;
}

/**
 * The folder of one edition: `<outDir>/<edition>` in English, `<outDir>/<lang>/<edition>` in another language.
 *
 * @param outDir The editions' folder.
 * @param edition Student or instructor.
 * @param lang The language.
 * @returns The folder.
 */
export function editionDir(outDir: string, edition: Edition, lang: Lang = "en"): string {
  return lang === "en" ? join(outDir, edition) : join(outDir, lang, edition);
}

/**
 * Builds the editions of the course notebooks: the language step first (it needs the source's cell ids), then the
 * student or instructor step.
 *
 * @param options Names, output folder, editions, force.
 * @returns One entry per file written.
 * @throws {RangeError} When the output folder is outside the repository (the kernel finds deno.json, and with it
 *   `@lib/`, by walking up from the notebook's folder) or is notebooks/ itself.
 */
export async function buildEditions(options: BuildOptions = {}): Promise<Written[]> {
  const outDir = resolve(options.outDir ?? DEFAULT_OUT);
  const inside = relative(REPO_ROOT, outDir);
  if (inside.startsWith("..") || resolve(inside) === inside) {
    throw new RangeError(
      `Cannot write the editions as --out must be a folder inside the repository (${REPO_ROOT}), where the kernel ` +
        `finds deno.json: current value is ${outDir}`,
    );
  }
  if (outDir === NOTEBOOKS_DIR || outDir.startsWith(NOTEBOOKS_DIR + sep)) {
    throw new RangeError(
      `Cannot write the editions into notebooks/, which holds the sources: current value is ${outDir}`,
    );
  }
  const paths = await resolveNotebooks(options.names ?? []);
  const written: Written[] = [];
  const lang = options.lang ?? "en";
  for (const path of paths) {
    const nb = (await buildEdition(path, lang)).notebook as unknown as Notebook;
    for (const edition of options.editions ?? EDITIONS) {
      const dir = editionDir(outDir, edition, lang);
      const made = makeEdition(nb, { edition, sourceDir: dirname(path), outDir: dir });
      const text = JSON.stringify(made, null, 1) + "\n";
      written.push({ edition, ...await writeProtected(dir, basename(path), text, options.force) });
    }
  }
  return written;
}

/**
 * One line per file for the terminal; a kept learner copy says where the fresh one went.
 *
 * @param w What the writer did.
 * @returns The line.
 */
export function describeWritten(w: Written): string {
  const rel = (p: string) => relative(Deno.cwd(), p) || p;
  if (w.status === "kept") {
    return `kept     ${rel(w.kept!)} (it was changed since it was written; the fresh ${w.edition} edition is ${
      rel(w.path)
    })`;
  }
  return `${w.status.padEnd(8)} ${rel(w.path)}`;
}

/** Parsed command line of `deno task workshop`. */
export interface WorkshopArgs {
  /** Notebook names or prefixes. */
  names: string[];
  /** `--out=DIR`. */
  outDir?: string;
  /** `--force`. */
  force: boolean;
  /** `--lang L` (default en). */
  lang: Lang;
}

/**
 * Parses `deno task workshop` arguments (`--out DIR` and `--out=DIR` both work).
 *
 * @param args The command line.
 * @returns The parsed arguments.
 * @throws {RangeError} On an unknown flag or a missing folder.
 * @example
 * ```ts
 * import { parseWorkshopArgs } from "./workshop.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseWorkshopArgs(["01", "--out", "build/ws"]), {
 *   names: ["01"],
 *   outDir: "build/ws",
 *   force: false,
 *   lang: "en",
 * });
 * assert.equal(parseWorkshopArgs(["--lang", "zh"]).lang, "zh");
 * ```
 */
export function parseWorkshopArgs(args: readonly string[]): WorkshopArgs {
  const { lang, rest } = takeLang(args);
  const parsed: WorkshopArgs = { names: [], force: false, lang };
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--force") parsed.force = true;
    else if (arg === "--out" || arg.startsWith("--out=")) {
      const value = arg === "--out" ? rest[++i] : arg.slice("--out=".length);
      if (!value) throw new RangeError("Cannot parse --out as it needs a folder: current value is empty");
      parsed.outDir = value;
    } else if (arg.startsWith("--")) {
      throw new RangeError(
        `Cannot parse the arguments as ${arg} is not a known flag: expected --out DIR, --lang L or --force`,
      );
    } else parsed.names.push(arg);
  }
  return parsed;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    const args = parseWorkshopArgs(argv);
    const written = await buildEditions({ names: args.names, outDir: args.outDir, force: args.force, lang: args.lang });
    for (const w of written) console.log(describeWritten(w));
    console.log(
      `Open the student edition with \`deno task lab\`, the instructor one with \`deno task lab --solutions\`` +
        ` (add --lang zh for the Chinese edition).`,
    );
    return 0;
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));

/** What {@link verifyEdition} found in an executed edition. */
export interface EditionReport {
  /** Check outputs found (one per check cell that ran). */
  checks: number;
  /** What is wrong, one line each; empty when the edition behaved as it should. */
  problems: string[];
}

/**
 * Reads the check verdicts of an executed edition: in the instructor edition every check must pass; in the student
 * edition every check must say "not yet" because the exercise is not written, with a hint. Every cell that calls
 * `check(` must have shown a verdict.
 *
 * @param nb The executed notebook.
 * @param edition Its edition.
 * @returns How many verdicts there were and what is wrong.
 * @example
 * ```ts
 * import { verifyEdition } from "./workshop.ts";
 * import assert from "node:assert/strict";
 * const html = '<div class="liandan-check" data-exercise="03-gini" data-passed="true" data-reason="">✓</div>';
 * const cell = { cell_type: "code", source: "await check(GINI, gini);", outputs: [{ data: { "text/html": html } }] };
 * const nb = { cells: [cell], metadata: {}, nbformat: 4, nbformat_minor: 5 };
 * assert.deepEqual(verifyEdition(nb, "instructor"), { checks: 1, problems: [] });
 * assert.equal(verifyEdition(nb, "student").problems.length, 1);
 * ```
 */
export function verifyEdition(nb: Notebook, edition: Edition): EditionReport {
  const problems: string[] = [];
  let checks = 0;
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code" || !/\bcheck\(/.test(cellText(cell))) return;
    const verdicts = (cell.outputs ?? []).flatMap((o) => {
      const html = (o as { data?: Record<string, unknown> }).data?.["text/html"];
      const text = Array.isArray(html) ? html.join("") : typeof html === "string" ? html : "";
      const m = /class="liandan-check" data-exercise="([^"]*)" data-passed="(true|false)" data-reason="([^"]*)"/.exec(
        text,
      );
      return m
        ? [{ exercise: m[1], passed: m[2] === "true", reason: m[3], hint: text.includes('class="liandan-hint"') }]
        : [];
    });
    if (verdicts.length === 0) problems.push(`cell ${i} calls check( but showed no verdict`);
    for (const v of verdicts) {
      checks++;
      if (edition === "instructor" && !v.passed) problems.push(`cell ${i}: ${v.exercise} did not pass (${v.reason})`);
      if (edition === "student" && (v.passed || v.reason !== "check.not_implemented" || !v.hint)) {
        problems.push(`cell ${i}: ${v.exercise} should say "not yet" with a hint: passed=${v.passed}, ${v.reason}`);
      }
    }
  });
  return { checks, problems };
}
