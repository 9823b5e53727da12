/**
 * Correct batch broadcasting for `BatchMatMul` on every backend.
 *
 * tfjs's kernels (cpu and webgpu in 4.22, and the wasm kernel of this folder, which follows cpu's indexing) pair batch
 * entry `i` of the product with entries `i % batchA` and `i % batchB` of the operands. That is right when each operand's
 * batch is 1 or the whole batch, and wrong otherwise: `[1, 3, 5, 7] · [2, 1, 7, 4]` gives a wrong product on cpu and
 * wasm and an error on webgpu. {@link fixBatchMatMulBroadcast} wraps a backend's kernel so that such products tile both
 * operands to the full batch first (with the backend's own `Tile`); every other product goes to the kernel unchanged.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

type KernelFn = (
  args: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs: Record<string, unknown> },
) => tf.TensorInfo;

const WRAPPED = Symbol("liandan.broadcastFix");

/**
 * Whether pairing batch entry `i` with `i % batchA` and `i % batchB` is right: each operand's batch is 1 or all of it.
 *
 * @param aShape Shape of the left operand (rank ≥ 2).
 * @param bShape Shape of the right operand (rank ≥ 2).
 * @returns True when a kernel may take the operands as they are.
 * @example
 * ```ts
 * import { simpleBatchBroadcast } from "@lib/core/kernels/broadcast_matmul.ts";
 * import assert from "node:assert/strict";
 * assert.ok(simpleBatchBroadcast([2, 4, 16, 8], [8, 16])); // a linear layer
 * assert.ok(!simpleBatchBroadcast([1, 3, 5, 7], [2, 1, 7, 4]));
 * ```
 */
export function simpleBatchBroadcast(aShape: number[], bShape: number[]): boolean {
  const [ba, bb] = [aShape.slice(0, -2), bShape.slice(0, -2)];
  const batch = tf.util.sizeFromShape(tf.broadcast_util.assertAndGetBroadcastShape(ba, bb));
  return [tf.util.sizeFromShape(ba), tf.util.sizeFromShape(bb)].every((n) => n === 1 || n === batch);
}

/**
 * A `BatchMatMul` kernel function that tiles mixed broadcast batches before calling `inner` (see the module doc).
 *
 * @param backendName The backend whose `Tile` kernel to use.
 * @param inner The kernel function to wrap.
 * @returns The wrapped kernel function.
 */
export function broadcastSafe<F>(backendName: string, inner: F): F {
  const run = inner as unknown as KernelFn;
  const wrapped: KernelFn = (args) => {
    const { a, b } = args.inputs;
    if (simpleBatchBroadcast(a.shape, b.shape)) return run(args);
    const tile = tf.getKernel(tf.Tile, backendName)!.kernelFunc as unknown as KernelFn;
    const outer = tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const full = (x: tf.TensorInfo): tf.TensorInfo => {
      const shape = [...Array(outer.length + 2 - x.shape.length).fill(1), ...x.shape]; // the output's rank
      const reps = [...outer.map((n, i) => n / shape[i]), 1, 1];
      return tile({ inputs: { x: { ...x, shape } }, backend: args.backend, attrs: { reps } });
    };
    const [fa, fb] = [full(a), full(b)];
    try {
      return run({ ...args, inputs: { a: fa, b: fb } });
    } finally {
      const backend = args.backend as { disposeData(id: unknown): void };
      backend.disposeData(fa.dataId);
      backend.disposeData(fb.dataId);
    }
  };
  (wrapped as unknown as Record<symbol, boolean>)[WRAPPED] = true;
  return wrapped as unknown as F;
}

/**
 * Wraps the `BatchMatMul` kernel registered for `backendName` with {@link broadcastSafe} (idempotent: a wrapped
 * kernel is left alone, a kernel registered again later is wrapped again).
 *
 * @param backendName A backend whose `BatchMatMul` and `Tile` kernels are registered.
 * @throws {Error} When the backend has no `BatchMatMul` kernel.
 */
export function fixBatchMatMulBroadcast(backendName: string): void {
  const config = tf.getKernel(tf.BatchMatMul, backendName);
  if (!config) throw new Error(`Cannot fix BatchMatMul on ${backendName}: the backend has no such kernel`);
  if ((config.kernelFunc as unknown as Record<symbol, boolean>)[WRAPPED]) return;
  tf.unregisterKernel(tf.BatchMatMul, backendName);
  tf.registerKernel({ ...config, kernelFunc: broadcastSafe(backendName, config.kernelFunc) });
}
