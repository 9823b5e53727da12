/**
 * The model cache: a model trained once (or any expensive result) is kept as a checkpoint and loaded by every later
 * run and every later notebook. One call loads or trains:
 *
 * ```ts ignore
 * const model = await cached({
 *   ...GPT_CACHE,                          // kind "gpt" and how a GPT is saved and loaded
 *   name: "gpt-poems", notebook: "11_gpt",
 *   config: GPT_CONFIG,                    // the model's shape
 *   recipe: { steps: STEPS, lr: 3e-3, seed: SEED, data: "poems-v1" },   // how it is trained
 *   train: () => trainPoemGpt(),
 * });
 * ```
 *
 * An entry is the checkpoint directory `<cacheDir>/<name>@<mode>` (mode `quick`, `full`, or `any` for values that do
 * not depend on it). Its key hashes the kind, config, training recipe, quick/full mode and {@link LIB_VERSION}; an
 * entry whose key differs is stale: it is trained again, saying what changed, and replaced. A damaged entry is
 * trained again too, so a broken cache never stops a notebook. `deno task cache` lists the entries and
 * `deno task cache --clear [NAME]` removes them.
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { mode } from "../core/mode.ts";
import { LIB_VERSION } from "../core/version.ts";
import { type Progress, progress } from "../notebook/progress.ts";
import {
  type CheckpointData,
  type CheckpointMeta,
  loadCheckpoint,
  type LoadedCheckpoint,
  readCheckpointMeta,
  saveCheckpoint,
} from "./checkpoint.ts";
import { exists } from "./fs.ts";
import { canonicalJson, hashJson } from "./hash_json.ts";

/** Characters of the hex SHA-256 kept in a key (64 bits: ample for a cache). */
const KEY_LENGTH = 16;

/** What the cache records about an entry (in its checkpoint's `config.json`, under `info.cache`). */
export interface CacheRecord {
  /** The entry's name, e.g. `"gpt-poems"`. */
  name: string;
  /** The notebook that trained it (e.g. `"11_gpt"`), or `""` when unknown. */
  notebook: string;
  /** The hash of the inputs below and {@link LIB_VERSION}. */
  key: string;
  /** The model's kind. */
  kind: string;
  /** The model's config, as canonical JSON would write it. */
  config: unknown;
  /** The training recipe, likewise (`null` when none was given). */
  recipe: unknown;
  /** "quick" or "full", or null for values that do not depend on the mode. */
  mode: "quick" | "full" | null;
  /** {@link LIB_VERSION} when the entry was written. */
  lib: string;
  /** ISO date of the save. */
  created: string;
  /** Seconds spent in `train()`. */
  trainSeconds: number;
}

/** One entry, as {@link listCache} reports it. */
export interface CacheEntry {
  /** The entry's name. */
  name: string;
  /** Its folder. */
  dir: string;
  /** "quick", "full" or null (the folder's mode). */
  mode: "quick" | "full" | null;
  /** Total size of its files in bytes. */
  bytes: number;
  /** What the cache recorded, or null for an entry it cannot read (an old format, a damaged one). */
  record: CacheRecord | null;
  /** Why the entry will be trained again when next asked for (another lib version, another format), or null. */
  stale: string | null;
}

/** How a value of one kind is kept in a checkpoint: spread it into {@link CachedOptions}. */
export interface CacheAdapter<T> {
  /** The model kind (part of the key; the checkpoint's kind). */
  kind: string;
  /** What to store: config, weights, and any tokenizer, optimizer state or extra data (tensors are read, not freed). */
  save: (value: T) => Omit<CheckpointData, "kind" | "info"> | Promise<Omit<CheckpointData, "kind" | "info">>;
  /**
   * Builds the value back from a loaded checkpoint. The checkpoint's tensors are disposed after it returns, so copy
   * what you keep (`assignWeights` into a new model does). Throwing means "damaged": the entry is trained again.
   */
  load: (ckpt: LoadedCheckpoint) => T | Promise<T>;
}

/** What {@link cached} needs to load or train a value. */
export interface CachedOptions<T> extends CacheAdapter<T> {
  /** Entry name: letters, digits, `_`, `.` and `-`, starting with a letter or digit (e.g. `"cnn-digits"`). */
  name: string;
  /** The model's config (layer sizes …); plain JSON values only. */
  config: unknown;
  /** How it is trained: steps, learning rate, seed, data options …; plain JSON values only. */
  recipe?: unknown;
  /** The notebook that trains it, shown by `deno task cache` (default: `LIANDAN_NOTEBOOK` or the Jupyter session). */
  notebook?: string;
  /** Whether the key includes quick/full mode (default true); false for results that do not depend on it. */
  perMode?: boolean;
  /** Training steps: when given, `train` gets a progress bar over them to `advance()`. */
  steps?: number;
  /** Trains the value when the cache has no usable entry; gets a progress bar when `steps` is given. */
  train: (bar?: Progress<number>) => T | Promise<T>;
  /** Print nothing and show no bar (default false). */
  quiet?: boolean;
  /** The cache folder (default {@link cacheDir}()). */
  root?: string;
}

/** The repository root: two folders above this file (lib/checkpoint/model_cache.ts), when it is a local file. */
function repoRoot(): string {
  const url = new URL("../../", import.meta.url);
  return url.protocol === "file:" ? fileURLToPath(url) : Deno.cwd();
}

/**
 * The folder that holds the cache: `LIANDAN_CACHE` when set, else `<repo root>/.cache/liandan`.
 *
 * @returns An absolute (or, from `LIANDAN_CACHE`, as given) folder path; it need not exist yet.
 * @example
 * ```ts
 * import { cacheDir } from "@lib/checkpoint/model_cache.ts";
 * import assert from "node:assert/strict";
 * const saved = Deno.env.get("LIANDAN_CACHE");
 * Deno.env.set("LIANDAN_CACHE", "/tmp/my-cache");
 * assert.equal(cacheDir(), "/tmp/my-cache");
 * Deno.env.delete("LIANDAN_CACHE");
 * assert.match(cacheDir(), /\.cache[\\/]liandan$/);
 * if (saved !== undefined) Deno.env.set("LIANDAN_CACHE", saved);
 * ```
 */
export function cacheDir(): string {
  const fromEnv = (Deno.env.get("LIANDAN_CACHE") ?? "").trim();
  return fromEnv !== "" ? fromEnv : join(repoRoot(), ".cache", "liandan");
}

function checkName(name: unknown): string {
  if (typeof name !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    throw new TypeError(
      `Cannot use cache name ${JSON.stringify(name)}: it must be 1-64 letters, digits, "_", "." or "-", ` +
        `starting with a letter or digit`,
    );
  }
  return name;
}

/** The inputs a key hashes. */
export interface CacheKeyInputs {
  /** The entry's name. */
  name: string;
  /** The model's kind. */
  kind: string;
  /** The model's config. */
  config: unknown;
  /** The training recipe (default none). */
  recipe?: unknown;
  /** Whether quick/full mode is part of the key (default true). */
  perMode?: boolean;
}

/**
 * The key of a cache entry: a hash of the name, kind, config, training recipe, quick/full mode and
 * {@link LIB_VERSION}.
 *
 * @param inputs Name, kind, config, recipe, and whether the mode counts.
 * @returns 16 hex digits.
 * @throws {TypeError} For a bad name or kind, or a config or recipe that is not plain JSON.
 * @example
 * ```ts
 * import { cacheKey } from "@lib/checkpoint/model_cache.ts";
 * import { setQuick } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const inputs = { name: "demo", kind: "mlp", config: { hidden: 8 }, recipe: { lr: 0.1, steps: 10 } };
 * setQuick(false);
 * const a = await cacheKey(inputs);
 * assert.equal(a, await cacheKey({ ...inputs, recipe: { steps: 10, lr: 0.1 } }));
 * assert.notEqual(a, await cacheKey({ ...inputs, recipe: { lr: 0.2, steps: 10 } }));
 * setQuick(true);
 * assert.notEqual(a, await cacheKey(inputs));
 * setQuick(null);
 * ```
 */
export async function cacheKey(inputs: CacheKeyInputs): Promise<string> {
  return (await keyOf(inputs)).key;
}

async function keyOf(inputs: CacheKeyInputs) {
  const { name, kind, config, recipe = null, perMode = true } = inputs ?? {} as CacheKeyInputs;
  checkName(name);
  if (typeof kind !== "string" || kind === "") {
    throw new TypeError(
      `Cannot use the cache for "${name}" as kind must be a non-empty string: current value is ${kind}`,
    );
  }
  const parts = {
    kind,
    config: JSON.parse(canonicalJson(config ?? null)),
    recipe: JSON.parse(canonicalJson(recipe)),
    mode: perMode ? mode() : null,
    lib: LIB_VERSION,
  };
  const key = (await hashJson({ name, ...parts })).slice(0, KEY_LENGTH);
  return { key, ...parts };
}

/** The entry folder's name for a name and mode. */
function folderOf(name: string, m: "quick" | "full" | null): string {
  return `${name}@${m ?? "any"}`;
}

/** Name and mode of an entry folder `<name>@<quick|full|any>`, or undefined for other folders. */
function parseFolder(folder: string): { name: string; mode: "quick" | "full" | null } | undefined {
  const match = /^([A-Za-z0-9][A-Za-z0-9_.-]{0,63})@(quick|full|any)$/.exec(folder);
  if (!match) return undefined;
  return { name: match[1], mode: match[2] === "any" ? null : match[2] as "quick" | "full" };
}

/** The name of a folder of the cache before safetensors (`<name>-<16 hex digits>`), or undefined. */
function legacyName(folder: string): string | undefined {
  return new RegExp(`^([A-Za-z0-9][A-Za-z0-9_.-]*)-[0-9a-f]{${KEY_LENGTH}}$`).exec(folder)?.[1];
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What differs between the recorded inputs and the wanted ones, in words. */
function staleReason(record: CacheRecord, want: Omit<CacheRecord, "name" | "notebook" | "created" | "trainSeconds">) {
  const reasons: string[] = [];
  if (record.lib !== want.lib) reasons.push(`lib version ${record.lib} → ${want.lib}`);
  if (record.kind !== want.kind) reasons.push(`kind ${record.kind} → ${want.kind}`);
  for (const field of ["config", "recipe"] as const) {
    const [was, now] = [record[field] ?? {}, want[field] ?? {}] as Record<string, unknown>[];
    if (canonicalJson(was) === canonicalJson(now)) continue;
    const isObj = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
    if (!isObj(was) || !isObj(now)) {
      reasons.push(`${field} ${JSON.stringify(was)} → ${JSON.stringify(now)}`);
      continue;
    }
    const keys = [...new Set([...Object.keys(was), ...Object.keys(now)])].sort()
      .filter((k) => canonicalJson(was[k] ?? null) !== canonicalJson(now[k] ?? null));
    reasons.push(
      ...keys.map((k) => `${field}.${k} ${JSON.stringify(was[k] ?? null)} → ${JSON.stringify(now[k] ?? null)}`),
    );
  }
  return reasons.length > 0 ? reasons.join(", ") : "its key differs";
}

/** Saves of one entry made by this process run one after another. */
const saving = new Map<string, Promise<unknown>>();

function queued<R>(dir: string, fn: () => Promise<R>): Promise<R> {
  const before = saving.get(dir) ?? Promise.resolve();
  const run = before.catch(() => {}).then(fn);
  saving.set(dir, run);
  return run.finally(() => {
    if (saving.get(dir) === run) saving.delete(dir);
  });
}

async function recordOf(dir: string): Promise<{ meta: CheckpointMeta; record: CacheRecord | null }> {
  const meta = await readCheckpointMeta(dir);
  const record = (meta.info as { cache?: CacheRecord } | null)?.cache ?? null;
  return { meta, record };
}

/**
 * Loads a value from the cache, or trains, saves and returns it when there is no usable entry. A stale entry (its
 * kind, config, recipe, mode or lib version differ) and a damaged one are reported, trained again and replaced.
 *
 * @param options Name, kind, config, recipe, and the `train`, `save` and `load` callbacks (an adapter such as
 *   lib/gpt's `GPT_CACHE` or lib/checkpoint's `LAYERS_MODEL_CACHE` provides kind, save and load).
 * @returns The loaded or freshly trained value.
 * @throws {TypeError} For a bad name or kind, a non-JSON config or recipe, or missing callbacks; whatever `train`
 *   throws; an {@link Error} when the entry cannot be written.
 * @example
 * ```ts
 * import { cached } from "@lib/checkpoint/model_cache.ts";
 * import assert from "node:assert/strict";
 * let trainings = 0;
 * const options = {
 *   root: await Deno.makeTempDir(), // leave out to use cacheDir()
 *   name: "squares",
 *   kind: "numbers",
 *   config: { n: 5 },
 *   train: () => (trainings++, [0, 1, 4, 9, 16]),
 *   save: (v: number[]) => ({ config: { n: 5 }, weights: {}, extra: v }),
 *   load: (ckpt: { extra?: unknown }) => ckpt.extra as number[],
 *   quiet: true,
 * };
 * assert.deepEqual(await cached(options), [0, 1, 4, 9, 16]);
 * assert.deepEqual(await cached(options), [0, 1, 4, 9, 16]);
 * assert.equal(trainings, 1);
 * ```
 */
export async function cached<T>(options: CachedOptions<T>): Promise<T> {
  const { name, train, save, load, quiet = false, root = cacheDir(), steps } = options ?? {};
  for (const [field, fn] of [["train", train], ["save", save], ["load", load]] as const) {
    if (typeof fn !== "function") {
      throw new TypeError(`Cannot use the cache for "${name}" as ${field} must be a function: current value is ${fn}`);
    }
  }
  if (steps !== undefined && !(Number.isInteger(steps) && steps > 0)) {
    throw new RangeError(
      `Cannot use the cache for "${name}" as steps must be a positive integer: current value is ${steps}`,
    );
  }
  const want = await keyOf(options);
  const dir = join(root, folderOf(name, want.mode));
  const say = (line: string) => quiet ? undefined : console.log(line);
  const hit = await tryLoad(dir, want, options);
  if (hit.value !== undefined) {
    say(`Loaded ${name} from the cache (${describe(hit.record!)}; ${dir}).`);
    return hit.value.it;
  }
  if (hit.why) console.warn(`Cache entry ${dir} ${hit.why}: training it again.`);
  else say(`Training ${name} (not in the cache yet; it is saved to ${dir}).`);
  const start = performance.now();
  const bar = steps !== undefined && !quiet ? progress(steps, { label: `train ${name}` }) : undefined;
  const value = await train(bar);
  if (bar) {
    if (bar.step < steps!) bar.advance(steps! - bar.step);
    await bar.done();
  }
  const trainSeconds = (performance.now() - start) / 1000;
  const record: CacheRecord = {
    name,
    notebook: options.notebook ?? notebookName(),
    key: want.key,
    kind: want.kind,
    config: want.config,
    recipe: want.recipe,
    mode: want.mode,
    lib: want.lib,
    created: new Date().toISOString(),
    trainSeconds: Math.round(trainSeconds * 1000) / 1000,
  };
  await store(value, dir, record, save);
  say(`Saved ${name} to the cache after ${trainSeconds.toFixed(1)} s of training.`);
  return value;
}

/** The notebook running this code, when the environment says. */
function notebookName(): string {
  const given = Deno.env.get("LIANDAN_NOTEBOOK") ?? Deno.env.get("JPY_SESSION_NAME") ?? "";
  return given.split(/[\\/]/).pop()!.replace(/\.ipynb$/, "");
}

function describe(r: CacheRecord): string {
  const by = r.notebook ? ` by ${r.notebook}` : "";
  return `trained ${age(r.created)} ago${by} in ${r.mode ?? "any"} mode in ${r.trainSeconds.toFixed(1)} s`;
}

/**
 * A short age: `12s`, `5m`, `3h`, `2d`.
 *
 * @param iso An ISO date.
 * @param now The time to measure from (default now), in ms since 1970.
 * @returns The time since `iso`, rounded down to its largest unit.
 * @example
 * ```ts
 * import { age } from "@lib/checkpoint/model_cache.ts";
 * import assert from "node:assert/strict";
 * assert.equal(age("2026-01-01T00:00:00Z", Date.parse("2026-01-03T05:00:00Z")), "2d");
 * ```
 */
export function age(iso: string, now: number = Date.now()): string {
  const s = Math.max(0, (now - Date.parse(iso)) / 1000);
  if (!Number.isFinite(s)) return "?";
  if (s < 60) return `${Math.floor(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

/** Loads an entry whose key matches; otherwise says why it cannot be used (undefined `why`: there is none). */
async function tryLoad<T>(
  dir: string,
  want: Awaited<ReturnType<typeof keyOf>>,
  options: CachedOptions<T>,
): Promise<{ value?: { it: T }; record?: CacheRecord; why?: string }> {
  if (!(await exists(dir))) return {};
  let why: string;
  try {
    const { record } = await recordOf(dir);
    if (record === null) {
      why = "is not a cache entry (its config.json has no cache record)";
    } else if (record.key !== want.key) {
      why = `is stale (${staleReason(record, want)})`;
    } else {
      const ckpt = await loadCheckpoint(dir, { kind: want.kind });
      try {
        return { value: { it: await options.load(ckpt) }, record };
      } finally {
        ckpt.dispose();
      }
    }
  } catch (err) {
    why = `could not be loaded (${message(err)})`;
  }
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  return { why };
}

/** Saves the value as a checkpoint whose config.json records the cache key. */
async function store<T>(value: T, dir: string, record: CacheRecord, save: CachedOptions<T>["save"]): Promise<void> {
  await queued(dir, async () => {
    try {
      const data = await save(value);
      await saveCheckpoint(dir, { ...data, kind: record.kind, info: { cache: record } });
    } catch (err) {
      // Another process may have saved the same entry at the same moment: its copy is as good as ours.
      const saved = await recordOf(dir).catch(() => null);
      if (saved?.record?.key === record.key) return;
      throw new Error(`Cannot save cache entry ${dir}: ${message(err)}`, { cause: err });
    }
  });
}

/**
 * Lists the entries of the cache, each with its record and whether it is stale (written by another lib version,
 * in an older format, or unreadable). Temporary folders of saves in progress are skipped.
 *
 * @param name Only entries with this name (default: all).
 * @param root The cache folder (default {@link cacheDir}()).
 * @returns The entries, sorted by name then mode.
 * @throws {TypeError} For a bad name.
 * @example
 * ```ts
 * import { listCache } from "@lib/checkpoint/model_cache.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(await listCache(undefined, await Deno.makeTempDir()), []);
 * assert.ok(Array.isArray(await listCache()));
 * ```
 */
export async function listCache(name?: string, root: string = cacheDir()): Promise<CacheEntry[]> {
  if (name !== undefined) checkName(name);
  if (!(await exists(root))) return [];
  const found: CacheEntry[] = [];
  for await (const item of Deno.readDir(root)) {
    if (!item.isDirectory) continue;
    const dir = join(root, item.name);
    const parsed = parseFolder(item.name);
    const legacy = parsed ? undefined : legacyName(item.name);
    const entryName = parsed?.name ?? legacy;
    if (entryName === undefined || (name !== undefined && entryName !== name)) continue;
    const bytes = await folderBytes(dir);
    if (legacy !== undefined) {
      const stale = "an old cache format (before safetensors)";
      found.push({ name: legacy, dir, mode: null, bytes, record: null, stale });
      continue;
    }
    let record: CacheRecord | null = null, stale: string | null = null;
    try {
      record = (await recordOf(dir)).record;
      if (record === null) stale = "not a cache entry (no cache record)";
      else if (record.lib !== LIB_VERSION) stale = `lib version ${record.lib}, now ${LIB_VERSION}`;
    } catch (err) {
      stale = message(err).replace(/^Cannot load checkpoint from "[^"]*" as /, "");
    }
    found.push({ name: parsed!.name, dir, mode: parsed!.mode, bytes, record, stale });
  }
  return found.sort((a, b) => a.name.localeCompare(b.name) || (a.mode ?? "").localeCompare(b.mode ?? ""));
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for await (const item of Deno.readDir(dir)) {
    const path = join(dir, item.name);
    total += item.isDirectory ? await folderBytes(path) : (await Deno.lstat(path)).size;
  }
  return total;
}

/**
 * Deletes cache entries: all of them (with leftovers of interrupted saves and folders of the cache's old format),
 * or those with one name in every mode. Other folders in the cache folder are left alone.
 *
 * @param name Only entries with this name (default: everything).
 * @param root The cache folder (default {@link cacheDir}()).
 * @returns How many folders were deleted.
 * @throws {TypeError} For a bad name.
 * @example
 * ```ts
 * import { cached, clearCache, listCache } from "@lib/checkpoint/model_cache.ts";
 * import assert from "node:assert/strict";
 * const root = await Deno.makeTempDir();
 * const io = { kind: "one", train: () => 1, save: () => ({ config: {}, weights: {} }), load: () => 1, quiet: true };
 * await cached({ name: "a", config: {}, root, ...io });
 * await cached({ name: "b", config: {}, root, ...io });
 * assert.equal(await clearCache("a", root), 1);
 * assert.deepEqual((await listCache(undefined, root)).map((e) => e.name), ["b"]);
 * assert.equal(await clearCache(undefined, root), 1);
 * ```
 */
export async function clearCache(name?: string, root: string = cacheDir()): Promise<number> {
  if (name !== undefined) checkName(name);
  if (!(await exists(root))) return 0;
  let removed = 0;
  for await (const item of Deno.readDir(root)) {
    if (!item.isDirectory) continue;
    // <name>@<mode>, its save leftovers <name>@<mode>.tmp-… and <name>@<mode>.old, and old-format <name>-<key>
    const base = item.name.replace(/\.(tmp-.*|old)$/, "");
    const owner = parseFolder(base)?.name ?? (base === item.name ? legacyName(item.name) : undefined);
    if (owner === undefined || (name !== undefined && owner !== name)) continue;
    await Deno.remove(join(root, item.name), { recursive: true });
    removed++;
  }
  return removed;
}
