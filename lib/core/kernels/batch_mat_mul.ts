/**
 * `BatchMatMul` for the wasm backend without its scalar loop. tfjs-backend-wasm sends only non-transposed,
 * unbatched products to XNNPACK; everything else (every matMul inside a gradient, attention's batched products)
 * ran a scalar triple loop at ~3 GFLOP/s. This kernel sends every case to a fast path:
 *
 * - native BLAS (`cblas_sgemm` on the wasm heap, transposes and batches handled in place), when loaded;
 * - otherwise XNNPACK through the backend's own 2-D entry point, after materialising transposes with the wasm
 *   `Transpose` kernel, looping over the batch (or folding a broadcast right operand into one 2-D product).
 *
 * @module
 */
import { broadcastSafe } from "./broadcast_matmul.ts";
import * as tf from "@tensorflow/tfjs-core";
import { blasActive, sgemm } from "./blas.ts";
import {
  f32At,
  idOf,
  type KernelArgs,
  offsetOf,
  release,
  runWasmKernel,
  viewOf,
  type WasmBackend,
  wasmKernelConfig,
} from "./_wasm.ts";

/** Sizes of one batched product `out[i] = op(a[i % batchA]) · op(b[i % batchB])`. */
export interface MatMulPlan {
  batch: number;
  batchA: number;
  batchB: number;
  m: number;
  n: number;
  k: number;
  transposeA: boolean;
  transposeB: boolean;
  outShape: number[];
}

/**
 * Works out the sizes of `matMul(a, b, transposeA, transposeB)` the way tfjs does (batch dimensions broadcast).
 *
 * @param aShape Shape of `a`, rank ≥ 2.
 * @param bShape Shape of `b`, rank ≥ 2.
 * @param transposeA Whether `a`'s last two dimensions are swapped.
 * @param transposeB Whether `b`'s last two dimensions are swapped.
 * @returns The plan.
 * @throws {Error} When the inner dimensions differ (tfjs's own message).
 * @example
 * ```ts
 * import { planMatMul } from "@lib/core/kernels/batch_mat_mul.ts";
 * import assert from "node:assert/strict";
 * const plan = planMatMul([48, 64, 32], [48, 64, 32], false, true);
 * assert.deepEqual([plan.batch, plan.m, plan.n, plan.k], [48, 64, 64, 32]);
 * ```
 */
export function planMatMul(
  aShape: number[],
  bShape: number[],
  transposeA: boolean,
  transposeB: boolean,
): MatMulPlan {
  const [ra, rb] = [aShape.length, bShape.length];
  const innerA = transposeA ? aShape[ra - 2] : aShape[ra - 1];
  const innerB = transposeB ? bShape[rb - 1] : bShape[rb - 2];
  const m = transposeA ? aShape[ra - 1] : aShape[ra - 2];
  const n = transposeB ? bShape[rb - 2] : bShape[rb - 1];
  tf.util.assert(
    innerA === innerB,
    () =>
      `Error in matMul: inner shapes (${innerA}) and (${innerB}) of Tensors with shapes ${aShape} and ${bShape} ` +
      `and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
  );
  const outer = tf.broadcast_util.assertAndGetBroadcastShape(aShape.slice(0, -2), bShape.slice(0, -2));
  const batchA = tf.util.sizeFromShape(aShape.slice(0, -2));
  const batchB = tf.util.sizeFromShape(bShape.slice(0, -2));
  const batch = tf.util.sizeFromShape(outer);
  return { batch, batchA, batchB, m, n, k: innerA, transposeA, transposeB, outShape: [...outer, m, n] };
}

const stats = { blas: 0, xnn: 0 };

/**
 * Counts the 2-D products the `BatchMatMul` kernel has sent to each path since start-up (a batched product counts
 * once per batch entry, or once when its batch was folded into the rows of a single product). There is no third
 * path: tfjs's scalar loop is never used.
 *
 * @returns `{blas, xnn}` counts.
 * @example
 * ```ts
 * import { matMulStats } from "@lib/core/kernels/batch_mat_mul.ts";
 * import { tf } from "@lib/core/backend.ts";
 * import assert from "node:assert/strict";
 * const before = matMulStats();
 * tf.tidy(() => tf.matMul(tf.ones([2, 3, 4]), tf.ones([2, 5, 4]), false, true));
 * const after = matMulStats();
 * if (tf.getBackend() === "wasm") assert.equal(after.blas + after.xnn - before.blas - before.xnn, 2);
 * ```
 */
export function matMulStats(): { blas: number; xnn: number } {
  return { ...stats };
}

/** `out = a · b` with BLAS, reading and writing the wasm heap in place. */
function blasMatMul(backend: WasmBackend, p: MatMulPlan, a: number, b: number, out: number): void {
  const { m, n, k } = p;
  if (p.batchB === 1 && !p.transposeA && p.batchA === p.batch) { // fold the batch into the rows of one product
    const rows = p.batch * m;
    const [ab, bb, outb] = [f32At(backend, a, rows * k), f32At(backend, b, k * n), f32At(backend, out, rows * n)];
    stats.blas++;
    sgemm(false, p.transposeB, rows, n, k, ab, bb, outb);
    return;
  }
  stats.blas += p.batch;
  for (let i = 0; i < p.batch; i++) {
    const ai = f32At(backend, a + (i % p.batchA) * m * k * 4, m * k);
    const bi = f32At(backend, b + (i % p.batchB) * k * n * 4, k * n);
    sgemm(p.transposeA, p.transposeB, m, n, k, ai, bi, f32At(backend, out + i * m * n * 4, m * n));
  }
}

type XnnMatMul = (
  aId: number,
  aShape: Uint8Array,
  aRank: number,
  bId: number,
  bShape: Uint8Array,
  bRank: number,
  ta: number,
  tb: number,
  outId: number,
) => void;
const xnnEntry = new WeakMap<object, XnnMatMul>();

/** The backend's C entry point `BatchMatMul`; with batch 1 and no transposes it runs XNNPACK. */
function xnn(backend: WasmBackend): XnnMatMul {
  let f = xnnEntry.get(backend.wasm);
  if (!f) {
    const types = ["number", "array", "number", "number", "array", "number", "number", "number", "number"];
    f = backend.wasm.cwrap("BatchMatMul", null, types) as unknown as XnnMatMul;
    xnnEntry.set(backend.wasm, f);
  }
  return f;
}

const shapeBytes = (...dims: number[]) => new Uint8Array(new Int32Array(dims).buffer);

/** Registers a temporary wasm tensor id for `size` floats at `offset`; undo with `wasm.tfjs.disposeData(id)`. */
function viewId(backend: WasmBackend, offset: number, size: number): number {
  const id = backend.dataIdNextNumber++;
  backend.wasm.tfjs.registerTensor(id, size, offset);
  return id;
}

/** `out[i] = a[i] · b[i]` for non-transposed row-major operands, with XNNPACK, one 2-D product per batch entry. */
function xnnMatMul(backend: WasmBackend, p: MatMulPlan, a: tf.TensorInfo, b: tf.TensorInfo, out: tf.TensorInfo): void {
  const { m, n, k } = p;
  const run = xnn(backend);
  const product = (aId: number, rows: number, bId: number, outId: number) =>
    // out[rows, n] = a[rows, k] · b[k, n]
    run(aId, shapeBytes(1, rows, k), 3, bId, shapeBytes(1, k, n), 3, 0, 0, outId);
  if (p.batchB === 1 && p.batchA === p.batch) { // one product; b keeps its id, so XNNPACK's packed weights are reused
    stats.xnn++;
    product(idOf(backend, a), p.batch * m, idOf(backend, b), idOf(backend, out));
    return;
  }
  stats.xnn += p.batch;
  const [aBase, bBase, outBase] = [offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out)];
  for (let i = 0; i < p.batch; i++) {
    const temporary: number[] = [];
    const view = (offset: number, size: number) => (temporary.push(viewId(backend, offset, size)), temporary.at(-1)!);
    const aId = p.batchA === 1 ? idOf(backend, a) : view(aBase + (i % p.batchA) * m * k * 4, m * k);
    const bId = p.batchB === 1 ? idOf(backend, b) : view(bBase + (i % p.batchB) * k * n * 4, k * n);
    product(aId, m, bId, view(outBase + i * m * n * 4, m * n));
    for (const id of temporary) backend.wasm.tfjs.disposeData(id); // also drops XNNPACK's operator cached on the id
  }
}

/** Swaps the last two dimensions of a `[batch, rows, cols]` operand with the wasm `Transpose` kernel. */
function transposed(backend: WasmBackend, x: tf.TensorInfo, batch: number, rows: number, cols: number): tf.TensorInfo {
  const x3 = { dataId: x.dataId, shape: [batch, rows, cols], dtype: x.dtype };
  return runWasmKernel("Transpose", backend, { x: x3 }, { perm: [0, 2, 1] });
}

/** The pure-wasm path: materialise transposes, then XNNPACK. */
function wasmMatMul(backend: WasmBackend, p: MatMulPlan, a: tf.TensorInfo, b: tf.TensorInfo, out: tf.TensorInfo): void {
  const at = p.transposeA ? transposed(backend, a, p.batchA, p.k, p.m) : a; // [batchA, m, k]
  const bt = p.transposeB ? transposed(backend, b, p.batchB, p.n, p.k) : b; // [batchB, k, n]
  xnnMatMul(backend, p, at, bt, out);
  if (at !== a) release(backend, at);
  if (bt !== b) release(backend, bt);
}

/** int32 products (rare, small): a plain loop with the cpu backend's arithmetic (float64 sums, int32 wrap). */
function intMatMul(backend: WasmBackend, p: MatMulPlan, a: tf.TensorInfo, b: tf.TensorInfo): tf.TensorInfo {
  const { m, n, k } = p;
  const out = backend.makeOutput(p.outShape, "int32");
  const [x, y, z] = [viewOf(backend, a), viewOf(backend, b), viewOf(backend, out)];
  const [aRow, aCol] = p.transposeA ? [1, m] : [k, 1]; // strides of op(a)[i, l]
  const [bRow, bCol] = p.transposeB ? [1, k] : [n, 1]; // strides of op(b)[l, j]
  for (let t = 0; t < p.batch; t++) {
    const [ao, bo] = [(t % p.batchA) * m * k, (t % p.batchB) * k * n];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let l = 0; l < k; l++) sum += x[ao + i * aRow + l * aCol] * y[bo + l * bRow + j * bCol];
        z[(t * m + i) * n + j] = sum;
      }
    }
  }
  return out;
}

/**
 * The `BatchMatMul` kernel function: `tf.matMul(a, b, transposeA, transposeB)` on the wasm backend, through BLAS
 * when {@link blasActive} and through XNNPACK otherwise. Same output shape and values (within float rounding) as
 * the cpu backend.
 *
 * @param args Kernel arguments: inputs `a` and `b` (both float32, or both int32 like on cpu), attributes
 *   `transposeA` and `transposeB`.
 * @returns The product, shape `[...broadcast batch dims, m, n]`.
 * @throws {Error} For mismatched inner dimensions (tfjs's message); {@link TypeError} for other dtypes.
 */
export function batchMatMul(args: KernelArgs<{ transposeA: boolean; transposeB: boolean }, "a" | "b">): tf.TensorInfo {
  const { inputs: { a, b }, backend, attrs } = args;
  const p = planMatMul(a.shape, b.shape, attrs.transposeA, attrs.transposeB);
  if (a.dtype === "int32" && b.dtype === "int32") return intMatMul(backend, p, a, b);
  if (a.dtype !== "float32" || b.dtype !== "float32") {
    throw new TypeError(`Cannot multiply matrices of dtypes ${a.dtype} and ${b.dtype}: use float32 or int32 for both`);
  }
  const out = backend.makeOutput([p.batch, p.m, p.n], "float32");
  const size = p.batch * p.m * p.n;
  if (p.k === 0) f32At(backend, offsetOf(backend, out), size).fill(0);
  else if (size > 0) {
    if (blasActive()) blasMatMul(backend, p, offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out));
    else wasmMatMul(backend, p, a, b, out);
  }
  return { dataId: out.dataId, shape: p.outShape, dtype: "float32" };
}

/** Kernel config registering {@link batchMatMul} for the wasm backend (mixed broadcast batches tiled first). */
export const batchMatMulConfig: tf.KernelConfig = wasmKernelConfig(tf.BatchMatMul, broadcastSafe("wasm", batchMatMul));
