/**
 * `deno task nb --all --report`: times every notebook in quick and in full mode and writes the table into
 * docs/instructors.md and README.md, between the lines {@link BEGIN_MARK} and {@link END_MARK}, so the times there are
 * measured, never typed.
 *
 * @module
 */
import { basename, join } from "node:path";
import { type CacheEntry, listCache } from "../lib/checkpoint/model_cache.ts";
import { REPO_ROOT } from "./kernelspec.ts";
import { type NotebookResult, runNotebooks } from "./nb.ts";
import { cellText, type Notebook, solutionBlocks } from "./workshop.ts";

/** The line before the generated table. */
export const BEGIN_MARK = "<!-- notebook-times:begin (written by `deno task nb --all --report`) -->";

/** The line after it. */
export const END_MARK = "<!-- notebook-times:end -->";

/** The files that carry the table. */
export const REPORT_FILES: readonly string[] = Object.freeze(["docs/instructors.md", "README.md"]);

/** One notebook's measurements. */
export interface TimeRow {
  /** File name without `.ipynb`. */
  name: string;
  /** Quick-mode wall time in seconds (kernel start included), or null when it failed. */
  quick: number | null;
  /** Full-mode wall time, or null when it failed. */
  full: number | null;
  /** Code cells. */
  cells: number;
  /** Exercises (solution blocks). */
  exercises: number;
}

/**
 * The markdown table of the measurements, with where and when they were taken.
 *
 * @param rows One per notebook.
 * @param machine A line on the machine (cores, load average, date).
 * @returns The table and its note.
 * @example
 * ```ts
 * import { timeTable } from "./nb_report.ts";
 * import assert from "node:assert/strict";
 * const md = timeTable([{ name: "00_welcome", quick: 21.04, full: 80.5, cells: 19, exercises: 2 }], "2 cores");
 * assert.match(md, /\| 00_welcome \| 21 s \| 1 min 21 s \| 19 \| 2 \|/);
 * ```
 */
export function timeTable(rows: readonly TimeRow[], machine: string): string {
  const t = (s: number | null) => {
    if (s === null) return "failed";
    const r = Math.round(s);
    return r < 60 ? `${r} s` : `${Math.floor(r / 60)} min ${r % 60} s`;
  };
  const lines = [
    "| notebook | quick mode | full mode | code cells | exercises |",
    "|---|---|---|---|---|",
    ...rows.map((r) => `| ${r.name} | ${t(r.quick)} | ${t(r.full)} | ${r.cells} | ${r.exercises} |`),
  ];
  return `${lines.join("\n")}\n\nWall time per notebook through \`deno task nb\`, kernel start included; ${machine}.`;
}

/** The measured times of one notebook, as {@link timeTable} wrote them. */
export interface MeasuredTimes {
  /** Quick-mode time as written ("21 s", "1 min 21 s", "failed"). */
  quick: string;
  /** Full-mode time as written. */
  full: string;
  /** Code cells. */
  cells: number;
  /** Exercises. */
  exercises: number;
}

/**
 * Reads back the table that {@link writeReport} put between the markers of a document (README.md): the site shows it.
 *
 * @param doc The document.
 * @returns The rows by notebook name and the note under the table (machine and date); no rows when the table is
 *   empty or the markers are missing.
 * @example
 * ```ts
 * import { BEGIN_MARK, END_MARK, parseTimeTable, timeTable } from "./nb_report.ts";
 * import assert from "node:assert/strict";
 * const table = timeTable([{ name: "00_welcome", quick: 21.04, full: 80.5, cells: 19, exercises: 2 }], "2 cores");
 * const parsed = parseTimeTable(`# Times\n${BEGIN_MARK}\n${table}\n${END_MARK}\n`);
 * assert.deepEqual(parsed.rows.get("00_welcome"), { quick: "21 s", full: "1 min 21 s", cells: 19, exercises: 2 });
 * assert.match(parsed.note, /2 cores\.$/);
 * assert.equal(parseTimeTable("no table").rows.size, 0);
 * ```
 */
export function parseTimeTable(doc: string): { rows: Map<string, MeasuredTimes>; note: string } {
  const rows = new Map<string, MeasuredTimes>();
  const begin = doc.indexOf(BEGIN_MARK), end = doc.indexOf(END_MARK);
  if (begin < 0 || end < begin) return { rows, note: "" };
  const body = doc.slice(begin + BEGIN_MARK.length, end);
  for (const line of body.split("\n")) {
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    if (cells.length !== 5 || cells[0] === "notebook" || /^-+$/.test(cells[0])) continue;
    rows.set(cells[0], { quick: cells[1], full: cells[2], cells: Number(cells[3]), exercises: Number(cells[4]) });
  }
  const note = body.split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("|")).join(" ");
  return { rows, note };
}

/**
 * Puts generated text between the markers of a document.
 *
 * @param doc The document.
 * @param body What goes between the markers.
 * @returns The new document.
 * @throws {RangeError} When the markers are missing or out of order.
 * @example
 * ```ts
 * import { BEGIN_MARK, END_MARK, replaceBetweenMarks } from "./nb_report.ts";
 * import assert from "node:assert/strict";
 * const doc = `a\n${BEGIN_MARK}\nold\n${END_MARK}\nb`;
 * assert.equal(replaceBetweenMarks(doc, "new"), `a\n${BEGIN_MARK}\nnew\n${END_MARK}\nb`);
 * ```
 */
export function replaceBetweenMarks(doc: string, body: string): string {
  const begin = doc.indexOf(BEGIN_MARK), end = doc.indexOf(END_MARK);
  if (begin < 0 || end < begin) {
    throw new RangeError(`Cannot write the time table as the document lacks the lines ${BEGIN_MARK} and ${END_MARK}`);
  }
  return `${doc.slice(0, begin + BEGIN_MARK.length)}\n${body}\n${doc.slice(end)}`;
}

async function machineLine(): Promise<string> {
  let load = "";
  try {
    load = `, load average ${(await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ")}`;
  } catch {
    // Not Linux.
  }
  const cores = navigator.hardwareConcurrency ?? 1;
  return `measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${cores} CPU cores${load}`;
}

/**
 * What the model cache held before the runs, as a phrase for the table's note: the times of notebooks that load a
 * shared model depend on it (notebook 15 takes minutes when it tunes its policies, seconds when they are cached).
 *
 * @param entries The cache's entries ({@link listCache}).
 * @returns "an empty model cache", or "a model cache holding gpt-poems (full), …".
 * @example
 * ```ts
 * import { cacheNote } from "./nb_report.ts";
 * import assert from "node:assert/strict";
 * assert.equal(cacheNote([]), "an empty model cache");
 * const entry = { name: "gpt-poems", mode: "full" as const, stale: null, record: {} as never, dir: "", bytes: 0 };
 * assert.equal(cacheNote([entry, { ...entry, name: "old", stale: "lib version 0.0.1" }]), "a model cache holding gpt-poems (full)");
 * ```
 */
export function cacheNote(entries: readonly CacheEntry[]): string {
  const fresh = entries.filter((e) => e.stale === null && e.record !== null);
  if (fresh.length === 0) return "an empty model cache";
  const names = fresh.map((e) => `${e.name}${e.mode ? ` (${e.mode})` : ""}`).sort();
  return `a model cache holding ${names.join(", ")}`;
}

/**
 * Runs every notebook in quick, then in full mode, and writes the table into {@link REPORT_FILES}.
 *
 * @param paths The notebooks.
 * @param options Timeout and output folder of the runs.
 * @returns The exit status: 0 when every run passed.
 */
export async function writeReport(
  paths: readonly string[],
  options: { timeoutS?: number; outDir?: string } = {},
): Promise<number> {
  const before = cacheNote(await listCache());
  const quick = await runNotebooks(paths, { ...options, full: false });
  const full = await runNotebooks(paths, { ...options, full: true });
  const byName = (rs: NotebookResult[], name: string) => rs.find((r) => r.name === name);
  const rows: TimeRow[] = [];
  for (const path of paths) {
    const name = basename(path).replace(/\.ipynb$/, "");
    const nb = JSON.parse(await Deno.readTextFile(path)) as Notebook;
    const code = nb.cells.filter((c) => c.cell_type === "code" && cellText(c).trim() !== "");
    const q = byName(quick, name), f = byName(full, name);
    rows.push({
      name,
      quick: q?.ok ? q.seconds : null,
      full: f?.ok ? f.seconds : null,
      cells: code.length,
      exercises: code.reduce((n, c) => n + solutionBlocks(cellText(c)).length, 0),
    });
  }
  const table = timeTable(rows, `${await machineLine()}; in order, starting from ${before}`);
  console.log(`\n${table}\n`);
  for (const file of REPORT_FILES) {
    const path = join(REPO_ROOT, file);
    await Deno.writeTextFile(path, replaceBetweenMarks(await Deno.readTextFile(path), table));
    console.log(`wrote the table into ${file}`);
  }
  return rows.every((r) => r.quick !== null && r.full !== null) ? 0 : 1;
}
