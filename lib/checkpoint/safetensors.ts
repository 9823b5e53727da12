/**
 * The safetensors file format, written and read by this small module (no package): the standard way to hand weights
 * between PyTorch, Hugging Face and most runtimes.
 *
 * ```
 * [8 bytes]  N, the header's length, an unsigned 64-bit little-endian integer
 * [N bytes]  a JSON object, padded with spaces so that N is a multiple of 8:
 *            { "__metadata__": { "k": "v" },                       (optional, strings only)
 *              "wte.weight": { "dtype": "F32", "shape": [65, 128], "data_offsets": [0, 33280] }, … }
 * [rest]     every tensor's raw little-endian bytes, row-major; data_offsets count from the start of this part,
 *            and the tensors cover it exactly: no holes, no overlaps
 * ```
 *
 * Tensors are laid out widest element first (F64, then F32, …, then U8), so with the padded header every tensor
 * starts at a multiple of its element size and a reader can view the bytes in place.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { CheckpointError } from "./checkpoint_error.ts";

/** The element types a safetensors file may hold here (F16 and BF16 are read into float32, never written). */
export type SafetensorsDtype = "F64" | "F32" | "F16" | "BF16" | "I64" | "I32" | "I16" | "I8" | "U8" | "BOOL";

/** The typed array that holds each dtype's numbers (F16 and BF16: the raw 16-bit patterns). */
export interface SafetensorsArrays {
  F64: Float64Array;
  F32: Float32Array;
  F16: Uint16Array;
  BF16: Uint16Array;
  I64: BigInt64Array;
  I32: Int32Array;
  I16: Int16Array;
  I8: Int8Array;
  U8: Uint8Array;
  BOOL: Uint8Array;
}

/** One tensor as the file holds it: dtype, shape and the numbers in row-major order. */
export type RawTensor = {
  [D in SafetensorsDtype]: { dtype: D; shape: number[]; data: SafetensorsArrays[D] };
}[SafetensorsDtype];

/** What {@link decodeSafetensors} returns. */
export interface Safetensors {
  /** The tensors by name, in the order of the header. */
  tensors: Map<string, RawTensor>;
  /** The `__metadata__` strings (empty when the file has none). */
  metadata: Record<string, string>;
}

type ArrayCtor = { new (buffer: ArrayBuffer): SafetensorsArrays[SafetensorsDtype]; name: string };

/** Bytes per element and the typed array of each dtype. */
const DTYPES: Record<SafetensorsDtype, { size: number; array: ArrayCtor }> = {
  F64: { size: 8, array: Float64Array },
  I64: { size: 8, array: BigInt64Array },
  F32: { size: 4, array: Float32Array },
  I32: { size: 4, array: Int32Array },
  F16: { size: 2, array: Uint16Array },
  BF16: { size: 2, array: Uint16Array },
  I16: { size: 2, array: Int16Array },
  I8: { size: 1, array: Int8Array },
  U8: { size: 1, array: Uint8Array },
  BOOL: { size: 1, array: Uint8Array },
};

/** The header may not be larger than this (the reference implementation's limit). */
const MAX_HEADER = 100_000_000;

const METADATA = "__metadata__";

function checkLittleEndian(action: string): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error(`Cannot ${action} safetensors on a big-endian machine: the format is little-endian`);
  }
}

function isDtype(d: unknown): d is SafetensorsDtype {
  return typeof d === "string" && Object.hasOwn(DTYPES, d);
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function isShape(shape: unknown): shape is number[] {
  return Array.isArray(shape) && shape.every((d) => Number.isSafeInteger(d) && d >= 0);
}

function entriesOf<T>(map: ReadonlyMap<string, T> | Readonly<Record<string, T>>): Array<[string, T]> {
  return map instanceof Map ? [...map.entries()] : Object.entries(map as Record<string, T>);
}

function checkTensor(name: string, t: RawTensor): void {
  const fail = (why: string) => new TypeError(`Cannot write safetensors as tensor "${name}" ${why}`);
  if (name === "" || name === METADATA) throw fail(`has a reserved name: use a non-empty name other than ${METADATA}`);
  if (t === null || typeof t !== "object") throw fail(`must be {dtype, shape, data}: current value is ${t}`);
  if (!isDtype(t.dtype)) {
    throw fail(`has dtype ${JSON.stringify(t.dtype)}: expected one of ${Object.keys(DTYPES).join(", ")}`);
  }
  if (!isShape(t.shape)) throw fail(`has shape ${JSON.stringify(t.shape)}: expected a list of non-negative integers`);
  const { array } = DTYPES[t.dtype];
  if (!(t.data instanceof array)) {
    throw fail(`of dtype ${t.dtype} must hold its numbers in a ${array.name}: got ${t.data?.constructor?.name}`);
  }
  if (t.data.length !== elementCount(t.shape)) {
    throw fail(`has ${t.data.length} numbers, which do not fit shape [${t.shape}]`);
  }
}

/**
 * Writes tensors (and optional metadata) as the bytes of a safetensors file.
 *
 * @param tensors The tensors by name (a Map or a record), each `{dtype, shape, data}`.
 * @param metadata Strings to keep in the header's `__metadata__` (left out when empty).
 * @returns The file's bytes.
 * @throws {TypeError} Naming a tensor whose dtype, shape or array is wrong, or a metadata value that is not a string.
 * @example
 * ```ts
 * import { decodeSafetensors, encodeSafetensors } from "@lib/checkpoint/safetensors.ts";
 * import assert from "node:assert/strict";
 * const bytes = encodeSafetensors({ w: { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) } }, { by: "me" });
 * assert.equal(new DataView(bytes.buffer).getBigUint64(0, true) % 8n, 0n);
 * const back = decodeSafetensors(bytes);
 * assert.deepEqual(back.tensors.get("w"), { dtype: "F32", shape: [2], data: new Float32Array([1, 2]) });
 * assert.deepEqual(back.metadata, { by: "me" });
 * ```
 */
export function encodeSafetensors(
  tensors: ReadonlyMap<string, RawTensor> | Readonly<Record<string, RawTensor>>,
  metadata: Readonly<Record<string, string>> = {},
): Uint8Array {
  checkLittleEndian("write");
  if (tensors === null || typeof tensors !== "object") {
    throw new TypeError(`Cannot write safetensors as tensors must be a Map or a record: current value is ${tensors}`);
  }
  for (const [k, v] of Object.entries(metadata ?? {})) {
    if (typeof v !== "string") {
      throw new TypeError(`Cannot write safetensors as metadata "${k}" must be a string: current value is ${v}`);
    }
  }
  const list = entriesOf(tensors);
  list.forEach(([name, t]) => checkTensor(name, t));
  // Widest elements first: each tensor then starts at a multiple of its element size.
  const ordered = list.map((e, i) => [e, i] as const)
    .sort(([[, a], i], [[, b], j]) => DTYPES[b.dtype].size - DTYPES[a.dtype].size || i - j)
    .map(([e]) => e);
  const header: Record<string, unknown> = Object.keys(metadata ?? {}).length > 0 ? { [METADATA]: metadata } : {};
  let offset = 0;
  for (const [name, t] of ordered) {
    const end = offset + t.data.byteLength;
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, end] };
    offset = end;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength); // spaces
  let at = 8 + headerLength;
  for (const [, t] of ordered) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

/**
 * Reads the bytes of a safetensors file, checking everything: the header's length against the file, the header's
 * JSON, each tensor's dtype, shape and offsets, and that the tensors cover the data without holes or overlaps.
 *
 * @param bytes The whole file.
 * @returns The tensors (copies: they do not share memory with `bytes`) and the metadata.
 * @throws {CheckpointError} Naming what does not match (the header runs past the end of the file, a tensor's bytes
 *   do not fit its shape, a tensor lies outside the data, a hole between two tensors, …).
 * @example
 * ```ts
 * import { decodeSafetensors } from "@lib/checkpoint/safetensors.ts";
 * import assert from "node:assert/strict";
 * const bytes = new Uint8Array(16);
 * bytes[0] = 8; // an 8-byte header: "{}" and six spaces
 * bytes.set(new TextEncoder().encode("{}      "), 8);
 * assert.equal(decodeSafetensors(bytes).tensors.size, 0);
 * assert.throws(() => decodeSafetensors(bytes.subarray(0, 12)), /header length 8 runs past the end/);
 * ```
 */
export function decodeSafetensors(bytes: Uint8Array): Safetensors {
  checkLittleEndian("read");
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`Cannot read safetensors as bytes must be a Uint8Array: current value is ${typeof bytes}`);
  }
  const fail = (why: string) => new CheckpointError(`Cannot read safetensors as ${why}`);
  if (bytes.length < 8) throw fail(`the file has ${bytes.length} bytes, fewer than the 8 of its header length`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8)) {
    throw fail(`its header length ${n} runs past the end of the file (${bytes.length} bytes)`);
  }
  if (n > BigInt(MAX_HEADER)) throw fail(`its header length ${n} exceeds the limit of ${MAX_HEADER} bytes`);
  const start = 8 + Number(n);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, start)));
  } catch (e) {
    throw fail(`its header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) {
    throw fail(`its header is ${JSON.stringify(header)}, not a JSON object`);
  }
  const metadata = readMetadata(header[METADATA], fail);
  const dataLength = bytes.length - start;
  const spans: Array<{ name: string; begin: number; end: number }> = [];
  const tensors = new Map<string, RawTensor>();
  for (const [name, info] of Object.entries(header)) {
    if (name === METADATA) continue;
    const { dtype, shape, data_offsets: offsets } = (info ?? {}) as Record<string, unknown>;
    if (!isDtype(dtype)) {
      throw fail(
        `tensor "${name}" has dtype ${JSON.stringify(dtype)}, which this reader does not know ` +
          `(${Object.keys(DTYPES).join(", ")})`,
      );
    }
    if (!isShape(shape)) throw fail(`tensor "${name}" has shape ${JSON.stringify(shape)}, not a list of sizes`);
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
      throw fail(`tensor "${name}" has data_offsets ${JSON.stringify(offsets)}, not two non-negative integers`);
    }
    const [begin, end] = offsets as [number, number];
    const size = DTYPES[dtype].size;
    if (end < begin || end - begin !== elementCount(shape) * size) {
      throw fail(`tensor "${name}" has ${end - begin} bytes, which do not fit shape [${shape}] of ${dtype}`);
    }
    if (end > dataLength) {
      throw fail(`tensor "${name}" lies outside the data (offsets [${begin}, ${end}] of ${dataLength} bytes)`);
    }
    spans.push({ name, begin, end });
    const copy = bytes.slice(start + begin, start + end).buffer;
    tensors.set(name, { dtype, shape, data: new DTYPES[dtype].array(copy) } as RawTensor);
  }
  checkContiguous(spans, dataLength, fail);
  return { tensors, metadata };
}

function readMetadata(value: unknown, fail: (why: string) => Error): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw fail(`${METADATA} is not an object of strings`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== "string") throw fail(`${METADATA} "${k}" is ${JSON.stringify(v)}, not a string`);
  }
  return { ...(value as Record<string, string>) };
}

/** The tensors must cover [0, dataLength) exactly, one after another. */
function checkContiguous(
  spans: Array<{ name: string; begin: number; end: number }>,
  dataLength: number,
  fail: (why: string) => Error,
): void {
  spans.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0, last = "the header";
  for (const s of spans) {
    if (s.begin !== at) {
      const what = s.begin > at ? "a hole of" : "an overlap of";
      throw fail(`there is ${what} ${Math.abs(s.begin - at)} bytes between ${last} and tensor "${s.name}"`);
    }
    [at, last] = [s.end, `tensor "${s.name}"`];
  }
  if (at !== dataLength) throw fail(`the data has ${dataLength - at} bytes after ${last} that no tensor owns`);
}

/** tfjs dtypes that a checkpoint writes, and the safetensors dtype of each. */
const FROM_TF: Record<string, SafetensorsDtype> = { float32: "F32", int32: "I32", bool: "BOOL" };

/**
 * A tf.Tensor's numbers as a {@link RawTensor}: float32 → F32, int32 → I32, bool → BOOL.
 *
 * @param t A live tensor.
 * @param name Its name, for the error message.
 * @returns dtype, shape and a copy of the numbers.
 * @throws {TypeError} When `t` is not a live tensor of dtype float32, int32 or bool.
 * @example
 * ```ts
 * import { fromTensor } from "@lib/checkpoint/safetensors.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const t = tf.tensor2d([[1, 2]], [1, 2], "int32");
 * assert.deepEqual(await fromTensor(t), { dtype: "I32", shape: [1, 2], data: new Int32Array([1, 2]) });
 * t.dispose();
 * ```
 */
export async function fromTensor(t: tf.Tensor, name = "tensor"): Promise<RawTensor> {
  if (!(t instanceof tf.Tensor)) throw new TypeError(`Cannot save "${name}" as it is not a tf.Tensor: got ${typeof t}`);
  if (t.isDisposed) throw new TypeError(`Cannot save tensor "${name}" as it is disposed`);
  const dtype = FROM_TF[t.dtype];
  if (dtype === undefined) {
    throw new TypeError(`Cannot save tensor "${name}" of dtype ${t.dtype}: checkpoints hold float32, int32 and bool`);
  }
  const values = await t.data();
  const data = dtype === "F32"
    ? Float32Array.from(values as Float32Array)
    : dtype === "I32"
    ? Int32Array.from(values as Int32Array)
    : Uint8Array.from(values as Uint8Array);
  return { dtype, shape: [...t.shape], data } as RawTensor;
}

/**
 * A new tf.Tensor from a {@link RawTensor}: F32/F64/F16/BF16 → float32, I32/I16/I8/U8 → int32, BOOL → bool, I64 →
 * int32 when every value fits.
 *
 * @param raw The tensor as read from a file.
 * @param name Its name, for the error message.
 * @returns A tensor the caller disposes.
 * @throws {RangeError} When an I64 value does not fit in int32.
 * @example
 * ```ts
 * import { toTensor } from "@lib/checkpoint/safetensors.ts";
 * import assert from "node:assert/strict";
 * const t = toTensor({ dtype: "BF16", shape: [2], data: new Uint16Array([0x3f80, 0xc000]) });
 * assert.deepEqual(t.arraySync(), [1, -2]);
 * t.dispose();
 * ```
 */
export function toTensor(raw: RawTensor, name = "tensor"): tf.Tensor {
  const { shape } = raw;
  switch (raw.dtype) {
    case "F32":
      return tf.tensor(raw.data, shape, "float32");
    case "F64":
      return tf.tensor(Float32Array.from(raw.data), shape, "float32");
    case "F16":
      return tf.tensor(Float32Array.from(raw.data, halfToFloat), shape, "float32");
    case "BF16":
      return tf.tensor(new Float32Array(Uint32Array.from(raw.data, (h) => h << 16).buffer), shape, "float32");
    case "BOOL":
      return tf.tensor(raw.data, shape, "bool");
    case "I64": {
      const out = new Int32Array(raw.data.length);
      raw.data.forEach((v, i) => {
        if (v > 2147483647n || v < -2147483648n) {
          throw new RangeError(`Cannot load tensor "${name}" as int32: element ${i} is ${v}, outside the int32 range`);
        }
        out[i] = Number(v);
      });
      return tf.tensor(out, shape, "int32");
    }
    default:
      return tf.tensor(Int32Array.from(raw.data), shape, "int32");
  }
}

/** An IEEE half-precision bit pattern as a number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1, exp = (h >> 10) & 0x1f, frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}
