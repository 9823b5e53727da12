/**
 * `Conv2DBackpropInput` for the wasm backend through GEMM. tfjs-backend-wasm has this kernel, but as a direct loop
 * ~15× slower than the forward convolution, which made it the bottleneck of CNN training. Here the output
 * gradient is multiplied by the filter into patch rows (`dy · Wᵀ`) that are added back into image positions
 * (col2im, in C). With BLAS the batch goes in cache-sized chunks, `cblas_sgemm` reading `dy` and the filter in place;
 * without, each chunk is a `BatchMatMul` (XNNPACK). It is also the kernel behind `tf.conv2dTranspose`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { batchMatMul } from "./batch_mat_mul.ts";
import { blasActive, sgemm } from "./blas.ts";
import { CACHE_FLOATS, col2im, dyRows, imageChunks, patchFloats, permute, releaseRows } from "./_im2col.ts";
import { f32At, type KernelArgs, offsetOf, release, viewOf, type WasmBackend, wasmKernelConfig } from "./_wasm.ts";

/** Attributes tfjs passes to `Conv2DBackpropInput`. */
export interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  inputShape: [number, number, number, number];
}

type Info = tf.backend_util.Conv2DInfo;

/** `dx += col2im(dy · Wᵀ)` chunk by chunk with BLAS. */
function blasGradient(backend: WasmBackend, dy: tf.TensorInfo, filter: tf.TensorInfo, dx: tf.TensorInfo, info: Info) {
  const K = info.filterHeight * info.filterWidth * info.inChannels, O = info.outChannels;
  const chunks = imageChunks(info, CACHE_FLOATS);
  const pixels = info.outHeight * info.outWidth;
  const cols = backend.makeOutput([chunks[0][1] * patchFloats(info)], "float32");
  const [dyAt, wAt, colsAt] = [offsetOf(backend, dy), offsetOf(backend, filter), offsetOf(backend, cols)];
  for (const [first, count] of chunks) {
    const rows = count * pixels;
    const g = f32At(backend, dyAt + first * pixels * O * 4, rows * O); // [rows, O], in place
    sgemm(false, true, rows, K, O, g, f32At(backend, wAt, K * O), f32At(backend, colsAt, rows * K)); // [rows, K]
    col2im(backend, colsAt, offsetOf(backend, dx), first, count, info);
  }
  release(backend, cols);
}

/**
 * The `Conv2DBackpropInput` kernel function: gradient of `conv2d` with respect to its input, on the wasm heap.
 * Same values (within float rounding), shape and dtype as the cpu backend; NHWC and NCHW, any strides and padding.
 *
 * @param args Kernel arguments: inputs `dy` and `filter`, attributes as {@link Conv2DBackpropInputAttrs}.
 * @returns `dx`, shape `inputShape`.
 */
export function conv2DBackpropInput(args: KernelArgs<Conv2DBackpropInputAttrs, "dy" | "filter">): tf.TensorInfo {
  const { inputs: { filter, ...rest }, backend, attrs: { strides, pad, dataFormat, dimRoundingMode, inputShape } } =
    args;
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  const fShape = filter.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(inputShape, fShape, strides, 1, pad, dimRoundingMode, false, format);
  const nhwc = format === "channelsLast";
  const dy = nhwc ? rest.dy : permute(backend, rest.dy, [0, 2, 3, 1]); // [B, OH, OW, O]
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C } = info;
  const dx = backend.makeOutput([B, H, W, C], "float32");
  viewOf(backend, dx).fill(0);
  if (B > 0 && blasActive()) blasGradient(backend, dy, filter, dx, info);
  else {
    const w = { ...filter, shape: [info.filterHeight * info.filterWidth * C, info.outChannels] }; // [FH·FW·C, O]
    for (const [first, count] of imageChunks(info)) {
      const g = dyRows(backend, dy, first, count, info); // [rows, O]
      const cols = batchMatMul({ inputs: { a: g, b: w }, backend, attrs: { transposeA: false, transposeB: true } });
      col2im(backend, offsetOf(backend, cols), offsetOf(backend, dx), first, count, info); // cols: [rows, FH·FW·C]
      release(backend, cols);
      releaseRows(backend, g, dy);
    }
  }
  if (nhwc) return dx;
  release(backend, dy);
  const out = permute(backend, dx, [0, 3, 1, 2]);
  release(backend, dx);
  return out;
}

/** Kernel config registering {@link conv2DBackpropInput} for the wasm backend. */
export const conv2DBackpropInputConfig: tf.KernelConfig = wasmKernelConfig(tf.Conv2DBackpropInput, conv2DBackpropInput);
