/**
 * Model cache: a trained model (or any expensive result) is saved once and loaded by every later notebook.
 *
 * An entry is a folder `<cacheDir>/<name>-<key>/` where `key` hashes the config, quick/full mode and
 * {@link LIB_VERSION}. The folder is written under a temporary name and renamed into place only after
 * `meta.json` (written last) is complete, so a crashed or half-written save is never loaded, and two processes
 * training the same entry at once both finish: the first rename wins, the other keeps its value and drops its copy.
 *
 * @module
 */
import { exists } from "../checkpoint/fs.ts";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { tf } from "./backend.ts";
import { mode } from "./mode.ts";
import { LIB_VERSION } from "./version.ts";

/** The file that marks a complete entry; written last, it holds the entry's {@link CacheMeta}. */
export const META_FILE = "meta.json";

/** Prefix of the folders that saves are written into before the rename; never loaded. */
const TMP_PREFIX = ".tmp-";

/** Characters of the hex SHA-256 kept in a key (64 bits: ample for a cache). */
const KEY_LENGTH = 16;

/** What `meta.json` records about an entry. */
export interface CacheMeta {
  /** The entry's name, e.g. `"gpt-baby"`. */
  name: string;
  /** The hash in the folder name. */
  key: string;
  /** The config that was hashed (as canonical JSON would write it). */
  config: unknown;
  /** "quick" or "full", or null for entries that do not depend on the mode. */
  mode: "quick" | "full" | null;
  /** {@link LIB_VERSION} when the entry was written. */
  libVersion: string;
  /** ISO date of the save. */
  created: string;
  /** Seconds spent in `train()`. */
  trainSeconds: number;
}

/** One complete entry, as {@link listCache} reports it. */
export interface CacheEntry extends CacheMeta {
  /** The entry's folder. */
  dir: string;
  /** Total size of its files in bytes. */
  bytes: number;
}

/** What {@link cached} needs to load or build a value. */
export interface CachedOptions<T> {
  /** Entry name: letters, digits, `_`, `.` and `-`, starting with a letter or digit (e.g. `"cnn-mnist"`). */
  name: string;
  /** Everything the value depends on (hyperparameters, seed, data options); plain JSON values only. */
  config: unknown;
  /** Builds the value when the cache has no usable entry (the caller shows its own progress). */
  train: () => T | Promise<T>;
  /** Writes the value's files into `dir` (an empty folder). */
  save: (value: T, dir: string) => void | Promise<void>;
  /** Reads the value back from an entry's folder; throwing means "corrupt": the entry is deleted and retrained. */
  load: (dir: string) => T | Promise<T>;
  /** Whether the key includes quick/full mode (default true); false for results that do not depend on it. */
  perMode?: boolean;
  /** Print nothing (default false: one line saying whether the value was loaded or trained). */
  quiet?: boolean;
  /** The cache folder (default {@link cacheDir}()). */
  root?: string;
}

/** The repository root: two folders above this file (lib/core/cache.ts), when it is a local file. */
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
 * import { cacheDir } from "@lib/core/cache.ts";
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

/**
 * JSON with object keys sorted at every level, so equal configs give equal strings whatever their key order.
 *
 * Object properties that are `undefined` are left out (as `JSON.stringify` does).
 *
 * @param value A plain JSON value: null, boolean, finite number, string, array or plain object.
 * @returns The canonical JSON text.
 * @throws {TypeError} When the value holds something JSON cannot represent faithfully (a function, a symbol, a
 *   bigint, NaN or ±Infinity, `undefined` in an array, or an object that is not plain, such as a Map or a tensor).
 * @example
 * ```ts
 * import { canonicalJson } from "@lib/core/cache.ts";
 * import assert from "node:assert/strict";
 * assert.equal(canonicalJson({ b: 1, a: [true, null, { d: "x", c: 2 }] }), '{"a":[true,null,{"c":2,"d":"x"}],"b":1}');
 * ```
 */
export function canonicalJson(value: unknown): string {
  return write(value, "config");
}

function write(value: unknown, path: string): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (Number.isFinite(value)) return JSON.stringify(value);
    throw new TypeError(`Cannot hash ${path} as numbers must be finite: current value is ${value}`);
  }
  if (Array.isArray(value)) return `[${value.map((v, i) => write(v, `${path}[${i}]`)).join(",")}]`;
  if (typeof value === "object" && isPlainObject(value)) {
    const keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
    const parts = keys.map((k) =>
      `${JSON.stringify(k)}:${write((value as Record<string, unknown>)[k], `${path}.${k}`)}`
    );
    return `{${parts.join(",")}}`;
  }
  const what = typeof value === "object" ? `a ${value.constructor?.name ?? "non-plain"} object` : `a ${typeof value}`;
  throw new TypeError(
    `Cannot hash ${path} as it must hold plain JSON values (null, boolean, finite number, string, array, ` +
      `plain object): current value is ${what}`,
  );
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * SHA-256 of a value's {@link canonicalJson}, as 64 hex digits.
 *
 * @param value A plain JSON value.
 * @returns The hex digest.
 * @throws {TypeError} As {@link canonicalJson}.
 * @example
 * ```ts
 * import { hashJson } from "@lib/core/cache.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await hashJson({ a: 1, b: 2 }), await hashJson({ b: 2, a: 1 }));
 * assert.equal((await hashJson([])).length, 64);
 * ```
 */
export async function hashJson(value: unknown): Promise<string> {
  return await sha256Hex(new TextEncoder().encode(canonicalJson(value)));
}

/**
 * SHA-256 of bytes, as 64 hex digits (cache keys, checkpoint checksums).
 *
 * @param bytes The data.
 * @returns The hex digest.
 * @example
 * ```ts
 * import { sha256Hex } from "@lib/core/cache.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   await sha256Hex(new TextEncoder().encode("abc")),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
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

/**
 * The key of a cache entry: a hash of the name, the config, quick/full mode and {@link LIB_VERSION}.
 *
 * @param name The entry's name (letters, digits, `_`, `.`, `-`).
 * @param config Everything the cached value depends on, as plain JSON values.
 * @param perMode Whether quick/full mode is part of the key (default true).
 * @returns 16 hex digits.
 * @throws {TypeError} For a bad name or a config that is not plain JSON.
 * @example
 * ```ts
 * import { cacheKey, setQuick } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const a = await cacheKey("demo", { lr: 0.1, steps: 10 });
 * assert.equal(a, await cacheKey("demo", { steps: 10, lr: 0.1 }));
 * assert.notEqual(a, await cacheKey("demo", { lr: 0.2, steps: 10 }));
 * setQuick(true);
 * assert.notEqual(a, await cacheKey("demo", { lr: 0.1, steps: 10 }));
 * setQuick(null);
 * ```
 */
export async function cacheKey(name: string, config: unknown, perMode = true): Promise<string> {
  checkName(name);
  const hash = await hashJson({ name, config, mode: perMode ? mode() : null, lib: LIB_VERSION });
  return hash.slice(0, KEY_LENGTH);
}

async function removeIfPresent(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Loads a complete entry, or returns `undefined` (deleting the folder) when it is incomplete or corrupt. */
async function tryLoad<T>(dir: string, load: (dir: string) => T | Promise<T>): Promise<{ value: T } | undefined> {
  if (!(await exists(dir))) return undefined;
  if (!(await exists(join(dir, META_FILE)))) {
    console.warn(`Cache entry ${dir} is incomplete (no ${META_FILE}): deleting it and training again.`);
  } else {
    try {
      return { value: await load(dir) };
    } catch (err) {
      console.warn(`Cache entry ${dir} could not be loaded (${message(err)}): deleting it and training again.`);
    }
  }
  await removeIfPresent(dir);
  return undefined;
}

/** Saves a value into a fresh temporary folder, writes meta.json last, and renames the folder into place. */
async function store<T>(value: T, dir: string, meta: CacheMeta, save: CachedOptions<T>["save"]): Promise<void> {
  const tmp = join(dirname(dir), `${TMP_PREFIX}${meta.name}-${meta.key}-${Deno.pid}-${crypto.randomUUID()}`);
  await Deno.mkdir(tmp, { recursive: true });
  try {
    await save(value, tmp);
    await Deno.writeTextFile(join(tmp, META_FILE), JSON.stringify(meta, null, 2) + "\n");
    await Deno.rename(tmp, dir);
  } catch (err) {
    await removeIfPresent(tmp);
    // Another process finished the same entry first: keep its copy, our value is just as good.
    if (await exists(join(dir, META_FILE))) return;
    throw new Error(`Cannot save cache entry ${dir}: ${message(err)}`, { cause: err });
  }
}

/**
 * Loads a value from the cache, or trains, saves and returns it when there is no usable entry.
 *
 * An entry that fails to load (its `load` throws) is reported, deleted and retrained, so a corrupt cache never
 * stops a notebook.
 *
 * @param options Name, config, and the `train`, `save` and `load` callbacks.
 * @returns The loaded or freshly trained value.
 * @throws {TypeError} For a bad name, a non-JSON config or missing callbacks; whatever `train` throws; an
 *   {@link Error} when the entry cannot be written.
 * @example
 * ```ts
 * import { cached } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * let trainings = 0;
 * const options = {
 *   root: await Deno.makeTempDir(), // leave out to use cacheDir()
 *   name: "squares",
 *   config: { n: 5 },
 *   train: () => (trainings++, [0, 1, 4, 9, 16]),
 *   save: (v: number[], dir: string) => Deno.writeTextFile(`${dir}/v.json`, JSON.stringify(v)),
 *   load: async (dir: string) => JSON.parse(await Deno.readTextFile(`${dir}/v.json`)) as number[],
 *   quiet: true,
 * };
 * assert.deepEqual(await cached(options), [0, 1, 4, 9, 16]);
 * assert.deepEqual(await cached(options), [0, 1, 4, 9, 16]);
 * assert.equal(trainings, 1);
 * ```
 */
export async function cached<T>(options: CachedOptions<T>): Promise<T> {
  const { name, config, train, save, load, perMode = true, quiet = false, root = cacheDir() } = options;
  for (const [field, fn] of [["train", train], ["save", save], ["load", load]] as const) {
    if (typeof fn !== "function") {
      throw new TypeError(`Cannot use the cache for "${name}" as ${field} must be a function: current value is ${fn}`);
    }
  }
  const key = await cacheKey(name, config, perMode);
  const dir = join(root, `${name}-${key}`);
  const hit = await tryLoad(dir, load);
  if (hit) {
    if (!quiet) console.log(`Loaded ${name} from the cache (${dir}).`);
    return hit.value;
  }
  const start = performance.now();
  const value = await train();
  const trainSeconds = (performance.now() - start) / 1000;
  const meta: CacheMeta = {
    name,
    key,
    config: JSON.parse(canonicalJson(config)),
    mode: perMode ? mode() : null,
    libVersion: LIB_VERSION,
    created: new Date().toISOString(),
    trainSeconds: Math.round(trainSeconds * 1000) / 1000,
  };
  await store(value, dir, meta, save);
  if (!quiet) console.log(`Saved ${name} to the cache (${dir}) after ${trainSeconds.toFixed(1)} s of training.`);
  return value;
}

/**
 * Lists the complete entries in the cache (temporary and incomplete folders are skipped).
 *
 * @param name Only entries with this name (default: all).
 * @param root The cache folder (default {@link cacheDir}()).
 * @returns The entries, sorted by name then creation date.
 * @example
 * ```ts
 * import { listCache } from "@lib/core/cache.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(await listCache(undefined, await Deno.makeTempDir()), []);
 * assert.ok(Array.isArray(await listCache()));
 * ```
 */
export async function listCache(name?: string, root: string = cacheDir()): Promise<CacheEntry[]> {
  if (name !== undefined) checkName(name);
  if (!(await exists(root))) return [];
  const entries: CacheEntry[] = [];
  for await (const item of Deno.readDir(root)) {
    if (!item.isDirectory || item.name.startsWith(TMP_PREFIX)) continue;
    const dir = join(root, item.name);
    let meta: CacheMeta;
    try {
      meta = JSON.parse(await Deno.readTextFile(join(dir, META_FILE)));
    } catch {
      continue;
    }
    if (name !== undefined && meta.name !== name) continue;
    entries.push({ ...meta, dir, bytes: await folderBytes(dir) });
  }
  return entries.sort((a, b) => a.name.localeCompare(b.name) || a.created.localeCompare(b.created));
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for await (const item of Deno.readDir(dir)) {
    const path = join(dir, item.name);
    total += item.isDirectory ? await folderBytes(path) : (await Deno.stat(path)).size;
  }
  return total;
}

/**
 * Deletes cache entries: all of them (and any leftover temporary folders), or those with one name. Folders that
 * are not cache entries (not named `<name>-<16 hex digits>`) are left alone.
 *
 * @param name Only entries with this name, in every config and mode (default: everything).
 * @param root The cache folder (default {@link cacheDir}()).
 * @returns How many folders were deleted.
 * @throws {TypeError} For a bad name.
 * @example
 * ```ts
 * import { cached, clearCache, listCache } from "@lib/core/cache.ts";
 * import assert from "node:assert/strict";
 * const root = await Deno.makeTempDir();
 * const io = { train: () => 1, save: () => {}, load: () => 1, quiet: true, root };
 * await cached({ name: "a", config: {}, ...io });
 * await cached({ name: "b", config: {}, ...io });
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
    const isTmp = item.name.startsWith(TMP_PREFIX);
    const entry = isTmp ? undefined : entryName(item.name);
    const matches = isTmp ? name === undefined : entry !== undefined && (name === undefined || entry === name);
    if (!matches) continue;
    await removeIfPresent(join(root, item.name));
    removed++;
  }
  return removed;
}

/** The name part of an entry folder `<name>-<16 hex digits>`, or undefined for other folders. */
function entryName(folder: string): string | undefined {
  const match = new RegExp(`^(.+)-[0-9a-f]{${KEY_LENGTH}}$`).exec(folder);
  return match?.[1];
}

/**
 * Saves named tensors into a folder in TensorFlow.js's weights format (`<file>.json` manifest plus `<file>.bin`):
 * the usual body of a {@link cached} `save` callback for a model.
 *
 * @param dir The folder (it must exist, e.g. the folder `save` receives).
 * @param tensors Name to tensor, e.g. a model's parameters; the tensors are read, not disposed.
 * @param file Base name of the two files (default `"weights"`).
 * @throws {TypeError} When a value is not a live tensor of dtype float32, int32 or bool.
 * @example
 * ```ts
 * import { loadTensors, saveTensors, tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await saveTensors(dir, { w: tf.tensor2d([[1, 2], [3, 4]]), step: tf.scalar(7, "int32") });
 * const back = await loadTensors(dir);
 * assert.deepEqual(back.w.arraySync(), [[1, 2], [3, 4]]);
 * assert.equal(back.step.dtype, "int32");
 * ```
 */
export async function saveTensors(dir: string, tensors: Record<string, tf.Tensor>, file = "weights"): Promise<void> {
  for (const [name, t] of Object.entries(tensors)) {
    if (!(t instanceof tf.Tensor)) {
      throw new TypeError(`Cannot save tensor "${name}" as it must be a tf.Tensor: current value is ${t}`);
    }
    if (t.isDisposed) throw new TypeError(`Cannot save tensor "${name}" as it has been disposed`);
    if (!["float32", "int32", "bool"].includes(t.dtype)) {
      throw new TypeError(`Cannot save tensor "${name}" of dtype ${t.dtype}: expected float32, int32 or bool`);
    }
  }
  const { data, specs } = await tf.io.encodeWeights(tensors);
  await Deno.writeFile(join(dir, `${file}.bin`), new Uint8Array(data));
  await Deno.writeTextFile(join(dir, `${file}.json`), JSON.stringify(specs));
}

/**
 * Loads tensors saved by {@link saveTensors}: the usual body of a {@link cached} `load` callback.
 *
 * @param dir The folder.
 * @param file Base name of the two files (default `"weights"`).
 * @returns Name to tensor (new tensors: the caller owns and disposes them).
 * @throws {Error} When a file is missing or the data does not match the manifest (so {@link cached} retrains).
 */
export async function loadTensors(dir: string, file = "weights"): Promise<Record<string, tf.Tensor>> {
  const specs = JSON.parse(await Deno.readTextFile(join(dir, `${file}.json`))) as tf.io.WeightsManifestEntry[];
  const bytes = await Deno.readFile(join(dir, `${file}.bin`));
  const expected = specs.reduce((sum, s) => sum + s.shape.reduce((a, b) => a * b, 1) * bytesPerElement(s.dtype), 0);
  if (bytes.byteLength !== expected) {
    throw new Error(`${file}.bin holds ${bytes.byteLength} bytes but ${file}.json describes ${expected}`);
  }
  return tf.io.decodeWeights(bytes.slice().buffer, specs);
}

function bytesPerElement(dtype: string): number {
  if (dtype === "float32" || dtype === "int32") return 4;
  if (dtype === "bool") return 1;
  throw new Error(`Cannot load tensors of dtype ${dtype}: expected float32, int32 or bool`);
}
