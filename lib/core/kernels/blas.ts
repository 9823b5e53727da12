/**
 * Native BLAS through Deno FFI: `cblas_sgemm` from OpenBLAS (Linux: `libopenblas.so.0`, Debian's
 * `libopenblas0-pthread`) or Apple's Accelerate (macOS). The matMul kernel of the wasm backend calls it on
 * Float32Array views of the backend's WebAssembly memory, so no data is copied.
 *
 * The library is loaded on first use. `LIANDAN_BLAS=0` turns BLAS off (the pure-wasm kernels run instead);
 * `LIANDAN_BLAS_LIB=/path/to/lib` loads that library instead of the defaults; `LIANDAN_BLAS_THREADS=n` sets the OpenBLAS thread count (default 1: the course's matrices are small, and
 * OpenBLAS threads would compete with the JavaScript thread on a 2-core machine).
 *
 * @module
 */
import { checkPositiveInteger } from "../validate.ts";

/** What {@link blasInfo} reports. */
export interface BlasInfo {
  /** Whether a BLAS library was found and loaded. */
  available: boolean;
  /** Whether matMul uses it now (available, and neither `LIANDAN_BLAS=0` nor {@link setBlasEnabled} turned it off). */
  enabled: boolean;
  /** The library that was loaded, or `null`. */
  library: string | null;
  /** OpenBLAS threads, or `null` when unknown (Accelerate). */
  threads: number | null;
  /** Why BLAS is unavailable or disabled; empty when enabled. */
  reason: string;
}

const ROW_MAJOR = 101;
const NO_TRANS = 111;
const TRANS = 112;

const SYMBOLS = {
  cblas_sgemm: {
    parameters: [
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "i32",
      "f32",
      "buffer",
      "i32",
      "buffer",
      "i32",
      "f32",
      "buffer",
      "i32",
    ],
    result: "void",
  },
  openblas_set_num_threads: { parameters: ["i32"], result: "void", optional: true },
  openblas_get_num_threads: { parameters: [], result: "i32", optional: true },
} as const;

type BlasLibrary = Deno.DynamicLibrary<typeof SYMBOLS>;

/** Library names tried in order, per operating system. */
export const BLAS_LIBRARIES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  linux: ["libopenblas.so.0", "libopenblas.so", "/usr/lib/x86_64-linux-gnu/libopenblas.so.0"],
  darwin: ["/System/Library/Frameworks/Accelerate.framework/Accelerate", "libopenblas.dylib"],
  windows: ["libopenblas.dll"],
});

interface BlasState {
  lib: BlasLibrary | null;
  library: string | null;
  enabled: boolean;
  reason: string;
}

let state: BlasState | null = null;

/** Reads an environment variable, treating a missing permission as unset (without prompting for it). */
function env(name: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") return undefined;
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

/** Tries each candidate library; returns the first that opens. */
function open(): { lib: BlasLibrary | null; library: string | null; reason: string } {
  if (Deno.permissions.querySync({ name: "ffi" }).state !== "granted") {
    return { lib: null, library: null, reason: "no permission to load native libraries (run deno with --allow-ffi)" };
  }
  const custom = env("LIANDAN_BLAS_LIB");
  const names = custom ? [custom] : BLAS_LIBRARIES[Deno.build.os] ?? [];
  const errors: string[] = [];
  for (const name of names) {
    try {
      return { lib: Deno.dlopen(name, SYMBOLS), library: name, reason: "" };
    } catch (error) {
      errors.push(`${name}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  const hint = Deno.build.os === "linux" ? " (install it with: apt-get install libopenblas0-pthread)" : "";
  return { lib: null, library: null, reason: `no BLAS library could be loaded${hint}: ${errors.join("; ")}` };
}

/** Loads the library once and applies `LIANDAN_BLAS` and `LIANDAN_BLAS_THREADS`. */
function load(): BlasState {
  if (state) return state;
  const off = env("LIANDAN_BLAS")?.trim() === "0";
  const opened = open();
  state = {
    lib: opened.lib,
    library: opened.library,
    enabled: opened.lib !== null && !off,
    reason: opened.lib === null ? opened.reason : off ? "turned off by LIANDAN_BLAS=0" : "",
  };
  if (opened.lib) setBlasThreads(Number(env("LIANDAN_BLAS_THREADS") ?? 1) || 1);
  return state;
}

/**
 * Reports whether native BLAS is loaded and used by matMul.
 *
 * @returns The library, whether it is enabled, its threads and, when it is not used, why.
 * @example
 * ```ts
 * import { blasInfo } from "@lib/core/kernels/blas.ts";
 * import assert from "node:assert/strict";
 * const info = blasInfo();
 * assert.equal(info.enabled, info.available && info.reason === "");
 * ```
 */
export function blasInfo(): BlasInfo {
  const s = load();
  const threads = s.lib?.symbols.openblas_get_num_threads?.() ?? null;
  return { available: s.lib !== null, enabled: s.enabled, library: s.library, threads, reason: s.reason };
}

/** Whether matMul should call BLAS now. Cheap; called by the kernels on every matMul. */
export function blasActive(): boolean {
  return (state ?? load()).enabled;
}

/**
 * Turns the use of BLAS by matMul on or off at run time (for comparisons; `LIANDAN_BLAS=0` does it at start-up).
 *
 * @param enabled `true` to use BLAS when it is available, `false` to use the pure-wasm kernels.
 * @returns Whether BLAS is used now (`false` when asked for but unavailable).
 * @throws {TypeError} When `enabled` is not a boolean.
 * @example
 * ```ts
 * import { blasInfo, setBlasEnabled } from "@lib/core/kernels/blas.ts";
 * import assert from "node:assert/strict";
 * assert.equal(setBlasEnabled(false), false);
 * assert.equal(setBlasEnabled(true), blasInfo().available);
 * ```
 */
export function setBlasEnabled(enabled: boolean): boolean {
  if (typeof enabled !== "boolean") {
    throw new TypeError(`Cannot set BLAS use as enabled must be a boolean: current value is ${enabled}`);
  }
  const s = load();
  s.enabled = enabled && s.lib !== null;
  s.reason = s.lib === null ? s.reason : enabled ? "" : "turned off by setBlasEnabled(false)";
  return s.enabled;
}

/**
 * Sets the number of OpenBLAS threads (no effect with Accelerate or without BLAS).
 *
 * @param threads A positive integer.
 * @throws {RangeError} When `threads` is not a positive integer.
 * @example
 * ```ts
 * import { setBlasThreads } from "@lib/core/kernels/blas.ts";
 * setBlasThreads(1);
 * ```
 */
export function setBlasThreads(threads: number): void {
  checkPositiveInteger(threads, "threads", "set BLAS threads");
  load().lib?.symbols.openblas_set_num_threads?.(threads);
}

/**
 * Row-major single-precision matrix product with BLAS: `c = op(a) · op(b) + beta · c`, where `op(a)` is `m×k`
 * (`a` stored `k×m` when `transposeA`) and `op(b)` is `k×n`. The arrays may be views of a WebAssembly memory.
 *
 * @param transposeA Whether `a` is stored transposed (`k×m`, leading dimension `m`).
 * @param transposeB Whether `b` is stored transposed (`n×k`, leading dimension `k`).
 * @param m Rows of the result.
 * @param n Columns of the result.
 * @param k Shared dimension.
 * @param a The left matrix, at least `m·k` floats.
 * @param b The right matrix, at least `k·n` floats.
 * @param c The result, at least `m·n` floats, written in place.
 * @param beta `0` to overwrite `c`, `1` to add to it.
 * @throws {Error} When BLAS is not available. {@link RangeError} when an array is too short for its matrix.
 * @example
 * ```ts
 * import { blasInfo, sgemm } from "@lib/core/kernels/blas.ts";
 * import assert from "node:assert/strict";
 * if (blasInfo().available) {
 *   const c = new Float32Array(1);
 *   sgemm(false, false, 1, 1, 2, new Float32Array([1, 2]), new Float32Array([3, 4]), c);
 *   assert.equal(c[0], 11);
 * }
 * ```
 */
export function sgemm(
  transposeA: boolean,
  transposeB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  beta = 0,
): void {
  const lib = load().lib;
  if (!lib) throw new Error(`Cannot call sgemm: ${load().reason}`);
  if (a.length < m * k || b.length < k * n || c.length < m * n) {
    throw new RangeError(
      `Cannot call sgemm as the arrays are too short for m=${m}, n=${n}, k=${k}: ` +
        `current lengths are a=${a.length}, b=${b.length}, c=${c.length}`,
    );
  }
  if (m === 0 || n === 0) return;
  lib.symbols.cblas_sgemm(
    ROW_MAJOR,
    transposeA ? TRANS : NO_TRANS,
    transposeB ? TRANS : NO_TRANS,
    m,
    n,
    k,
    1,
    a,
    transposeA ? Math.max(m, 1) : Math.max(k, 1),
    b,
    transposeB ? Math.max(k, 1) : Math.max(n, 1),
    beta,
    c,
    Math.max(n, 1),
  );
}
