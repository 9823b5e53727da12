/**
 * `MaxPoolGrad` and `AvgPoolGrad` for the wasm backend: tfjs-backend-wasm's own search every window per input
 * pixel, which made them the slowest kernels of a small CNN's training step. These visit each pooling window once,
 * all channels together, with the cpu backend's semantics: max pooling sends each output's gradient to the first
 * maximum of its window (row-major); average pooling spreads it with weight `1 / (filterHeight · filterWidth)`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, viewOf, wasmKernelConfig } from "./_wasm.ts";

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
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const out = backend.makeOutput([...xShape], "float32");
  const [dx, x, g] = [viewOf(backend, out), viewOf(backend, input), viewOf(backend, dy)];
  dx.fill(0);
  const [best, at] = [new Float64Array(C), new Int32Array(C)];
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < OH; i++) {
      const h0 = i * info.strideHeight - info.padInfo.top;
      const [hMin, hMax] = [Math.max(0, h0), Math.min(H, h0 + info.filterHeight)];
      for (let j = 0; j < OW; j++) {
        const w0 = j * info.strideWidth - info.padInfo.left;
        const [wMin, wMax] = [Math.max(0, w0), Math.min(W, w0 + info.filterWidth)];
        best.fill(-Infinity);
        at.fill(-1);
        for (let h = hMin; h < hMax; h++) {
          for (let w = wMin; w < wMax; w++) {
            const base = ((b * H + h) * W + w) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c];
              if (v > best[c]) {
                best[c] = v;
                at[c] = base + c;
              }
            }
          }
        }
        const gBase = ((b * OH + i) * OW + j) * C;
        for (let c = 0; c < C; c++) if (at[c] >= 0) dx[at[c]] += g[gBase + c];
      }
    }
  }
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
  const { batchSize, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  const out = backend.makeOutput([...xShape], "float32");
  const [dx, g] = [viewOf(backend, out), viewOf(backend, dy)];
  dx.fill(0);
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < OH; i++) {
      const h0 = i * info.strideHeight - info.padInfo.top;
      for (let j = 0; j < OW; j++) {
        const w0 = j * info.strideWidth - info.padInfo.left;
        const gBase = ((b * OH + i) * OW + j) * C;
        for (let h = Math.max(0, h0); h < Math.min(H, h0 + info.filterHeight); h++) {
          for (let w = Math.max(0, w0); w < Math.min(W, w0 + info.filterWidth); w++) {
            const base = ((b * H + h) * W + w) * C;
            for (let c = 0; c < C; c++) dx[base + c] += g[gBase + c];
          }
        }
      }
    }
  }
  const scale = 1 / (info.filterHeight * info.filterWidth);
  for (let k = 0; k < dx.length; k++) dx[k] *= scale;
  return out;
}

/** Kernel config registering {@link avgPoolGrad} for the wasm backend. */
export const avgPoolGradConfig: tf.KernelConfig = wasmKernelConfig(tf.AvgPoolGrad, avgPoolGrad);

/** Kernel config registering {@link maxPoolGrad} for the wasm backend. */
export const maxPoolGradConfig: tf.KernelConfig = wasmKernelConfig(tf.MaxPoolGrad, maxPoolGrad);
