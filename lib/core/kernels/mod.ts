/**
 * Kernels that complete and speed up tfjs's wasm backend for training, and native BLAS through Deno FFI.
 *
 * {@link registerWasmKernels} (called once by `lib/core/backend.ts`) registers for the wasm backend:
 *
 * | kernel | why |
 * | --- | --- |
 * | `UnsortedSegmentSum` | missing: gradient of `tf.gather` (embeddings) |
 * | `Conv2D`, `FusedConv2D` | with BLAS, im2col (C) + one sgemm per cache-sized chunk beats XNNPACK ~3× (conv2d.ts) |
 * | `Conv2DBackpropFilter` | missing: gradient of `tf.conv2d`'s filter (im2col in C + GEMM) |
 * | `Conv2DBackpropInput` | tfjs's is a direct loop ~15× slower than the forward conv (GEMM + col2im in C) |
 * | `DepthwiseConv2dNativeBackpropInput`/`Filter` | missing: `tf.depthwiseConv2d`, `tf.separableConv2d` |
 * | `BatchMatMul` | transposed/batched products ran a scalar loop; now BLAS, or XNNPACK after transposing |
 * | `Tanh` | tfjs's is scalar; now through the vectorised `Sigmoid` |
 * | `GeluParts` | ours: the exact GELU and its derivative in one pass, C with SIMD (tfjs's `Erf` is scalar and slow) |
 * | `LiandanAdamW`, `LiandanSumSquares` | ours: an AdamW update and the squares for clipping, on the heap (optim.c) |
 * | `LiandanLayerNorm`, `…Grad` | ours: layer norm forward and backward in one pass each (layer_norm.c; ~20 kernels composed) |
 * | `LiandanSplitHeads`, `LiandanMergeHeads` | ours: q, k, v of one projection cut into heads and back (heads.c; a rank-5 transpose is a scalar loop) |
 * | `LiandanAttentionSoftmax`, `LiandanSoftmaxGrad` | ours: scale, causal mask and softmax in one pass, and its gradient (softmax.c) |
 * | `MaxPoolGrad`, `AvgPoolGrad` | tfjs's search every window per input pixel (now C: conv_kernels.c) |
 * | `Sum` | reductions over leading axes (bias gradients) no longer transpose first |
 * | `Identity` | shares data instead of copying (tfjs clones ~150 tensors per GPT training step) |
 * | `GatherV2` | row gathers (embeddings) copied row by row, ~30× faster; others go to tfjs's (gather.ts) |
 * | `LiandanLstm`, `…Grad` | new, also on cpu: a whole LSTM sequence and its BPTT in one kernel each (lstm.ts) |
 * | `LiandanRnn`, `…Grad` | new, also on cpu: the same for the plain tanh RNN (lstm.ts) |
 *
 * and, for every backend, a `BatchMatMul` gradient that handles broadcast batch dimensions (`[B, T, C] · [C, N]`).
 * The wasm `BatchMatMul` broadcasts mixed batches correctly (`[1, 3, …] · [2, 1, …]`); backend.ts wraps cpu's and
 * webgpu's the same way ({@link fixBatchMatMulBroadcast}, broadcast_matmul.ts).
 * Kernels only the cpu backend has (`Einsum`, `Ragged*`) run on wasm through a copy to the cpu backend.
 *
 * matMul uses native BLAS (`libopenblas.so.0` on Linux, Accelerate on macOS) when it loads; `LIANDAN_BLAS=0` (or
 * {@link setBlasEnabled}`(false)`) turns it off, {@link blasInfo} says what is in use, `LIANDAN_BLAS_THREADS` sets
 * OpenBLAS threads (default 1).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { batchMatMulConfig } from "./batch_mat_mul.ts";
import { batchMatMulGradConfig } from "./batch_mat_mul_grad.ts";
import { conv2DConfig, fusedConv2DConfig, useOriginalConv2D } from "./conv2d.ts";
import { conv2DBackpropFilterConfig } from "./conv2d_backprop_filter.ts";
import { cpuFallbackConfigs } from "./cpu_fallback.ts";
import { conv2DBackpropInputConfig } from "./conv2d_backprop_input.ts";
import {
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
} from "./depthwise_conv2d_backprop.ts";
import { identityConfig } from "./identity.ts";
import { avgPoolGradConfig, maxPoolGradConfig } from "./pool_grad.ts";
import { sumConfig, useOriginalSum } from "./sum.ts";
import { tanhConfig } from "./tanh.ts";
import { geluPartsConfig } from "./gelu.ts";
import { adamwConfigs } from "./adamw.ts";
import { layerNormConfigs, layerNormGradConfig } from "./layer_norm.ts";
import { attentionSoftmaxGradConfig, softmaxConfigs } from "./softmax.ts";
import { headsConfigs, mergeHeadsGradConfig, splitHeadsGradConfig } from "./heads.ts";
import { unsortedSegmentSumConfig } from "./unsorted_segment_sum.ts";
import { LSTM_KERNELS, lstmGradConfig, RNN_KERNELS, rnnGradConfig } from "./lstm.ts";
import { gatherConfig, useOriginalGather } from "./gather.ts";

export * from "./blas.ts";
export { batchMatMul, type MatMulPlan, matMulStats, planMatMul } from "./batch_mat_mul.ts";
export { batchMatMulGrads } from "./batch_mat_mul_grad.ts";
export { fixBatchMatMulBroadcast, simpleBatchBroadcast } from "./broadcast_matmul.ts";
export { explainWasmError, guardWasmMemory, WASM_MAX_BYTES, WasmOutOfMemory } from "./wasm_memory.ts";
export { conv2D, fusedConv2D } from "./conv2d.ts";
export { conv2DBackpropFilter } from "./conv2d_backprop_filter.ts";
export { conv2DBackpropInput } from "./conv2d_backprop_input.ts";
export { depthwiseConv2dBackpropFilter, depthwiseConv2dBackpropInput } from "./depthwise_conv2d_backprop.ts";
export { identity } from "./identity.ts";
export { avgPoolGrad, maxPoolGrad } from "./pool_grad.ts";
export { sum } from "./sum.ts";
export { tanh } from "./tanh.ts";
export { GELU_PARTS, geluParts } from "./gelu.ts";
export { LAYER_NORM, LAYER_NORM_GRAD, layerNormBackward, layerNormForward } from "./layer_norm.ts";
export { ATTENTION_SOFTMAX, attentionSoftmax, SOFTMAX_GRAD, softmaxBackward } from "./softmax.ts";
export { MERGE_HEADS, mergeHeads, SPLIT_HEADS, splitHeads } from "./heads.ts";
export { type AdamWAttrs, fusedAdamW, hasFusedAdamW, sumOfSquares } from "./adamw.ts";
export { unsortedSegmentSum } from "./unsorted_segment_sum.ts";
export * from "./lstm.ts";
export { gather } from "./gather.ts";

/** The kernel configs {@link registerWasmKernels} installs, in order. */
export const WASM_KERNELS: readonly tf.KernelConfig[] = Object.freeze([
  unsortedSegmentSumConfig,
  conv2DConfig,
  fusedConv2DConfig,
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dBackpropInputConfig,
  depthwiseConv2dBackpropFilterConfig,
  batchMatMulConfig,
  tanhConfig,
  geluPartsConfig,
  maxPoolGradConfig,
  avgPoolGradConfig,
  sumConfig,
  identityConfig,
  gatherConfig,
  ...adamwConfigs,
  ...layerNormConfigs,
  ...softmaxConfigs,
  ...headsConfigs,
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
 * @returns The names of the kernels registered (cpu fallbacks only on the first call).
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
  useOriginalConv2D({ [tf.Conv2D]: replaced.get(tf.Conv2D), [tf.FusedConv2D]: replaced.get(tf.FusedConv2D) });
  useOriginalGather(replaced.get(tf.GatherV2));
  tf.registerGradient(batchMatMulGradConfig);
  tf.registerGradient(layerNormGradConfig);
  tf.registerGradient(attentionSoftmaxGradConfig);
  tf.registerGradient(splitHeadsGradConfig);
  tf.registerGradient(mergeHeadsGradConfig);
  LSTM_KERNELS.filter((c) => !tf.getKernel(c.kernelName, c.backendName)).forEach((c) => tf.registerKernel(c));
  tf.registerGradient(lstmGradConfig);
  RNN_KERNELS.filter((c) => !tf.getKernel(c.kernelName, c.backendName)).forEach((c) => tf.registerKernel(c));
  tf.registerGradient(rnnGradConfig);
  const fallbacks = cpuFallbackConfigs();
  fallbacks.forEach((config) => tf.registerKernel(config));
  return [...WASM_KERNELS, ...fallbacks].map((config) => config.kernelName);
}
