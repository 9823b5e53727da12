/**
 * Checkpoints for every model of the course: a directory of four files.
 *
 * ```
 * model.safetensors   the weights by name (safetensors.ts), readable by PyTorch, Hugging Face and most runtimes
 * state.safetensors   the tensors of the training state: optimizer moments, typed arrays kept in `extra`
 * state.json          step, tokenizer (as JSON), optimizer and extra data, each array replaced by {"$array": name}
 * config.json         format, version, model kind, config, lib version, and the size and SHA-256 of the other three
 * ```
 *
 * A save writes a complete new directory beside the old one (config.json last) and then swaps them with renames, so
 * an interrupted save never leaves half a checkpoint: the previous one still loads. A load checks everything it reads
 * (format version, model kind, config, each file's size and checksum, each tensor's dtype, shape and place) and names
 * what does not match.
 *
 * @module
 */
import { LIB_VERSION } from "../core/version.ts";
import { tf } from "../core/backend.ts";
import { CheckpointError } from "./checkpoint_error.ts";
import { exists } from "./fs.ts";
import { sha256Hex } from "./hash_json.ts";
import { decodeSafetensors, encodeSafetensors, fromTensor, type RawTensor, toTensor } from "./safetensors.ts";

/** The `format` field of every checkpoint's `config.json`. */
export const CHECKPOINT_FORMAT = "liandan-checkpoint";

/** The checkpoint format version this library writes and reads (1 was meta.json + tensors.bin). */
export const CHECKPOINT_VERSION = 2;

/** The four files of a checkpoint directory. */
export const CHECKPOINT_FILES: Readonly<{ weights: string; state: string; stateTensors: string; config: string }> =
  Object.freeze({
    weights: "model.safetensors",
    state: "state.json",
    stateTensors: "state.safetensors",
    config: "config.json",
  });

export { CheckpointError };

/** Typed arrays a checkpoint can hold inside `optimizer` and `extra` (they come back as the same type). */
export type StoredArray = Float32Array | Int32Array | Uint8Array;

/** Named tensors: a `Map` (as `GPT.params`) or a plain record. */
export type TensorMap<T extends tf.Tensor = tf.Tensor> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

/** What {@link saveCheckpoint} stores. */
export interface CheckpointData<C = unknown> {
  /** The model's kind, e.g. `"gpt"`, `"char-mlp"`, `"layers-model"`; checked on load. */
  kind: string;
  /** The model's config (JSON-ready), checked against `expectConfig` on load. */
  config: C;
  /** The model's weights by name. */
  weights: TensorMap;
  /** Training steps done (an integer ≥ 0; default 0). */
  step?: number;
  /** The tokenizer as JSON-ready data (or an object with `toJSON()`, such as a lib/text tokenizer). */
  tokenizer?: unknown;
  /**
   * The optimizer's state: any JSON-ready value in which tensors and typed arrays (Float32Array, Int32Array,
   * Uint8Array) may appear at any depth, as in `AdamW.getState()`; they are stored in `state.safetensors`.
   */
  optimizer?: unknown;
  /** Anything else to keep (loss history, training options), stored like `optimizer`. */
  extra?: unknown;
  /** JSON-ready notes kept in `config.json` (the model cache records its key there). */
  info?: unknown;
}

/** Size and SHA-256 (hex) of one file of a checkpoint. */
export interface FileDigest {
  /** The file's size in bytes. */
  bytes: number;
  /** Its SHA-256, 64 hex digits. */
  sha256: string;
}

/** The contents of `config.json`. */
export interface CheckpointMeta {
  /** Always {@link CHECKPOINT_FORMAT}. */
  format: typeof CHECKPOINT_FORMAT;
  /** {@link CHECKPOINT_VERSION} when written. */
  version: number;
  /** The model's kind. */
  kind: string;
  /** The course library's version that wrote it. */
  lib: string;
  /** ISO time of the save. */
  createdAt: string;
  /** The model's config. */
  config: unknown;
  /** The writer's notes, or `null`. */
  info: unknown;
  /** The other three files' sizes and checksums. */
  files: Record<string, FileDigest>;
}

/** A checkpoint read back by {@link loadCheckpoint}. The caller owns the tensors: call `dispose()` when done. */
export interface LoadedCheckpoint<C = unknown> {
  /** The model's kind. */
  kind: string;
  /** The model's config as saved. */
  config: C;
  /** Training steps done. */
  step: number;
  /** The weights by name. */
  weights: Record<string, tf.Tensor>;
  /** The tokenizer's JSON, when one was saved (lib/text's `tokenizerFromJSON` makes it a tokenizer again). */
  tokenizer?: unknown;
  /** The optimizer's state, with its tensors and typed arrays back in place. */
  optimizer?: unknown;
  /** The extra data, likewise. */
  extra?: unknown;
  /** The writer's notes, when any. */
  info?: unknown;
  /** The parsed `config.json`. */
  meta: CheckpointMeta;
  /** The directory actually read (the `.old` copy when a save was interrupted in the middle of the swap). */
  dir: string;
  /** Disposes every tensor of the checkpoint. */
  dispose(): void;
}

/** Stages of a save, reported to {@link SaveCheckpointOptions.onStage} (for tests that simulate a crash). */
export type SaveStage = "weights-written" | "state-written" | "config-written" | "old-moved-aside" | "committed";

/** Options of {@link saveCheckpoint}. */
export interface SaveCheckpointOptions {
  /** Called after each stage of the save; throwing aborts the save there, as a crash would. */
  onStage?: (stage: SaveStage) => void | Promise<void>;
}

/** Options of {@link loadCheckpoint}. */
export interface LoadCheckpointOptions<C = unknown> {
  /** The model kind the checkpoint must hold. */
  kind?: string;
  /** Config fields the checkpoint must have, compared as JSON; mismatches are listed in the error. */
  expectConfig?: Partial<C>;
  /** Further check of the config: throw to refuse the checkpoint. */
  validateConfig?: (config: C) => void;
}

/** The contents of `state.json`. */
interface StateFile {
  step: number;
  tokenizer: unknown;
  optimizer: unknown;
  extra: unknown;
}

const ARRAY_DTYPES = new Map<string, RawTensor["dtype"]>([
  ["Float32Array", "F32"],
  ["Int32Array", "I32"],
  ["Uint8Array", "U8"],
]);

function isTensor(x: unknown): x is tf.Tensor {
  return x instanceof tf.Tensor;
}

function entries<T extends tf.Tensor>(map: TensorMap<T>): Array<[string, T]> {
  return map instanceof Map ? [...map.entries()] : Object.entries(map as Record<string, T>);
}

/** A state tensor or array waiting for its bytes. */
type Pending = Array<[string, () => Promise<RawTensor>]>;

/** Replaces tensors and typed arrays inside `value` by `{"$tensor": path}` / `{"$array": path}`, queueing them. */
function encodeValue(value: unknown, path: string, pending: Pending): unknown {
  if (isTensor(value)) {
    pending.push([path, () => fromTensor(value, path)]);
    return { $tensor: path };
  }
  if (ArrayBuffer.isView(value)) {
    const dtype = ARRAY_DTYPES.get(value.constructor.name);
    if (dtype === undefined) {
      throw new TypeError(
        `Cannot save ${path} as a ${value.constructor.name}: use Float32Array, Int32Array or Uint8Array`,
      );
    }
    const data = (value as StoredArray).slice();
    pending.push([path, () => Promise.resolve({ dtype, shape: [data.length], data } as RawTensor)]);
    return { $array: path };
  }
  if (Array.isArray(value)) return value.map((v, i) => encodeValue(v, `${path}.${i}`, pending));
  if (value instanceof Map) throw new TypeError(`Cannot save ${path} as a Map: use a plain object`);
  if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") {
    throw new TypeError(`Cannot save ${path} as it is a ${typeof value}, which JSON cannot hold`);
  }
  if (value !== null && typeof value === "object") {
    if ("toJSON" in value && typeof value.toJSON === "function") return encodeValue(value.toJSON(), path, pending);
    if ("$tensor" in value || "$array" in value) {
      throw new TypeError(`Cannot save ${path} as the keys "$tensor" and "$array" are reserved`);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v, `${path}.${k}`, pending)]));
  }
  return value;
}

/** A JSON-only value (config, tokenizer, info): tensors and arrays are refused. */
function encodeJson(value: unknown, path: string): unknown {
  const pending: Pending = [];
  const out = encodeValue(value, path, pending);
  if (pending.length > 0) {
    throw new TypeError(`Cannot save ${pending[0][0]} as a tensor or typed array: ${path} must be plain JSON`);
  }
  return out;
}

function checkData(dir: string, data: CheckpointData): void {
  if (typeof dir !== "string" || dir.length === 0) {
    throw new TypeError(
      `Cannot save checkpoint as dir must be a non-empty path: current value is ${JSON.stringify(dir)}`,
    );
  }
  if (data === null || typeof data !== "object") throw new TypeError(`Cannot save checkpoint as data is ${data}`);
  if (typeof data.kind !== "string" || !/^[a-z0-9][a-z0-9_.-]*$/.test(data.kind)) {
    throw new TypeError(
      `Cannot save checkpoint as kind must be lower-case letters, digits, "_", "." or "-" (e.g. "gpt"): ` +
        `current value is ${JSON.stringify(data.kind)}`,
    );
  }
  const step = data.step ?? 0;
  if (!Number.isInteger(step) || step < 0) {
    throw new RangeError(`Cannot save checkpoint as step must be an integer ≥ 0: current value is ${data.step}`);
  }
  if (data.weights === null || typeof data.weights !== "object") {
    throw new TypeError(`Cannot save checkpoint as weights must be a Map or record of tensors: got ${data.weights}`);
  }
  for (const [name, t] of entries(data.weights)) {
    if (!isTensor(t)) throw new TypeError(`Cannot save weight "${name}" as it is not a tf.Tensor: got ${typeof t}`);
  }
}

/** Builds the four files in memory. */
async function serialize(data: CheckpointData): Promise<{ meta: CheckpointMeta; files: Array<[string, Uint8Array]> }> {
  const weights = new Map<string, RawTensor>();
  for (const [name, t] of entries(data.weights)) weights.set(name, await fromTensor(t, name));
  const pending: Pending = [];
  const state: StateFile = {
    step: data.step ?? 0,
    tokenizer: data.tokenizer === undefined ? null : encodeJson(data.tokenizer, "tokenizer"),
    optimizer: data.optimizer === undefined ? null : encodeValue(data.optimizer, "optimizer", pending),
    extra: data.extra === undefined ? null : encodeValue(data.extra, "extra", pending),
  };
  const stateTensors = new Map<string, RawTensor>();
  for (const [name, read] of pending) stateTensors.set(name, await read());
  const lib = { "liandan.kind": data.kind, "liandan.lib": LIB_VERSION };
  const files: Array<[string, Uint8Array]> = [
    [CHECKPOINT_FILES.weights, encodeSafetensors(weights, lib)],
    [CHECKPOINT_FILES.stateTensors, encodeSafetensors(stateTensors, lib)],
    [CHECKPOINT_FILES.state, new TextEncoder().encode(JSON.stringify(state))],
  ];
  const digests: Record<string, FileDigest> = {};
  for (const [name, bytes] of files) digests[name] = { bytes: bytes.byteLength, sha256: await sha256Hex(bytes) };
  const meta: CheckpointMeta = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    kind: data.kind,
    lib: LIB_VERSION,
    createdAt: new Date().toISOString(),
    config: encodeJson(data.config, "config"),
    info: data.info === undefined ? null : encodeJson(data.info, "info"),
    files: digests,
  };
  return { meta, files };
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

/**
 * Saves a checkpoint into directory `dir` atomically: the files are written into `<dir>.tmp-…` and flushed
 * (`config.json` last), then the old `dir` (if any) is renamed to `<dir>.old`, the new one renamed to `dir`, and
 * `<dir>.old` removed. A crash at any point leaves either the old or the new checkpoint loadable
 * ({@link loadCheckpoint} falls back to `<dir>.old`). Saving the same `dir` from two places at once is not supported.
 *
 * @param dir The checkpoint directory (its parent is created when missing).
 * @param data Kind, config, weights, and optionally step, tokenizer, optimizer state, extra data and notes.
 * @param options `onStage` to observe (or, in tests, interrupt) the save.
 * @returns The written `config.json`.
 * @throws {TypeError} | {RangeError} For bad arguments (naming the value); file-system errors as they come.
 * @example
 * ```ts
 * import { loadCheckpoint, saveCheckpoint } from "@lib/checkpoint/checkpoint.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const w = tf.tensor2d([[1, 2], [3, 4]]);
 * await saveCheckpoint(`${dir}/ckpt`, { kind: "demo", config: { nEmbd: 2 }, step: 10, weights: { w } });
 * const ckpt = await loadCheckpoint(`${dir}/ckpt`, { kind: "demo", expectConfig: { nEmbd: 2 } });
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
  const { meta, files } = await serialize(data);
  const [parent] = parentAndBase(dir);
  await Deno.mkdir(parent, { recursive: true });
  await removeStaleTemps(dir);
  const target = dir.replace(/\/+$/, "");
  const tmp = `${target}.tmp-${Date.now()}-${crypto.randomUUID().slice(0, 8)}`;
  const old = `${target}.old`;
  const stage = async (s: SaveStage) => await options.onStage?.(s);
  try {
    await Deno.mkdir(tmp);
    const [weights, stateTensors, state] = files;
    await writeSynced(join(tmp, weights[0]), weights[1]);
    await stage("weights-written");
    await writeSynced(join(tmp, stateTensors[0]), stateTensors[1]);
    await writeSynced(join(tmp, state[0]), state[1]);
    await stage("state-written");
    await writeSynced(join(tmp, CHECKPOINT_FILES.config), new TextEncoder().encode(JSON.stringify(meta, null, 1)));
    await stage("config-written");
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

function failure(dir: string, why: string): CheckpointError {
  return new CheckpointError(`Cannot load checkpoint from "${dir}" as ${why}`);
}

/**
 * Reads and checks a checkpoint's `config.json` without reading the other files (to see its kind, config or notes).
 *
 * @param dir The checkpoint directory.
 * @returns The metadata.
 * @throws {CheckpointError} When the directory or `config.json` is missing or unreadable, or of another format or
 *   version (an old `meta.json` checkpoint is named as such).
 * @example
 * ```ts
 * import { readCheckpointMeta, saveCheckpoint } from "@lib/checkpoint/checkpoint.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * await saveCheckpoint(dir, { kind: "demo", config: { n: 1 }, weights: {} });
 * assert.equal((await readCheckpointMeta(dir)).kind, "demo");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readCheckpointMeta(dir: string): Promise<CheckpointMeta> {
  const from = await resolveDir(dir);
  const path = join(from, CHECKPOINT_FILES.config);
  if (!(await exists(path)) && (await exists(join(from, "meta.json")))) {
    throw failure(
      dir,
      "it is in the old format of this course (meta.json and tensors.bin, before safetensors): train it again " +
        "or delete the directory",
    );
  }
  const text = await readRequired(dir, path, CHECKPOINT_FILES.config, Deno.readTextFile);
  let meta: CheckpointMeta;
  try {
    meta = JSON.parse(text);
  } catch (e) {
    throw failure(dir, `${CHECKPOINT_FILES.config} is not valid JSON (${(e as Error).message})`);
  }
  checkMeta(dir, meta);
  return meta;
}

function checkMeta(dir: string, meta: CheckpointMeta): void {
  if (meta?.format !== CHECKPOINT_FORMAT) {
    throw failure(
      dir,
      `${CHECKPOINT_FILES.config} has format ${JSON.stringify(meta?.format)}, not "${CHECKPOINT_FORMAT}"`,
    );
  }
  if (meta.version !== CHECKPOINT_VERSION) {
    throw failure(dir, `its format version is ${meta.version} but this library reads version ${CHECKPOINT_VERSION}`);
  }
  if (typeof meta.kind !== "string") throw failure(dir, `${CHECKPOINT_FILES.config} names no model kind`);
  const { weights, state, stateTensors } = CHECKPOINT_FILES;
  for (const file of [weights, stateTensors, state]) {
    const d = meta.files?.[file];
    if (!(Number.isSafeInteger(d?.bytes) && typeof d?.sha256 === "string")) {
      throw failure(dir, `${CHECKPOINT_FILES.config} lacks the size and checksum of ${file}`);
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
    if (e instanceof Deno.errors.NotFound) throw failure(dir, `${file} is missing`);
    throw e;
  }
}

/** Reads a file and checks its size and SHA-256 against `config.json`. */
async function readChecked(dir: string, from: string, file: string, meta: CheckpointMeta): Promise<Uint8Array> {
  const bytes = await readRequired(dir, join(from, file), file, Deno.readFile);
  const want = meta.files[file];
  if (bytes.byteLength !== want.bytes) {
    throw failure(
      dir,
      `${file} has ${bytes.byteLength} bytes but ${CHECKPOINT_FILES.config} says ${want.bytes} ` +
        `(the file is truncated or from another save)`,
    );
  }
  const digest = await sha256Hex(bytes);
  if (digest !== want.sha256) {
    throw failure(
      dir,
      `the SHA-256 of ${file} is ${digest.slice(0, 12)}… but ${CHECKPOINT_FILES.config} says ` +
        `${want.sha256.slice(0, 12)}… (the file is damaged)`,
    );
  }
  return bytes;
}

function decodeFile(dir: string, file: string, bytes: Uint8Array): Map<string, RawTensor> {
  try {
    return decodeSafetensors(bytes).tensors;
  } catch (e) {
    throw failure(dir, `${file} is invalid: ${(e as Error).message.replace(/^Cannot read safetensors as /, "")}`);
  }
}

/** Puts tensors and arrays back where `{"$tensor": path}` and `{"$array": path}` stand. */
function decodeValue(
  dir: string,
  value: unknown,
  stored: Map<string, RawTensor>,
  made: tf.Tensor[],
): unknown {
  if (Array.isArray(value)) return value.map((v) => decodeValue(dir, v, stored, made));
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    const ref = value as { $tensor?: unknown; $array?: unknown };
    const path = keys.length === 1 ? (ref.$tensor ?? ref.$array) : undefined;
    if (typeof path === "string") {
      const raw = stored.get(path);
      if (raw === undefined) {
        throw failure(
          dir,
          `${CHECKPOINT_FILES.state} refers to "${path}", which ${CHECKPOINT_FILES.stateTensors} lacks`,
        );
      }
      if (ref.$array !== undefined) return raw.data;
      const t = toTensor(raw, path);
      made.push(t);
      return t;
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeValue(dir, v, stored, made)]));
  }
  return value;
}

function checkConfig<C>(dir: string, meta: CheckpointMeta, options: LoadCheckpointOptions<C>): void {
  if (options.kind !== undefined && meta.kind !== options.kind) {
    throw failure(dir, `it holds a model of kind "${meta.kind}" but kind "${options.kind}" was expected`);
  }
  const expected = (options.expectConfig ?? {}) as Record<string, unknown>;
  const actual = (meta.config ?? {}) as Record<string, unknown>;
  const diffs = Object.keys(expected)
    .filter((k) => JSON.stringify(actual[k]) !== JSON.stringify(expected[k]))
    .map((k) =>
      `${k} is ${JSON.stringify(actual[k])} in the checkpoint but ${JSON.stringify(expected[k])} was expected`
    );
  if (diffs.length > 0) throw failure(dir, `its config does not match: ${diffs.join("; ")}`);
  try {
    options.validateConfig?.(meta.config as C);
  } catch (e) {
    throw failure(dir, `its config is refused: ${(e as Error).message}`);
  }
}

/**
 * Loads a checkpoint written by {@link saveCheckpoint}, checking the format version, the model kind and config, the
 * files' presence, sizes and SHA-256, and every tensor's dtype, shape and place.
 *
 * @param dir The checkpoint directory.
 * @param options The expected kind, expected config fields and a config validator.
 * @returns Kind, config, step, weights (new tensors the caller disposes, e.g. with `dispose()`), tokenizer JSON,
 *   optimizer state, extra data and notes.
 * @throws {CheckpointError} Naming the directory and what does not match.
 * @example
 * ```ts
 * import { CheckpointError, loadCheckpoint } from "@lib/checkpoint/checkpoint.ts";
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
  checkConfig(dir, meta, options);
  const { weights: weightsFile, state: stateFile, stateTensors: stateTensorsFile } = CHECKPOINT_FILES;
  const weightBytes = await readChecked(dir, from, weightsFile, meta);
  const stateTensorBytes = await readChecked(dir, from, stateTensorsFile, meta);
  const stateBytes = await readChecked(dir, from, stateFile, meta);
  const rawWeights = decodeFile(dir, weightsFile, weightBytes);
  const stored = decodeFile(dir, stateTensorsFile, stateTensorBytes);
  let state: StateFile;
  try {
    state = JSON.parse(new TextDecoder().decode(stateBytes));
  } catch (e) {
    throw failure(dir, `${stateFile} is not valid JSON (${(e as Error).message})`);
  }
  if (!Number.isInteger(state?.step) || state.step < 0) {
    throw failure(dir, `${stateFile} has step ${JSON.stringify(state?.step)}, not an integer ≥ 0`);
  }
  const made: tf.Tensor[] = [];
  try {
    const optimizer = state.optimizer === null ? undefined : decodeValue(dir, state.optimizer, stored, made);
    const extra = state.extra === null ? undefined : decodeValue(dir, state.extra, stored, made);
    const weights: Record<string, tf.Tensor> = {};
    for (const [name, raw] of rawWeights) made.push(weights[name] = toTensor(raw, name));
    return {
      kind: meta.kind,
      config: meta.config as C,
      step: state.step,
      weights,
      tokenizer: state.tokenizer ?? undefined,
      optimizer,
      extra,
      info: meta.info ?? undefined,
      meta,
      dir: from,
      dispose: () => tf.dispose(made),
    };
  } catch (e) {
    tf.dispose(made);
    throw e;
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
 * import { assignWeights } from "@lib/checkpoint/checkpoint.ts";
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
