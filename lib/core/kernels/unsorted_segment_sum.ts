/**
 * `UnsortedSegmentSum` for the wasm backend, which lacks it. tfjs uses it for the gradient of `tf.gather`, so
 * without it embeddings cannot train on wasm.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, viewOf, wasmKernelConfig } from "./_wasm.ts";

/**
 * Sums the rows of `x` into `numSegments` rows: `out[s] = Σ x[n]` over the `n` with `segmentIds[n] == s`; ids outside
 * `[0, numSegments)` are dropped. Same result, shape and dtype as the cpu backend, whose result is float32 even for
 * int32 `x`.
 *
 * @param args Kernel arguments: inputs `x` (float32 or int32) and `segmentIds` (int32), attribute `numSegments`.
 * @returns The float32 `[numSegments, ...x.shape.slice(1)]` tensor of sums.
 */
export function unsortedSegmentSum(args: KernelArgs<{ numSegments: number }, "x" | "segmentIds">): tf.TensorInfo {
  const { inputs: { x, segmentIds }, backend, attrs: { numSegments } } = args;
  const rows = x.shape[0] ?? 1;
  const inner = tf.util.sizeFromShape(x.shape.slice(1)); // elements per row of x
  const idsPerRow = tf.util.sizeFromShape(segmentIds.shape.slice(1));
  const perId = inner / idsPerRow; // consecutive elements of a row that share one id
  const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], "float32");
  const sums = viewOf(backend, out);
  sums.fill(0);
  const values = viewOf(backend, x);
  const ids = viewOf(backend, segmentIds);
  for (let n = 0; n < rows; n++) {
    for (let k = 0; k < idsPerRow; k++) {
      const s = ids[n * idsPerRow + k];
      if (s < 0 || s >= numSegments) continue;
      const from = n * inner + k * perId;
      const to = s * inner + k * perId;
      for (let j = 0; j < perId; j++) sums[to + j] += values[from + j];
    }
  }
  return out;
}

/** Kernel config registering {@link unsortedSegmentSum} for the wasm backend. */
export const unsortedSegmentSumConfig: tf.KernelConfig = wasmKernelConfig(tf.UnsortedSegmentSum, unsortedSegmentSum);
