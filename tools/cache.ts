/**
 * `deno task cache`: lists the model cache (`.cache/liandan/`, or `LIANDAN_CACHE`): each entry's name, the notebook
 * that trained it, its mode, kind, size, age, and whether it is stale (it will be trained again when next asked for).
 * `deno task cache --clear` removes every entry, `deno task cache --clear NAME` the entries of one name.
 *
 * @module
 */
import { age, cacheDir, clearCache, listCache } from "../lib/checkpoint/model_cache.ts";
import { UsageError } from "./_gpt_cli.ts";

const USAGE = "Usage: deno task cache [--clear [NAME]]\n\n" +
  "  (no flag)       list the entries of the model cache\n" +
  "  --clear         remove every entry (and leftovers of interrupted saves)\n" +
  "  --clear NAME    remove the entries named NAME, in every mode\n" +
  "  --help          show this help\n\n" +
  "The cache folder is LIANDAN_CACHE when set, else .cache/liandan in the repository.";

/**
 * A size in bytes as `812 B`, `3.4 KB`, `12.0 MB`, `1.2 GB`.
 *
 * @param bytes A size.
 * @returns Short text.
 * @example
 * ```ts
 * import { formatBytes } from "./cache.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([812, 3500, 12e6].map(formatBytes), ["812 B", "3.5 KB", "12.0 MB"]);
 * ```
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = bytes / 1000, i = 0;
  while (v >= 1000 && i < units.length - 1) [v, i] = [v / 1000, i + 1];
  return `${v.toFixed(1)} ${units[i]}`;
}

/** Pads the columns of a table of strings to their widest cell. */
function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd());
}

/**
 * Runs `deno task cache` with these arguments.
 *
 * @param args Command-line arguments.
 * @param log Where to print lines.
 * @param root The cache folder (default the cache's own, from `LIANDAN_CACHE`).
 * @returns How many entries were listed or removed.
 * @throws {UsageError} For an unknown flag or a bad name.
 */
export async function cacheMain(
  args: string[],
  log: (line: string) => void = console.log,
  root: string = cacheDir(),
): Promise<number> {
  if (args.includes("--help") || args.includes("-h")) {
    log(USAGE);
    return 0;
  }
  if (args.length > 0 && args[0] !== "--clear") throw new UsageError(`Unknown argument "${args[0]}".\n${USAGE}`);
  if (args.length > 2) throw new UsageError(`Too many arguments: ${args.join(" ")}.\n${USAGE}`);
  if (args[0] === "--clear") {
    const name = args[1];
    let removed: number;
    try {
      removed = await clearCache(name, root);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    log(`Removed ${removed} ${removed === 1 ? "entry" : "entries"}${name ? ` named ${name}` : ""} from ${root}.`);
    return removed;
  }
  const entries = await listCache(undefined, root);
  if (entries.length === 0) {
    log(`The model cache (${root}) is empty.`);
    return 0;
  }
  const rows = [["NAME", "NOTEBOOK", "MODE", "KIND", "SIZE", "AGE", "STALE"]];
  for (const e of entries) {
    const r = e.record;
    rows.push([
      e.name,
      r?.notebook || "-",
      e.mode ?? "any",
      r?.kind ?? "?",
      formatBytes(e.bytes),
      r ? age(r.created) : "?",
      e.stale === null ? "no" : `yes: ${e.stale}`,
    ]);
  }
  for (const line of table(rows)) log(line);
  const total = entries.reduce((n, e) => n + e.bytes, 0);
  log(`${entries.length} ${entries.length === 1 ? "entry" : "entries"}, ${formatBytes(total)} in ${root}.`);
  if (entries.some((e) => e.stale !== null)) {
    log("Stale entries are trained again when a notebook next asks for them; --clear removes them now.");
  }
  return entries.length;
}

if (import.meta.main) {
  try {
    await cacheMain(Deno.args);
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    Deno.exit(e instanceof UsageError ? 2 : 1);
  }
}
