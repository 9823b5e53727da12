/**
 * `Conv2DBackpropInput` for the wasm backend through GEMM. tfjs-backend-wasm has this kernel, but as a direct loop
 * ~15× slower than the forward convolution, which made it the bottleneck of CNN training. Here the output
 * gradient is multiplied by the filter into patch rows (`dy · Wᵀ`, through the fast `BatchMatMul` of this folder)
 * that are added back into image positions (col2im). It is also the kernel behind `tf.conv2dTranspose`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { batchMatMul } from "./batch_mat_mul.ts";
import { col2im, dyRows, imageChunks, permute, releaseRows } from "./_im2col.ts";
import { type KernelArgs, release, viewOf, wasmKernelConfig } from "./_wasm.ts";

/** Attributes tfjs passes to `Conv2DBackpropInput`. */
export interface Conv2DBackpropInputAttrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  inputShape: [number, number, number, number];
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
  const w = { ...filter, shape: [info.filterHeight * info.filterWidth * C, info.outChannels] }; // [FH·FW·C, O]
  for (const [first, count] of imageChunks(info)) {
    const g = dyRows(backend, dy, first, count, info); // [rows, O]
    const cols = batchMatMul({ inputs: { a: g, b: w }, backend, attrs: { transposeA: false, transposeB: true } });
    col2im(backend, cols, dx, first, count, info); // cols: [rows, FH·FW·C]
    release(backend, cols);
    releaseRows(backend, g, dy);
  }
  if (nhwc) return dx;
  release(backend, dy);
  const out = permute(backend, dx, [0, 3, 1, 2]);
  release(backend, dx);
  return out;
}

/** Kernel config registering {@link conv2DBackpropInput} for the wasm backend. */
export const conv2DBackpropInputConfig: tf.KernelConfig = wasmKernelConfig(tf.Conv2DBackpropInput, conv2DBackpropInput);
