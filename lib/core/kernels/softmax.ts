/**
 * The softmax of attention in one pass forward and one backward: the kernels `LiandanAttentionSoftmax` (raw scores
 * `s = q·kᵀ` → weights `p`, with the `1/√d` scale and the causal mask applied inside) and `LiandanSoftmaxGrad`
 * (`p`, `dp` → the scores' gradient `ds`, scale included) for the wasm backend, in C with SIMD (softmax.c). Composed
 * from tfjs ops the same two steps take seven kernels and as many passes over `[B, H, T, T]`. Other backends compose
 * the same maths ({@link attentionSoftmax}, {@link softmaxBackward}).
 *
 * Forward: `p[i, j] = softmax_j(scale·s[i, j])` over the keys query i may see — all of them, or with a causal offset
 * `o ≥ 0`, keys `j ≤ i + o` (o = Tk − Tq: queries are the last Tq positions); masked weights are exactly 0.
 * Backward: `ds = scale·p·(dp − Σ_j dp·p)`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, offsetOf, wasmExportsOn, wasmKernelConfig } from "./_wasm.ts";
import { SOFTMAX_WASM } from "./_softmax_wasm.ts";

/** The exports of softmax.c; pointers are byte offsets in the backend's heap. */
interface SoftmaxKernels {
  attention_softmax(s: number, p: number, mats: number, tq: number, tk: number, scale: number, causal: number): void;
  softmax_backward(p: number, dp: number, ds: number, rows: number, cols: number, scale: number): void;
}

/** Name of the forward kernel. */
export const ATTENTION_SOFTMAX = "LiandanAttentionSoftmax";
/** Name of the backward kernel. */
export const SOFTMAX_GRAD = "LiandanSoftmaxGrad";

/** Attributes of the forward kernel. */
export interface AttentionSoftmaxAttrs {
  /** Multiplies the scores first (`1/√d`). */
  scale: number;
  /** Causal offset `o` (query i sees keys `j ≤ i + o`), or −1 for no mask. */
  causal: number;
}

function kernels(backend: KernelArgs["backend"]): SoftmaxKernels {
  return wasmExportsOn(backend, SOFTMAX_WASM) as unknown as SoftmaxKernels;
}

/** The `LiandanAttentionSoftmax` kernel function: `s [..., Tq, Tk]` → `p`, same shape. */
export function attentionSoftmaxKernel(args: KernelArgs<AttentionSoftmaxAttrs, "s">): tf.TensorInfo {
  const { inputs: { s }, backend, attrs: { scale, causal } } = args;
  const r = s.shape.length, tq = s.shape[r - 2], tk = s.shape[r - 1];
  const mats = s.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const p = backend.makeOutput(s.shape, "float32");
  kernels(backend).attention_softmax(offsetOf(backend, s), offsetOf(backend, p), mats, tq, tk, scale, causal);
  return p;
}

/** The `LiandanSoftmaxGrad` kernel function: `p`, `dp` of the same shape → `ds`. */
export function softmaxGradKernel(args: KernelArgs<{ scale: number }, "p" | "dp">): tf.TensorInfo {
  const { inputs: { p, dp }, backend, attrs: { scale } } = args;
  const cols = p.shape[p.shape.length - 1], rows = p.shape.reduce((a, b) => a * b, 1) / cols;
  const ds = backend.makeOutput(p.shape, "float32");
  kernels(backend).softmax_backward(
    offsetOf(backend, p),
    offsetOf(backend, dp),
    offsetOf(backend, ds),
    rows,
    cols,
    scale,
  );
  return ds;
}

/** Kernel configs registering both for the wasm backend. */
export const softmaxConfigs: readonly tf.KernelConfig[] = Object.freeze([
  wasmKernelConfig(ATTENTION_SOFTMAX, attentionSoftmaxKernel),
  wasmKernelConfig(SOFTMAX_GRAD, softmaxGradKernel),
]);

/** The gradient of {@link ATTENTION_SOFTMAX} (so that autodiff through {@link attentionSoftmax} works on wasm too). */
export const attentionSoftmaxGradConfig: tf.GradConfig = {
  kernelName: ATTENTION_SOFTMAX,
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const { scale } = attrs as unknown as AttentionSoftmaxAttrs;
    return { s: () => softmaxBackward(saved[0], dy as tf.Tensor, scale) };
  },
};

/**
 * Attention weights from raw scores: `softmax(scale·s)` over the last axis, with an optional causal mask (one kernel
 * on wasm).
 *
 * @param s Scores `[..., Tq, Tk]` (float32), e.g. `q·kᵀ`.
 * @param scale Multiplies the scores first, e.g. `1/√d`.
 * @param causal Whether query i (of the last Tq positions) sees only keys up to its own position.
 * @returns Weights of s's shape; each row sums to 1, masked weights are 0.
 * @throws {RangeError} When s has rank < 2, or causal with more queries than keys.
 * @example
 * ```ts
 * import { attentionSoftmax } from "@lib/core/kernels/softmax.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const p = attentionSoftmax(tf.zeros([2, 2]), 1, true).arraySync() as number[][];
 * assert.deepEqual(p, [[1, 0], [0.5, 0.5]]);
 * ```
 */
export function attentionSoftmax(s: tf.Tensor, scale: number, causal: boolean): tf.Tensor {
  if (s.rank < 2) {
    throw new RangeError(`Cannot take the attention softmax of a tensor of rank ${s.rank}: it needs [..., Tq, Tk]`);
  }
  const [tq, tk] = s.shape.slice(-2);
  if (causal && tq > tk) {
    throw new RangeError(`Cannot apply a causal mask with more queries (${tq}) than keys (${tk})`);
  }
  const offset = causal ? tk - tq : -1;
  if (tf.getKernel(ATTENTION_SOFTMAX, tf.getBackend()) && s.dtype === "float32") {
    const attrs = { scale, causal: offset } as unknown as tf.NamedAttrMap;
    return tf.engine().runKernel(ATTENTION_SOFTMAX, { s }, attrs) as tf.Tensor;
  }
  return tf.tidy(() => {
    let scores = tf.mul(s, scale);
    if (causal) {
      const row = tf.reshape(tf.range(0, tq, 1, "int32"), [tq, 1]),
        col = tf.reshape(tf.range(0, tk, 1, "int32"), [1, tk]);
      const hidden = tf.greater(col, tf.add(row, offset)); // [Tq, Tk]
      scores = tf.where(hidden, tf.fill([tq, tk], -Infinity), scores);
    }
    return tf.softmax(scores);
  });
}

/**
 * The gradient of the scores from that of the weights: `scale·p·(dp − Σ dp·p)` (one kernel on wasm).
 *
 * @param p Weights `[..., Tk]` from {@link attentionSoftmax}.
 * @param dp Their gradient, same shape.
 * @param scale The forward's scale.
 * @returns The gradient of the raw scores, same shape.
 * @example
 * ```ts
 * import { softmaxBackward } from "@lib/core/kernels/softmax.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const ds = softmaxBackward(tf.tensor2d([[0.5, 0.5]]), tf.tensor2d([[1, 1]]), 1);
 * assert.deepEqual(Array.from(ds.dataSync()), [0, 0]); // adding the same to every weight's gradient changes nothing
 * ```
 */
export function softmaxBackward(p: tf.Tensor, dp: tf.Tensor, scale: number): tf.Tensor {
  if (tf.getKernel(SOFTMAX_GRAD, tf.getBackend()) && p.dtype === "float32" && dp.dtype === "float32") {
    return tf.engine().runKernel(SOFTMAX_GRAD, { p, dp }, { scale } as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
  return tf.tidy(() => tf.mul(tf.mul(p, tf.sub(dp, tf.sum(tf.mul(dp, p), -1, true))), scale));
}
