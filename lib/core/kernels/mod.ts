/**
 * Kernels that complete and speed up tfjs's wasm backend for training, and native BLAS through Deno FFI.
 *
 * {@link registerWasmKernels} (called by `lib/core/backend.ts`) registers, for the wasm backend:
 * `UnsortedSegmentSum` (gradient of `tf.gather`), `Conv2DBackpropFilter` (gradient of `tf.conv2d`'s filter),
 * a GEMM-based `Conv2DBackpropInput` (tfjs's is a slow direct loop),
 * `DepthwiseConv2dNativeBackpropInput`/`Filter` (gradients of `tf.depthwiseConv2d`, `tf.separableConv2d`) and a
 * `BatchMatMul` that runs transposed and batched products on BLAS or XNNPACK instead of a scalar loop, a `Tanh`
 * through the vectorised `Sigmoid` (3× faster than tfjs's), one-pass `MaxPoolGrad` and `AvgPoolGrad`, and a `Sum`
 * that reduces leading axes without transposing.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { batchMatMulConfig } from "./batch_mat_mul.ts";
import { batchMatMulGradConfig } from "./batch_mat_mul_grad.ts";
import { conv2DBackpropFilterConfig } from "./conv2d_backprop_filter.ts";
import { conv2DBackpropInputConfig } from "./conv2d_backprop_input.ts";
import {
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
} from "./depthwise_conv2d_backprop.ts";
import { avgPoolGradConfig, maxPoolGradConfig } from "./pool_grad.ts";
import { sumConfig, useOriginalSum } from "./sum.ts";
import { tanhConfig } from "./tanh.ts";
import { unsortedSegmentSumConfig } from "./unsorted_segment_sum.ts";

export * from "./blas.ts";
export { batchMatMul, type MatMulPlan, matMulStats, planMatMul } from "./batch_mat_mul.ts";
export { batchMatMulGrads } from "./batch_mat_mul_grad.ts";
export { conv2DBackpropFilter } from "./conv2d_backprop_filter.ts";
export { conv2DBackpropInput } from "./conv2d_backprop_input.ts";
export { depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from "./depthwise_conv2d_backprop.ts";
export { avgPoolGrad, maxPoolGrad } from "./pool_grad.ts";
export { sum } from "./sum.ts";
export { tanh } from "./tanh.ts";
export { unsortedSegmentSum } from "./unsorted_segment_sum.ts";

/** The kernel configs {@link registerWasmKernels} installs, in order. */
export const WASM_KERNELS: readonly tf.KernelConfig[] = Object.freeze([
  unsortedSegmentSumConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dBackpropInputConfig,
  depthwiseConv2dBackpropFilterConfig,
  batchMatMulConfig,
  tanhConfig,
  maxPoolGradConfig,
  avgPoolGradConfig,
  sumConfig,
]);

const replaced = new Map<string, tf.KernelConfig>();

/**
 * The kernel tfjs-backend-wasm itself registered under a name before {@link registerWasmKernels} replaced it (for
 * benchmarks that compare with it).
 *
 * @param kernelName A kernel name, e.g. `"BatchMatMul"`.
 * @returns The original config, or `undefined` when tfjs had none (e.g. `UnsortedSegmentSum`) or it was not replaced.
 * @example
 * ```ts
 * import { originalWasmKernel } from "@lib/core/kernels/mod.ts";
 * import "@lib/core/backend.ts";
 * import assert from "node:assert/strict";
 * assert.ok(originalWasmKernel("BatchMatMul"));
 * assert.equal(originalWasmKernel("UnsortedSegmentSum"), undefined);
 * ```
 */
export function originalWasmKernel(kernelName: string): tf.KernelConfig | undefined {
  return replaced.get(kernelName);
}

/**
 * Registers {@link WASM_KERNELS} for the wasm backend, replacing tfjs's own kernel of the same name, and (for every
 * backend) a `BatchMatMul` gradient that handles broadcast batch dimensions such as `[B, T, C] · [C, N]`. Safe to
 * call more than once.
 *
 * @returns The names of the kernels registered.
 * @example
 * ```ts
 * import { registerWasmKernels } from "@lib/core/kernels/mod.ts";
 * import { tf } from "@lib/core/backend.ts";
 * import assert from "node:assert/strict";
 * assert.ok(registerWasmKernels().includes("UnsortedSegmentSum"));
 * assert.ok(tf.getKernel("UnsortedSegmentSum", "wasm"));
 * ```
 */
export function registerWasmKernels(): string[] {
  for (const config of WASM_KERNELS) {
    const existing = tf.getKernel(config.kernelName, "wasm");
    if (existing && existing !== config) {
      if (!WASM_KERNELS.includes(existing)) replaced.set(config.kernelName, existing);
      tf.unregisterKernel(config.kernelName, "wasm");
    }
    if (existing !== config) tf.registerKernel(config);
  }
  useOriginalSum(replaced.get(tf.Sum));
  tf.registerGradient(batchMatMulGradConfig);
  return WASM_KERNELS.map((config) => config.kernelName);
}
