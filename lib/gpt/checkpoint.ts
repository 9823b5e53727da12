/**
 * Checkpoints for any model of the course: a directory with `meta.json` (format, version, config, tokenizer, step,
 * an index of the tensors and a SHA-256 of their bytes) and one `tensors.bin` holding every tensor's raw bytes.
 *
 * A save writes a complete new directory beside the old one and then swaps them with renames, so an interrupted
 * save never leaves half a checkpoint: the previous one still loads. A load checks everything it reads and names what
 * does not match.
 *
 * @module
 */
import { exists } from "../checkpoint/fs.ts";
import { LIB_VERSION, sha256Hex, tf } from "../core/mod.ts";
import { type Tokenizer, tokenizerFromJSON, type TokenizerJSONHeader } from "../text/mod.ts";

/** The `format` field of every checkpoint's `meta.json`. */
export const CHECKPOINT_FORMAT = "liandan-checkpoint";

/** The checkpoint format version this library writes and reads. */
export const CHECKPOINT_VERSION = 1;

/** The two files of a checkpoint directory. */
export const CHECKPOINT_FILES: Readonly<{ meta: string; tensors: string }> = Object.freeze({
  meta: "meta.json",
  tensors: "tensors.bin",
});

/** Raised when a checkpoint on disk is missing, damaged, of another version or does not fit what was expected. */
export class CheckpointError extends Error {
  /** Always `"CheckpointError"`. */
  override name = "CheckpointError";
}

/** Typed arrays a checkpoint can hold inside `optimizer` and `extra` (they come back as the same type). */
export type StoredArray = Float32Array | Int32Array | Uint8Array;

/** Named tensors: a `Map` (as `GPT.params`) or a plain record. */
export type TensorMap<T extends tf.Tensor = tf.Tensor> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

/** What {@link saveCheckpoint} stores. */
export interface CheckpointData<C = unknown> {
  /** The model's config (JSON-ready), checked against `expectConfig` on load. */
  config: C;
  /** Training steps done (an integer ≥ 0). */
  step: number;
  /** The model's weights by name. */
  weights: TensorMap;
  /** The tokenizer (or its `toJSON()`); it comes back as a {@link Tokenizer}. */
  tokenizer?: Tokenizer | TokenizerJSONHeader;
  /**
   * The optimizer's state: any JSON-ready value in which tensors and typed arrays (Float32Array, Int32Array,
   * Uint8Array) may appear at any depth, as in `AdamW.getState()`; they are stored in `tensors.bin`.
   */
  optimizer?: unknown;
  /** Anything else to keep (loss history, training options), stored like `optimizer`. */
  extra?: unknown;
}

/** One tensor or array in `tensors.bin`. */
export interface TensorEntry {
  /** `weights/<name>` for a weight; `optimizer.<path>` or `extra.<path>` for a value inside those. */
  name: string;
  /** Its shape (`[length]` for a typed array). */
  shape: number[];
  /** The tfjs dtype of the bytes. */
  dtype: "float32" | "int32" | "bool";
  /** Whether it comes back as a tf.Tensor or as a typed array. */
  kind: "tensor" | "array";
  /** Where its bytes start in `tensors.bin` (a multiple of 8). */
  offset: number;
  /** How many bytes it has. */
  byteLength: number;
}

/** The contents of `meta.json`. */
export interface CheckpointMeta {
  /** Always {@link CHECKPOINT_FORMAT}. */
  format: typeof CHECKPOINT_FORMAT;
  /** {@link CHECKPOINT_VERSION} when written. */
  version: number;
  /** ISO time of the save. */
  createdAt: string;
  /** The course library's version that wrote it. */
  lib: string;
  /** Training steps done. */
  step: number;
  /** The model's config. */
  config: unknown;
  /** The tokenizer's JSON, or `null`. */
  tokenizer: unknown;
  /** `optimizer` with each array replaced by `{"$tensor": index}`; `null` when none was saved. */
  optimizer: unknown;
  /** `extra`, encoded the same way. */
  extra: unknown;
  /** Every stored tensor and array, in file order. */
  tensors: TensorEntry[];
  /** `tensors.bin`'s size and SHA-256 (hex), and the byte order of its numbers. */
  bin: { byteLength: number; sha256: string; endian: "little" };
}

/** A checkpoint read back by {@link loadCheckpoint}. The caller owns the tensors: call `dispose()` when done. */
export interface LoadedCheckpoint<C = unknown> {
  /** The model's config as saved. */
  config: C;
  /** Training steps done. */
  step: number;
  /** The weights by name (without the `weights/` prefix). */
  weights: Record<string, tf.Tensor>;
  /** The tokenizer, when one was saved. */
  tokenizer?: Tokenizer;
  /** The optimizer's state, with its tensors and typed arrays back in place. */
  optimizer?: unknown;
  /** The extra data, likewise. */
  extra?: unknown;
  /** The parsed `meta.json`. */
  meta: CheckpointMeta;
  /** The directory actually read (the `.old` copy when a save was interrupted in the middle of the swap). */
  dir: string;
  /** Disposes every tensor of the checkpoint. */
  dispose(): void;
}

/** Stages of a save, reported to {@link SaveCheckpointOptions.onStage} (for tests that simulate a crash). */
export type SaveStage = "tensors-written" | "meta-written" | "old-moved-aside" | "committed";

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  /** Called after each stage of the save; throwing aborts the save there, as a crash would. */
  onStage?: (stage: SaveStage) => void | Promise<void>;
}

/** Options of {@link loadCheckpoint}. */
export interface LoadCheckpointOptions<C = unknown> {
  /** Config fields the checkpoint must have, compared as JSON; mismatches are listed in the error. */
  expectConfig?: Partial<C>;
  /** Further check of the config: throw to refuse the checkpoint. */
  validateConfig?: (config: C) => void;
}

const ALIGN = 8;
const BYTES = { float32: 4, int32: 4, bool: 1 } as const;
const ARRAY_DTYPES = new Map<string, TensorEntry["dtype"]>([
  ["Float32Array", "float32"],
  ["Int32Array", "int32"],
  ["Uint8Array", "bool"],
]);

/** A tensor or array to write, before its bytes are known. */
interface Pending {
  entry: Omit<TensorEntry, "offset" | "byteLength">;
  bytes: () => Promise<Uint8Array>;
}

function isTensor(x: unknown): x is tf.Tensor {
  return x instanceof tf.Tensor;
}

function entries<T extends tf.Tensor>(map: TensorMap<T>): Array<[string, T]> {
  return map instanceof Map ? [...map.entries()] : Object.entries(map as Record<string, T>);
}

function tensorBytes(t: tf.Tensor, name: string): Pending {
  if (!(t.dtype in BYTES)) {
    throw new TypeError(`Cannot save tensor "${name}" of dtype ${t.dtype}: checkpoints hold float32, int32 and bool`);
  }
  if (t.isDisposed) throw new TypeError(`Cannot save tensor "${name}" as it is disposed`);
  const entry = { name, shape: [...t.shape], dtype: t.dtype as TensorEntry["dtype"], kind: "tensor" as const };
  return { entry, bytes: async () => toBytes(await t.data() as StoredArray) };
}

function toBytes(a: StoredArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Replaces tensors and typed arrays inside `value` by `{"$tensor": i}` and queues their bytes. */
function encodeValue(value: unknown, path: string, pending: Pending[]): unknown {
  if (isTensor(value)) {
    pending.push(tensorBytes(value, path));
    return { $tensor: pending.length - 1 };
  }
  if (ArrayBuffer.isView(value)) {
    const dtype = ARRAY_DTYPES.get(value.constructor.name);
    if (dtype === undefined) {
      throw new TypeError(
        `Cannot save ${path} as a ${value.constructor.name}: use Float32Array, Int32Array or Uint8Array`,
      );
    }
    const array = value as StoredArray;
    pending.push({
      entry: { name: path, shape: [array.length], dtype, kind: "array" },
      bytes: () => Promise.resolve(toBytes(array)),
    });
    return { $tensor: pending.length - 1 };
  }
  if (Array.isArray(value)) return value.map((v, i) => encodeValue(v, `${path}.${i}`, pending));
  if (value instanceof Map) throw new TypeError(`Cannot save ${path} as a Map: use a plain object`);
  if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") {
    throw new TypeError(`Cannot save ${path} as it is a ${typeof value}, which JSON cannot hold`);
  }
  if (value !== null && typeof value === "object") {
    if ("toJSON" in value && typeof value.toJSON === "function") return value.toJSON();
    if ("$tensor" in value) throw new TypeError(`Cannot save ${path} as the key "$tensor" is reserved`);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v, `${path}.${k}`, pending)]));
  }
  return value;
}

function checkData(dir: string, data: CheckpointData): void {
  if (typeof dir !== "string" || dir.length === 0) {
    throw new TypeError(
      `Cannot save checkpoint as dir must be a non-empty path: current value is ${JSON.stringify(dir)}`,
    );
  }
  if (data === null || typeof data !== "object") throw new TypeError(`Cannot save checkpoint as data is ${data}`);
  if (!Number.isInteger(data.step) || data.step < 0) {
    throw new RangeError(`Cannot save checkpoint as step must be an integer ≥ 0: current value is ${data.step}`);
  }
  if (data.weights === null || typeof data.weights !== "object") {
    throw new TypeError(`Cannot save checkpoint as weights must be a Map or record of tensors: got ${data.weights}`);
  }
  for (const [name, t] of entries(data.weights)) {
    if (!isTensor(t)) throw new TypeError(`Cannot save weight "${name}" as it is not a tf.Tensor: got ${typeof t}`);
  }
}

/** Lays the queued tensors out in one buffer, each at a multiple of 8 bytes. */
async function pack(pending: Pending[]): Promise<{ bin: Uint8Array; tensors: TensorEntry[] }> {
  const parts = await Promise.all(pending.map((p) => p.bytes()));
  const tensors: TensorEntry[] = [];
  let size = 0;
  parts.forEach((bytes, i) => {
    tensors.push({ ...pending[i].entry, offset: size, byteLength: bytes.byteLength });
    size += Math.ceil(bytes.byteLength / ALIGN) * ALIGN;
  });
  const bin = new Uint8Array(size);
  parts.forEach((bytes, i) => bin.set(bytes, tensors[i].offset));
  return { bin, tensors };
}

/** Writes a file and flushes it to the disk before returning. */
async function writeSynced(path: string, data: Uint8Array): Promise<void> {
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  for (let done = 0; done < data.length;) done += await file.write(data.subarray(done));
  await file.syncData();
}

function join(dir: string, file: string): string {
  return `${dir.replace(/\/+$/, "")}/${file}`;
}

function parentAndBase(dir: string): [string, string] {
  const clean = dir.replace(/\/+$/, "");
  const i = clean.lastIndexOf("/");
  return i < 0 ? [".", clean] : [clean.slice(0, i) || "/", clean.slice(i + 1)];
}

/** Removes temporary directories that earlier, interrupted saves of `dir` left behind. */
async function removeStaleTemps(dir: string): Promise<void> {
  const [parent, base] = parentAndBase(dir);
  if (!(await exists(parent))) return;
  for await (const e of Deno.readDir(parent)) {
    if (e.name.startsWith(`${base}.tmp-`)) await Deno.remove(join(parent, e.name), { recursive: true });
  }
}

/** Builds `meta.json` and `tensors.bin` in memory. */
async function serialize(data: CheckpointData): Promise<{ meta: CheckpointMeta; bin: Uint8Array }> {
  const pending = entries(data.weights).map(([name, t]) => tensorBytes(t, `weights/${name}`));
  const optimizer = data.optimizer === undefined ? null : encodeValue(data.optimizer, "optimizer", pending);
  const extra = data.extra === undefined ? null : encodeValue(data.extra, "extra", pending);
  const tokenizer = data.tokenizer === undefined ? null : encodeValue(data.tokenizer, "tokenizer", []);
  const config = encodeValue(data.config, "config", []);
  const { bin, tensors } = await pack(pending);
  const meta: CheckpointMeta = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    createdAt: new Date().toISOString(),
    lib: LIB_VERSION,
    step: data.step,
    config,
    tokenizer,
    optimizer,
    extra,
    tensors,
    bin: { byteLength: bin.byteLength, sha256: await sha256Hex(bin), endian: "little" },
  };
  return { meta, bin };
}

/**
 * Saves a checkpoint into directory `dir` atomically: the files are written into `<dir>.tmp-…` and flushed, then the
 * old `dir` (if any) is renamed to `<dir>.old`, the new one renamed to `dir`, and `<dir>.old` removed. A crash at any
 * point leaves either the old or the new checkpoint loadable ({@link loadCheckpoint} falls back to `<dir>.old`).
 * Saving the same `dir` from two places at once is not supported.
 *
 * @param dir The checkpoint directory (its parent is created when missing).
 * @param data Config, step, weights, and optionally tokenizer, optimizer state and extra data.
 * @param options `onStage` to observe (or, in tests, interrupt) the save.
 * @returns The written `meta.json`.
 * @throws {TypeError} | {RangeError} For bad arguments (naming the value); file-system errors as they come.
 * @example
 * ```ts
 * import { loadCheckpoint, saveCheckpoint } from "@lib/gpt/checkpoint.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const w = tf.tensor2d([[1, 2], [3, 4]]);
 * await saveCheckpoint(`${dir}/ckpt`, { config: { nEmbd: 2 }, step: 10, weights: { w } });
 * const ckpt = await loadCheckpoint(`${dir}/ckpt`, { expectConfig: { nEmbd: 2 } });
 * assert.equal(ckpt.step, 10);
 * assert.deepEqual(ckpt.weights.w.arraySync(), [[1, 2], [3, 4]]);
 * ckpt.dispose();
 * w.dispose();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveCheckpoint(
  dir: string,
  data: CheckpointData,
  options: SaveCheckpointOptions = {},
): Promise<CheckpointMeta> {
  checkData(dir, data);
  const { meta, bin } = await serialize(data);
  const [parent] = parentAndBase(dir);
  await Deno.mkdir(parent, { recursive: true });
  await removeStaleTemps(dir);
  const target = dir.replace(/\/+$/, "");
  const tmp = `${target}.tmp-${Date.now()}-${crypto.randomUUID().slice(0, 8)}`;
  const old = `${target}.old`;
  const stage = async (s: SaveStage) => await options.onStage?.(s);
  try {
    await Deno.mkdir(tmp);
    await writeSynced(join(tmp, CHECKPOINT_FILES.tensors), bin);
    await stage("tensors-written");
    await writeSynced(join(tmp, CHECKPOINT_FILES.meta), new TextEncoder().encode(JSON.stringify(meta)));
    await stage("meta-written");
    if (await exists(target)) {
      if (await exists(old)) await Deno.remove(old, { recursive: true }); // a committed save's leftover
      await Deno.rename(target, old);
      await stage("old-moved-aside");
    }
    await Deno.rename(tmp, target);
    await stage("committed");
  } catch (e) {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
    if (!(await exists(target)) && (await exists(old))) await Deno.rename(old, target);
    throw e;
  }
  await Deno.remove(old, { recursive: true }).catch(() => {});
  return meta;
}

/** The directory to read: `dir`, or `<dir>.old` when a save stopped between its two renames. */
async function resolveDir(dir: string): Promise<string> {
  if (typeof dir !== "string" || dir.length === 0) {
    throw new TypeError(
      `Cannot load checkpoint as dir must be a non-empty path: current value is ${JSON.stringify(dir)}`,
    );
  }
  const target = dir.replace(/\/+$/, "");
  if (await exists(target)) return target;
  if (await exists(`${target}.old`)) return `${target}.old`;
  throw new CheckpointError(`Cannot load checkpoint from "${dir}" as the directory does not exist`);
}

/**
 * Reads and checks a checkpoint's `meta.json` without reading the tensors (to see its step or config).
 *
 * @param dir The checkpoint directory.
 * @returns The metadata.
 * @throws {CheckpointError} When the directory or `meta.json` is missing or unreadable, or of another format or
 *   version.
 */
export async function readCheckpointMeta(dir: string): Promise<CheckpointMeta> {
  const path = join(await resolveDir(dir), CHECKPOINT_FILES.meta);
  const text = await readRequired(dir, path, CHECKPOINT_FILES.meta, Deno.readTextFile);
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(text);
  } catch (e) {
    throw new CheckpointError(
      `Cannot load checkpoint from "${dir}" as ${CHECKPOINT_FILES.meta} is not valid JSON (${(e as Error).message})`,
    );
  }
  checkMeta(dir, meta);
  return meta;
}

function checkMeta(dir: string, meta: CheckpointMeta): void {
  const fail = (why: string) => new CheckpointError(`Cannot load checkpoint from "${dir}" as ${why}`);
  if (meta?.format !== CHECKPOINT_FORMAT) {
    throw fail(`${CHECKPOINT_FILES.meta} has format ${JSON.stringify(meta?.format)}, not "${CHECKPOINT_FORMAT}"`);
  }
  if (meta.version !== CHECKPOINT_VERSION) {
    throw fail(`its format version is ${meta.version} but this library reads version ${CHECKPOINT_VERSION}`);
  }
  if (
    !Array.isArray(meta.tensors) || typeof meta.bin?.byteLength !== "number" || typeof meta.bin?.sha256 !== "string"
  ) {
    throw fail(
      `${CHECKPOINT_FILES.meta} lacks its tensor index or the size and checksum of ${CHECKPOINT_FILES.tensors}`,
    );
  }
  for (const t of meta.tensors) {
    const count = Array.isArray(t.shape) ? t.shape.reduce((a, b) => a * b, 1) : NaN;
    if (!(t.dtype in BYTES) || count * BYTES[t.dtype] !== t.byteLength) {
      throw fail(`tensor "${t.name}" has ${t.byteLength} bytes, which do not fit shape [${t.shape}] of ${t.dtype}`);
    }
    if (!(t.offset >= 0 && t.offset + t.byteLength <= meta.bin.byteLength && t.offset % ALIGN === 0)) {
      throw fail(`tensor "${t.name}" lies outside ${CHECKPOINT_FILES.tensors} (offset ${t.offset})`);
    }
  }
}

/** Reads one file of a checkpoint; a missing file is a CheckpointError that names it. */
async function readRequired<T>(
  dir: string,
  path: string,
  file: string,
  read: (path: string) => Promise<T>,
): Promise<T> {
  try {
    return await read(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new CheckpointError(`Cannot load checkpoint from "${dir}" as ${file} is missing`);
    }
    throw e;
  }
}

/** Reads `tensors.bin` and checks its size and SHA-256 against `meta.json`. */
async function readBin(dir: string, path: string, meta: CheckpointMeta): Promise<Uint8Array> {
  const bin = await readRequired(dir, path, CHECKPOINT_FILES.tensors, Deno.readFile);
  if (bin.byteLength !== meta.bin.byteLength) {
    throw new CheckpointError(
      `Cannot load checkpoint from "${dir}" as ${CHECKPOINT_FILES.tensors} has ${bin.byteLength} bytes but ` +
        `${CHECKPOINT_FILES.meta} says ${meta.bin.byteLength} (the file is truncated or from another save)`,
    );
  }
  const digest = await sha256Hex(bin);
  if (digest !== meta.bin.sha256) {
    throw new CheckpointError(
      `Cannot load checkpoint from "${dir}" as the SHA-256 of ${CHECKPOINT_FILES.tensors} is ${digest.slice(0, 12)}… ` +
        `but ${CHECKPOINT_FILES.meta} says ${meta.bin.sha256.slice(0, 12)}… (the file is damaged)`,
    );
  }
  return bin;
}

/** A copy of an entry's bytes as the typed array of its dtype. */
function readArray(bin: Uint8Array, t: TensorEntry): StoredArray {
  const bytes = bin.slice(t.offset, t.offset + t.byteLength);
  if (t.dtype === "float32") return new Float32Array(bytes.buffer);
  if (t.dtype === "int32") return new Int32Array(bytes.buffer);
  return bytes;
}

/** Puts tensors and arrays back where `{"$tensor": i}` stands. */
function decodeValue(value: unknown, values: Array<tf.Tensor | StoredArray>): unknown {
  if (Array.isArray(value)) return value.map((v) => decodeValue(v, values));
  if (value !== null && typeof value === "object") {
    const ref = (value as { $tensor?: unknown }).$tensor;
    if (typeof ref === "number" && Object.keys(value).length === 1) return values[ref];
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeValue(v, values)]));
  }
  return value;
}

function checkConfig<C>(dir: string, config: C, options: LoadCheckpointOptions<C>): void {
  const expected = (options.expectConfig ?? {}) as Record<string, unknown>;
  const actual = (config ?? {}) as Record<string, unknown>;
  const diffs = Object.keys(expected)
    .filter((k) => JSON.stringify(actual[k]) !== JSON.stringify(expected[k]))
    .map((k) =>
      `${k} is ${JSON.stringify(actual[k])} in the checkpoint but ${JSON.stringify(expected[k])} was expected`
    );
  if (diffs.length > 0) {
    throw new CheckpointError(`Cannot load checkpoint from "${dir}" as its config does not match: ${diffs.join("; ")}`);
  }
  try {
    options.validateConfig?.(config);
  } catch (e) {
    throw new CheckpointError(`Cannot load checkpoint from "${dir}" as its config is refused: ${(e as Error).message}`);
  }
}

/**
 * Loads a checkpoint written by {@link saveCheckpoint}, checking the format version, the files' presence, the size
 * and SHA-256 of `tensors.bin`, every tensor's place and size, and the config against `expectConfig`.
 *
 * @param dir The checkpoint directory.
 * @param options Expected config fields and a config validator.
 * @returns Config, step, weights (new tensors the caller disposes, e.g. with `dispose()`), tokenizer, optimizer and
 *   extra data.
 * @throws {CheckpointError} Naming the directory and what does not match.
 * @example
 * ```ts
 * import { CheckpointError, loadCheckpoint } from "@lib/gpt/checkpoint.ts";
 * import assert from "node:assert/strict";
 * await assert.rejects(loadCheckpoint("/no/such/ckpt"), CheckpointError);
 * ```
 */
export async function loadCheckpoint<C = unknown>(
  dir: string,
  options: LoadCheckpointOptions<C> = {},
): Promise<LoadedCheckpoint<C>> {
  const meta = await readCheckpointMeta(dir);
  const from = await resolveDir(dir);
  checkConfig(dir, meta.config as C, options);
  const bin = await readBin(dir, join(from, CHECKPOINT_FILES.tensors), meta);
  const tokenizer = meta.tokenizer === null || meta.tokenizer === undefined ? undefined : readTokenizer(dir, meta);
  const values = meta.tensors.map((t) => {
    const array = readArray(bin, t);
    return t.kind === "array" ? array : tf.tensor(array, t.shape, t.dtype);
  });
  const owned = values.filter(isTensor);
  const weights: Record<string, tf.Tensor> = {};
  meta.tensors.forEach((t, i) => {
    if (t.name.startsWith("weights/")) weights[t.name.slice("weights/".length)] = values[i] as tf.Tensor;
  });
  return {
    config: meta.config as C,
    step: meta.step,
    weights,
    tokenizer,
    optimizer: meta.optimizer === null ? undefined : decodeValue(meta.optimizer, values),
    extra: meta.extra === null ? undefined : decodeValue(meta.extra, values),
    meta,
    dir: from,
    dispose: () => tf.dispose(owned),
  };
}

function readTokenizer(dir: string, meta: CheckpointMeta): Tokenizer {
  try {
    return tokenizerFromJSON(meta.tokenizer);
  } catch (e) {
    throw new CheckpointError(
      `Cannot load checkpoint from "${dir}" as its tokenizer is invalid: ${(e as Error).message}`,
    );
  }
}

/**
 * Copies loaded weights into a model's variables after checking that the names and shapes match exactly; nothing is
 * assigned unless everything matches.
 *
 * @param variables The model's variables by name (`GPT.params`, a record, or an array named by `variable.name`).
 * @param weights The weights to copy, e.g. `loadCheckpoint(…).weights`.
 * @throws {RangeError} Naming a tensor the model expects but the checkpoint lacks, one the model does not have, or
 *   one whose shape or dtype differs (with both shapes).
 * @example
 * ```ts
 * import { assignWeights } from "@lib/gpt/checkpoint.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const w = tf.variable(tf.zeros([2]));
 * const loaded = { w: tf.tensor1d([5, 6]) };
 * assignWeights(new Map([["w", w]]), loaded);
 * assert.deepEqual(Array.from(w.dataSync()), [5, 6]);
 * const wrong = { w: tf.zeros([3]) };
 * assert.throws(() => assignWeights({ w }, wrong), /"w" has shape \[3\] in the checkpoint but the model expects \[2\]/);
 * tf.dispose([w, loaded.w, wrong.w]);
 * ```
 */
export function assignWeights(
  variables: TensorMap<tf.Variable> | readonly tf.Variable[],
  weights: TensorMap,
): void {
  const model = Array.isArray(variables)
    ? (variables as tf.Variable[]).map((v) => [v.name, v] as [string, tf.Variable])
    : entries(variables as TensorMap<tf.Variable>);
  const loaded = new Map(entries(weights));
  const names = new Set(model.map(([name]) => name));
  for (const [name, v] of model) {
    const w = loaded.get(name);
    if (w === undefined) {
      throw new RangeError(`Cannot load weights as the checkpoint lacks tensor "${name}" (shape [${v.shape}])`);
    }
    if (w.shape.join() !== v.shape.join()) {
      throw new RangeError(
        `Cannot load weights as tensor "${name}" has shape [${w.shape}] in the checkpoint but the model expects ` +
          `[${v.shape}]`,
      );
    }
    if (w.dtype !== v.dtype) {
      throw new RangeError(
        `Cannot load weights as tensor "${name}" has dtype ${w.dtype} in the checkpoint but the model expects ${v.dtype}`,
      );
    }
  }
  for (const name of loaded.keys()) {
    if (!names.has(name)) {
      throw new RangeError(`Cannot load weights as the checkpoint has tensor "${name}" that the model lacks`);
    }
  }
  for (const [name, v] of model) v.assign(loaded.get(name)!);
}
