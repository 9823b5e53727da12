/**
 * Canonical JSON and SHA-256: the model cache's keys and the checkpoints' file checksums.
 *
 * @module
 */

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
 * import { canonicalJson } from "@lib/checkpoint/hash_json.ts";
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
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${write(record[k], `${path}.${k}`)}`).join(",")}}`;
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
 * import { hashJson } from "@lib/checkpoint/hash_json.ts";
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
 * @throws {TypeError} When `bytes` is not a Uint8Array.
 * @example
 * ```ts
 * import { sha256Hex } from "@lib/checkpoint/hash_json.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   await sha256Hex(new TextEncoder().encode("abc")),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`Cannot hash bytes as they must be a Uint8Array: current value is ${typeof bytes}`);
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}
