/**
 * `MaxPoolGrad` and `AvgPoolGrad` for the wasm backend: tfjs-backend-wasm's own search every window per input
 * pixel, which made them the slowest kernels of a small CNN's training step. These visit each pooling window once
 * (C loops in conv_kernels.c, on the heap in place), with the cpu backend's semantics: max pooling sends each output's gradient to the first
 * maximum of its window (row-major); average pooling spreads it with weight `1 / (filterHeight · filterWidth)`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { convGeometry, convKernels } from "./_conv_kernels.ts";
import { type KernelArgs, offsetOf, wasmKernelConfig } from "./_wasm.ts";

/** Attributes tfjs passes to `MaxPoolGrad` and `AvgPoolGrad`. */
export interface PoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/**
 * The `MaxPoolGrad` kernel function (NHWC): `dx[argmax of window] += dy[window]`.
 *
 * @param args Kernel arguments: inputs `dy`, `input` (the pooled `x`) and `output`; attributes as
 *   {@link PoolGradAttrs}.
 * @returns `dx`, shaped like `input`.
 */
export function maxPoolGrad(args: KernelArgs<PoolGradAttrs, "dy" | "input" | "output">): tf.TensorInfo {
  const { inputs: { dy, input }, backend, attrs: { filterSize, strides, pad, dimRoundingMode } } = args;
  const xShape = input.shape as [number, number, number, number];
  const info = tf.backend_util.computePool2DInfo(xShape, filterSize, strides, 1, pad, dimRoundingMode);
  const out = backend.makeOutput([...xShape], "float32");
  const [x, g, dx] = [offsetOf(backend, input), offsetOf(backend, dy), offsetOf(backend, out)];
  convKernels(backend).max_pool_grad(x, g, dx, info.batchSize, ...convGeometry(info));
  return out;
}

/**
 * The `AvgPoolGrad` kernel function (NHWC): every input pixel of a window gets `dy[window] / (filterHeight ·
 * filterWidth)`, summed over the windows that contain it.
 *
 * @param args Kernel arguments: inputs `dy` and `input` (the pooled `x`); attributes as {@link PoolGradAttrs}.
 * @returns `dx`, shaped like `input`.
 */
export function avgPoolGrad(args: KernelArgs<PoolGradAttrs, "dy" | "input">): tf.TensorInfo {
  const { inputs: { dy, input }, backend, attrs: { filterSize, strides, pad, dimRoundingMode } } = args;
  const xShape = input.shape as [number, number, number, number];
  const info = tf.backend_util.computePool2DInfo(xShape, filterSize, strides, 1, pad, dimRoundingMode);
  const out = backend.makeOutput([...xShape], "float32");
  convKernels(backend).avg_pool_grad(
    offsetOf(backend, dy),
    offsetOf(backend, out),
    info.batchSize,
    ...convGeometry(info),
  );
  return out;
}

/** Kernel config registering {@link avgPoolGrad} for the wasm backend. */
export const avgPoolGradConfig: tf.KernelConfig = wasmKernelConfig(tf.AvgPoolGrad, avgPoolGrad);

/** Kernel config registering {@link maxPoolGrad} for the wasm backend. */
export const maxPoolGradConfig: tf.KernelConfig = wasmKernelConfig(tf.MaxPoolGrad, maxPoolGrad);
