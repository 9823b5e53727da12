/**
 * `MaxPoolGrad` for the wasm backend: tfjs-backend-wasm's own is a per-pixel search that made it the slowest kernel
 * of a small CNN's training step. This one scans each pooling window once, all channels together, and sends each
 * output's gradient to the first maximum of its window (row-major), exactly as the cpu backend does.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, viewOf } from "./_wasm.ts";

/** Attributes tfjs passes to `MaxPoolGrad`. */
export interface MaxPoolGradAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

/**
 * The `MaxPoolGrad` kernel function (NHWC): `dx[argmax of window] += dy[window]`.
 *
 * @param args Kernel arguments: inputs `dy`, `input` (the pooled `x`) and `output`; attributes as
 *   {@link MaxPoolGradAttrs}.
 * @returns `dx`, shaped like `input`.
 */
export function maxPoolGrad(args: KernelArgs<MaxPoolGradAttrs, "dy" | "input" | "output">): tf.TensorInfo {
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

/** Kernel config registering {@link maxPoolGrad} for the wasm backend. */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: "wasm",
  kernelFunc: maxPoolGrad as unknown as tf.KernelFunc,
};
