/**
 * `Sum` for the wasm backend with a fast path for reductions over leading axes (`[N, C]` → `[C]`), the shape of
 * every bias and LayerNorm gradient. tfjs-backend-wasm's `Sum` only reduces innermost axes, so it first transposes
 * the whole tensor; this adds the rows directly (in float64). Other reductions go to tfjs's kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, viewOf, type WasmBackend, wasmKernelConfig } from "./_wasm.ts";

/** Attributes tfjs passes to `Sum`. */
export interface SumAttrs {
  axis: number | number[];
  keepDims: boolean;
}

let original: tf.KernelConfig | undefined;
const setUp = new WeakSet<object>();

/**
 * Remembers tfjs's own `Sum` kernel, which {@link sum} calls for reductions it does not handle itself.
 *
 * @param config The kernel config tfjs registered.
 */
export function useOriginalSum(config: tf.KernelConfig | undefined): void {
  original = config;
}

/** Runs tfjs's `Sum`, binding its C function first if its setup never ran on this backend. */
function originalSum(args: KernelArgs<SumAttrs, "x">): tf.TensorInfo {
  if (!original) throw new Error("Cannot run Sum: tfjs-backend-wasm's own Sum kernel was not found");
  if (!setUp.has(args.backend.wasm)) {
    original.setupFunc?.(args.backend as unknown as tf.KernelBackend);
    setUp.add(args.backend.wasm);
  }
  return (original.kernelFunc as unknown as (a: KernelArgs<SumAttrs, "x">) => tf.TensorInfo)(args);
}

/** Sums the first `lead` axes of float32 `x` into a new tensor of shape `outShape`. */
function sumLeading(backend: WasmBackend, x: tf.TensorInfo, lead: number, outShape: number[]): tf.TensorInfo {
  const cols = tf.util.sizeFromShape(x.shape.slice(lead));
  const rows = tf.util.sizeFromShape(x.shape.slice(0, lead));
  const acc = new Float64Array(cols);
  const out = backend.makeOutput(outShape, "float32");
  const [src, dst] = [viewOf(backend, x), viewOf(backend, out)];
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) acc[c] += src[base + c];
  }
  dst.set(acc);
  return out;
}

/**
 * The `Sum` kernel function. Same shape, dtype and values (within float rounding) as the cpu backend.
 *
 * @param args Kernel arguments: input `x`, attributes `axis` and `keepDims`.
 * @returns The sums.
 */
export function sum(args: KernelArgs<SumAttrs, "x">): tf.TensorInfo {
  const { inputs: { x }, backend, attrs: { axis, keepDims } } = args;
  const axes = tf.util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  const leading = axes.every((a, i) => a === i) && axes.length > 0 && axes.length < x.shape.length;
  if (x.dtype !== "float32" || !leading) return originalSum(args);
  const kept = keepDims ? axes.map(() => 1) : [];
  return sumLeading(backend, x, axes.length, [...kept, ...x.shape.slice(axes.length)]);
}

/** Kernel config registering {@link sum} for the wasm backend. */
export const sumConfig: tf.KernelConfig = wasmKernelConfig(tf.Sum, sum);
