/**
 * `DepthwiseConv2dNativeBackpropInput` and `DepthwiseConv2dNativeBackpropFilter` for the wasm backend, which lacks
 * them (so `tf.depthwiseConv2d`, `tf.separableConv2d` and tfjs-layers' separable/depthwise layers could not train
 * on wasm). Direct loops over the wasm heap: depthwise convolutions are cheap (no sum over input channels).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, viewOf, type WasmBackend, wasmKernelConfig } from "./_wasm.ts";

/** Attributes tfjs passes to both depthwise backprop kernels (`inputShape` or `filterShape` as appropriate). */
export interface DepthwiseBackpropAttrs {
  strides: [number, number] | number;
  dilations: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
  inputShape?: [number, number, number, number];
  filterShape?: [number, number, number, number];
}

/**
 * Calls `visit(xIndex, dyIndex, filterIndex)` for every (input pixel channel, output pixel channel, weight) triple
 * the NHWC depthwise convolution multiplies together; the indices are flat offsets into x, dy and the filter.
 */
function eachProduct(info: tf.backend_util.Conv2DInfo, visit: (x: number, dy: number, w: number) => void): void {
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const multiplier = info.outChannels / C;
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        const dyPixel = ((b * OH + i) * OW + j) * C * multiplier;
        for (let fh = 0; fh < info.filterHeight; fh++) {
          const h = i * info.strideHeight - info.padInfo.top + fh * info.dilationHeight;
          if (h < 0 || h >= H) continue;
          for (let fw = 0; fw < info.filterWidth; fw++) {
            const w = j * info.strideWidth - info.padInfo.left + fw * info.dilationWidth;
            if (w < 0 || w >= W) continue;
            const xPixel = ((b * H + h) * W + w) * C;
            const tap = (fh * info.filterWidth + fw) * C * multiplier;
            for (let c = 0; c < C; c++) {
              for (let q = 0; q < multiplier; q++) {
                visit(xPixel + c, dyPixel + c * multiplier + q, tap + c * multiplier + q);
              }
            }
          }
        }
      }
    }
  }
}

/** Makes a zero-filled float32 output. */
function zeros(backend: WasmBackend, shape: number[]): tf.TensorInfo {
  const out = backend.makeOutput(shape, "float32");
  viewOf(backend, out).fill(0);
  return out;
}

/** Conv info of an NHWC depthwise convolution. */
function depthwiseInfo(
  xShape: number[],
  filterShape: number[],
  attrs: DepthwiseBackpropAttrs,
): tf.backend_util.Conv2DInfo {
  const [x4, f4] = [xShape as [number, number, number, number], filterShape as [number, number, number, number]];
  return tf.backend_util.computeConv2DInfo(
    x4,
    f4,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
}

/**
 * Gradient of an NHWC `depthwiseConv2d` with respect to its input. Same values, shape and dtype as the cpu backend.
 *
 * @param args Kernel arguments: inputs `dy` and `filter`, attributes with `inputShape`.
 * @returns `dx`, shape `inputShape`.
 */
export function depthwiseConv2dBackpropInput(args: KernelArgs<DepthwiseBackpropAttrs, "dy" | "filter">): tf.TensorInfo {
  const { inputs: { dy, filter }, backend, attrs } = args;
  const info = depthwiseInfo(attrs.inputShape!, filter.shape, attrs);
  const out = zeros(backend, info.inShape);
  const [dx, g, w] = [viewOf(backend, out), viewOf(backend, dy), viewOf(backend, filter)];
  eachProduct(info, (x, y, k) => dx[x] += g[y] * w[k]);
  return out;
}

/**
 * Gradient of an NHWC `depthwiseConv2d` with respect to its filter. Same values, shape and dtype as the cpu backend.
 *
 * @param args Kernel arguments: inputs `x` and `dy`, attributes with `filterShape`.
 * @returns `dW`, shape `filterShape`.
 */
export function depthwiseConv2dBackpropFilter(args: KernelArgs<DepthwiseBackpropAttrs, "x" | "dy">): tf.TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  const info = depthwiseInfo(x.shape, attrs.filterShape!, attrs);
  const out = zeros(backend, info.filterShape);
  const [dw, g, v] = [viewOf(backend, out), viewOf(backend, dy), viewOf(backend, x)];
  eachProduct(info, (i, y, k) => dw[k] += v[i] * g[y]);
  return out;
}

/** Kernel config registering {@link depthwiseConv2dBackpropInput} for the wasm backend. */
export const depthwiseConv2dBackpropInputConfig: tf.KernelConfig = wasmKernelConfig(
  tf.DepthwiseConv2dNativeBackpropInput,
  depthwiseConv2dBackpropInput,
);

/** Kernel config registering {@link depthwiseConv2dBackpropFilter} for the wasm backend. */
export const depthwiseConv2dBackpropFilterConfig: tf.KernelConfig = wasmKernelConfig(
  tf.DepthwiseConv2dNativeBackpropFilter,
  depthwiseConv2dBackpropFilter,
);
