/**
 * `GatherV2` for the wasm backend with a fast path for whole rows (`axis` 0, no batch dimensions): an embedding
 * lookup. tfjs-backend-wasm's kernel computes a flat index per element (about 9 ms for 2048 rows of 128 floats, a
 * quarter of a whole PyTorch LSTM training step); this copies each row with one `set`. Other gathers go to tfjs's.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, viewOf, wasmKernelConfig } from "./_wasm.ts";

/** Attributes tfjs passes to `GatherV2`. */
export interface GatherAttrs {
  axis: number;
  batchDims: number;
}

let original: tf.KernelConfig | undefined;
const setUp = new WeakSet<object>();

/**
 * Remembers tfjs's own `GatherV2` kernel, which {@link gather} calls for the gathers it does not handle itself.
 *
 * @param config The kernel config tfjs registered.
 */
export function useOriginalGather(config: tf.KernelConfig | undefined): void {
  original = config;
}

function originalGather(args: KernelArgs<GatherAttrs, "x" | "indices">): tf.TensorInfo {
  if (!original) throw new Error("Cannot run GatherV2: tfjs-backend-wasm's own GatherV2 kernel was not found");
  if (!setUp.has(args.backend.wasm)) {
    original.setupFunc?.(args.backend as unknown as tf.KernelBackend);
    setUp.add(args.backend.wasm);
  }
  return (original.kernelFunc as unknown as (a: KernelArgs<GatherAttrs, "x" | "indices">) => tf.TensorInfo)(args);
}

/**
 * The `GatherV2` kernel function: rows `x[indices]` when gathering along axis 0, else tfjs's kernel.
 *
 * @param args Kernel arguments: inputs `x` and `indices` (int32), attributes `axis` and `batchDims`.
 * @returns The gathered tensor, `[...indices.shape, ...x.shape.slice(1)]` on the fast path.
 * @throws {RangeError} When an index is outside `[0, x.shape[0])` (on the fast path).
 */
export function gather(args: KernelArgs<GatherAttrs, "x" | "indices">): tf.TensorInfo {
  const { inputs: { x, indices }, backend, attrs } = args;
  const axis = tf.util.parseAxisParam(attrs.axis, x.shape)[0];
  const fast = axis === 0 && (attrs.batchDims ?? 0) === 0 && indices.dtype === "int32" &&
    (x.dtype === "float32" || x.dtype === "int32") && x.shape.length >= 1;
  if (!fast) return originalGather(args);
  const rows = x.shape[0], width = tf.util.sizeFromShape(x.shape.slice(1));
  const idx = viewOf(backend, indices);
  for (let k = 0; k < idx.length; k++) {
    if (!(idx[k] >= 0 && idx[k] < rows)) {
      throw new RangeError(
        `Cannot gather row ${idx[k]} (at position ${k} of the indices): x has ${rows} rows, so indices must be in ` +
          `[0, ${rows - 1}]`,
      );
    }
  }
  const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
  const [src, ids, dst] = [viewOf(backend, x), viewOf(backend, indices), viewOf(backend, out)];
  if (width >= 16) {
    for (let k = 0; k < ids.length; k++) dst.set(src.subarray(ids[k] * width, (ids[k] + 1) * width), k * width);
  } else {
    for (let k = 0; k < ids.length; k++) {
      for (let j = 0, from = ids[k] * width, to = k * width; j < width; j++) dst[to + j] = src[from + j];
    }
  }
  return out;
}

/** Kernel config registering {@link gather} for the wasm backend. */
export const gatherConfig: tf.KernelConfig = wasmKernelConfig(tf.GatherV2, gather);
