/**
 * `Conv2D` and `FusedConv2D` (bias, then ReLU or nothing) for the wasm backend as one patch matrix and one GEMM per
 * cache-sized chunk of images: im2col in C, then `cblas_sgemm` writing straight into the output rows (an NHWC
 * output is the `[B·OH·OW, O]` product), then the bias and ReLU in C. On a small CNN this is about 3× faster than
 * tfjs's XNNPACK convolution, which repacks its operator when the filter changes (every training step).
 *
 * Anything this path does not cover — BLAS off or unavailable, NCHW, dilations, other activations or a
 * PReLU/leaky slope, a bias that is not `[O]` — runs tfjs's own kernel.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { blasActive, sgemm } from "./blas.ts";
import { convKernels } from "./_conv_kernels.ts";
import { CACHE_FLOATS, im2col, imageChunks, patchesAreInput, patchFloats } from "./_im2col.ts";
import { f32At, type KernelArgs, offsetOf, release, type WasmBackend, wasmKernelConfig } from "./_wasm.ts";

/** Attributes tfjs passes to `Conv2D` and `FusedConv2D` (the last two only to the fused one). */
export interface Conv2DAttrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dilations: [number, number] | number;
  dimRoundingMode?: "floor" | "round" | "ceil";
  activation?: string;
  leakyreluAlpha?: number;
}

type Inputs = "x" | "filter" | "bias" | "preluActivationWeights";

const original = new Map<string, tf.KernelConfig>();
const setUp = new WeakMap<object, Set<string>>();

/**
 * Remembers tfjs's own `Conv2D` and `FusedConv2D`, which {@link conv2D} calls for the cases it does not cover.
 *
 * @param configs The kernel configs tfjs registered, by kernel name (missing ones are ignored).
 */
export function useOriginalConv2D(configs: Record<string, tf.KernelConfig | undefined>): void {
  for (const [name, config] of Object.entries(configs)) if (config) original.set(name, config);
}

/** Runs tfjs's own kernel `name`, binding its C function first if its setup never ran on this backend. */
function runOriginal(name: string, args: KernelArgs<Conv2DAttrs, Inputs>): tf.TensorInfo {
  const config = original.get(name);
  if (!config) throw new Error(`Cannot run ${name}: tfjs-backend-wasm's own ${name} kernel was not found`);
  const done = setUp.get(args.backend.wasm) ?? new Set<string>();
  if (!done.has(name)) {
    config.setupFunc?.(args.backend as unknown as tf.KernelBackend);
    done.add(name);
    setUp.set(args.backend.wasm, done);
  }
  return (config.kernelFunc as unknown as (a: KernelArgs<Conv2DAttrs, Inputs>) => tf.TensorInfo)(args);
}

/** `out = act(patches(x) · W + bias)` chunk by chunk; `out` is `[B, OH, OW, O]`. */
function blasConv(
  backend: WasmBackend,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  bias: tf.TensorInfo | undefined,
  relu: boolean,
  out: tf.TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): void {
  const K = info.filterHeight * info.filterWidth * info.inChannels, O = info.outChannels;
  const pixels = info.outHeight * info.outWidth;
  const [xAt, wAt, outAt] = [offsetOf(backend, x), offsetOf(backend, filter), offsetOf(backend, out)];
  if (patchesAreInput(info)) { // 1×1, stride 1, no padding: x is its own patch matrix
    const rows = info.batchSize * pixels;
    sgemm(
      false,
      false,
      rows,
      O,
      K,
      f32At(backend, xAt, rows * K),
      f32At(backend, wAt, K * O),
      f32At(backend, outAt, rows * O),
    );
  } else {
    const chunks = imageChunks(info, CACHE_FLOATS);
    const cols = backend.makeOutput([chunks[0][1] * patchFloats(info)], "float32");
    const colsAt = offsetOf(backend, cols);
    for (const [first, count] of chunks) {
      const rows = count * pixels;
      im2col(backend, xAt, colsAt, first, count, info);
      const y = f32At(backend, outAt + first * pixels * O * 4, rows * O);
      sgemm(false, false, rows, O, K, f32At(backend, colsAt, rows * K), f32At(backend, wAt, K * O), y);
    }
    release(backend, cols);
  }
  if (bias || relu) {
    convKernels(backend).bias_activation(
      outAt,
      bias ? offsetOf(backend, bias) : 0,
      info.batchSize * pixels,
      O,
      relu ? 1 : 0,
    );
  }
}

/** Runs `name` (`Conv2D` or `FusedConv2D`) through im2col + BLAS when it can, else through tfjs's kernel. */
function conv(name: string, args: KernelArgs<Conv2DAttrs, Inputs>): tf.TensorInfo {
  const { inputs: { x, filter, bias, preluActivationWeights }, backend, attrs } = args;
  const activation = attrs.activation ?? "linear";
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const covered = blasActive() && attrs.dataFormat !== "NCHW" && x.dtype === "float32" &&
    info.dilationHeight === 1 && info.dilationWidth === 1 && (activation === "linear" || activation === "relu") &&
    !preluActivationWeights && (!bias || (bias.shape.length === 1 && bias.shape[0] === info.outChannels)) &&
    info.batchSize * info.outHeight * info.outWidth * info.outChannels > 0 &&
    info.filterHeight * info.filterWidth * info.inChannels > 0;
  if (!covered) return runOriginal(name, args);
  const out = backend.makeOutput(info.outShape, "float32");
  blasConv(backend, x, filter, bias, activation === "relu", out, info);
  return out;
}

/**
 * The `Conv2D` kernel function for the wasm backend (NHWC, BLAS on): im2col + GEMM; otherwise tfjs's own.
 *
 * @param args Kernel arguments: inputs `x` `[B, H, W, C]` and `filter` `[FH, FW, C, O]`, attributes as
 *   {@link Conv2DAttrs}.
 * @returns `[B, OH, OW, O]`, equal (within float rounding) to the cpu backend's.
 */
export function conv2D(args: KernelArgs<Conv2DAttrs, "x" | "filter">): tf.TensorInfo {
  return conv(tf.Conv2D, args as KernelArgs<Conv2DAttrs, Inputs>);
}

/**
 * The `FusedConv2D` kernel function for the wasm backend: {@link conv2D}, then the bias and a ReLU, fused.
 *
 * @param args Kernel arguments: inputs `x`, `filter`, optional `bias` `[O]` and `preluActivationWeights`;
 *   attributes as {@link Conv2DAttrs}.
 * @returns `[B, OH, OW, O]`.
 */
export function fusedConv2D(args: KernelArgs<Conv2DAttrs, Inputs>): tf.TensorInfo {
  return conv(tf.FusedConv2D, args);
}

/** Kernel config registering {@link conv2D} for the wasm backend. */
export const conv2DConfig: tf.KernelConfig = wasmKernelConfig(tf.Conv2D, conv2D);

/** Kernel config registering {@link fusedConv2D} for the wasm backend. */
export const fusedConv2DConfig: tf.KernelConfig = wasmKernelConfig(tf.FusedConv2D, fusedConv2D);
