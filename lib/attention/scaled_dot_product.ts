/**
 * Scaled dot-product attention, the one implementation the course uses (GPT, the encoder-decoder of notebook 09).
 *
 * `softmax(q kᵀ / √d + bias) v`, over the last two axes, for any leading batch/head axes.
 * Two entry points share the maths:
 * - {@link scaledDotProductAttention}: the fast path for training, with a hand-written gradient
 *   (one softmax, four matMuls, nothing else kept for the backward pass);
 * - {@link attentionWithWeights}: also returns the attention weights, for heatmaps.
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { attentionSoftmax, softmaxBackward } from "../core/kernels/softmax.ts";

/** What can be masked: a causal (look-back only) mask and/or a keep-mask of 1s (attend) and 0s (blocked). */
export interface AttentionOptions {
  /** Query i may only look at keys j ≤ i + (Tk − Tq) (queries are the last Tq positions of the keys). */
  causal?: boolean;
  /** 1 = attend, 0 = blocked; broadcastable to `[..., Tq, Tk]` (e.g. a padding mask `[B, 1, 1, Tk]`). */
  mask?: tf.Tensor;
}

/** The additive value used for blocked positions (large and finite, so a fully blocked row gives no NaN). */
export const MASKED = -1e9;

/**
 * The causal mask as an additive bias: 0 where query i may see key j, {@link MASKED} where j is in its future.
 *
 * Queries are the last `tq` of the `tk` positions (as with a KV cache), so query i sits at position `tk - tq + i`.
 *
 * @param tq Number of queries (rows).
 * @param tk Number of keys (columns); defaults to `tq`.
 * @returns A `[tq, tk]` float32 tensor.
 * @throws {RangeError} When a size is not a positive integer or `tq > tk`.
 * @example
 * ```ts
 * import { causalMask } from "@lib/attention/mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(await causalMask(2).array(), [[0, -1e9], [0, 0]]);
 * ```
 */
export function causalMask(tq: number, tk: number = tq): tf.Tensor2D {
  checkPositiveInteger(tq, "size", "create causal mask");
  checkPositiveInteger(tk, "key size", "create causal mask");
  if (tq > tk) {
    throw new RangeError(`Cannot create causal mask with more queries (${tq}) than keys (${tk})`);
  }
  const key = `${tf.getBackend()}:${tq}x${tk}`; // per backend: using another backend's tensor would copy it over
  const hit = maskCache.get(key);
  if (hit && !hit.isDisposed) return tf.clone(hit);
  const data = new Float32Array(tq * tk);
  const offset = tk - tq;
  for (let i = 0; i < tq; i++) for (let j = i + offset + 1; j < tk; j++) data[i * tk + j] = MASKED;
  const mask = tf.keep(tf.tensor2d(data, [tq, tk]));
  if (maskCache.size >= 64) {
    for (const t of maskCache.values()) t.dispose();
    maskCache.clear();
  }
  maskCache.set(key, mask);
  return tf.clone(mask);
}

/** Masks built so far, kept (one small tensor per size and backend) so a training step does not upload a new one. */
const maskCache = new Map<string, tf.Tensor2D>();

function checkShapes(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): void {
  if (q.rank < 2 || q.rank !== k.rank || q.rank !== v.rank) {
    throw new RangeError(
      `Cannot attend as q, k, v must have the same rank ≥ 2: current ranks are ${q.rank}, ${k.rank}, ${v.rank}`,
    );
  }
  const r = q.rank;
  if (q.shape[r - 1] !== k.shape[r - 1]) {
    throw new RangeError(
      `Cannot attend as q and k must share their last size: current shapes are [${q.shape}] and [${k.shape}]`,
    );
  }
  if (k.shape[r - 2] !== v.shape[r - 2]) {
    throw new RangeError(
      `Cannot attend as k and v must have as many positions: current shapes are [${k.shape}] and [${v.shape}]`,
    );
  }
}

/** The additive bias of a padding mask (or null), `[..., Tq, Tk]`-broadcastable; the causal mask is applied by
 * {@link attentionSoftmax} itself. */
function maskBias(opts: AttentionOptions): tf.Tensor | null {
  if (!opts.mask) return null;
  return tf.tidy(() => tf.mul(tf.sub(1, tf.cast(opts.mask!, "float32")), MASKED)); // 0 or MASKED
}

/** Whether a causal mask changes anything: one query (the last position) may see every key. */
function isCausal(q: tf.Tensor, opts: AttentionOptions): boolean {
  return Boolean(opts.causal) && q.shape[q.rank - 2] > 1;
}

/** softmax(q kᵀ·scale + bias), causal when asked: the attention weights, `[..., Tq, Tk]` (one kernel on wasm). */
function weights(q: tf.Tensor, k: tf.Tensor, causal: boolean, bias: tf.Tensor | null): tf.Tensor {
  const scale = 1 / Math.sqrt(q.shape[q.rank - 1]);
  const scores = tf.matMul(q, k, false, true); // [..., Tq, Tk]
  if (!bias) return attentionSoftmax(scores, scale, causal);
  return attentionSoftmax(tf.add(tf.mul(scores, scale), bias), 1, causal);
}

/**
 * Scaled dot-product attention, fast path: returns only the output, with a hand-written gradient.
 *
 * @param q Queries `[..., Tq, D]`.
 * @param k Keys `[..., Tk, D]`.
 * @param v Values `[..., Tk, Dv]`.
 * @param opts Causal and/or keep-mask.
 * @returns The output `[..., Tq, Dv]`.
 * @throws {RangeError} When the shapes do not fit together.
 * @example
 * ```ts
 * import { scaledDotProductAttention } from "@lib/attention/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const x = tf.ones([1, 3, 4]);
 * const y = scaledDotProductAttention(x, x, x, { causal: true });
 * assert.deepEqual(y.shape, [1, 3, 4]);
 * ```
 */
export function scaledDotProductAttention(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  opts: AttentionOptions = {},
): tf.Tensor {
  checkShapes(q, k, v);
  const r = q.rank;
  const bias = maskBias(opts), causal = isCausal(q, opts);
  if (!tf.engine().isTapeOn()) { // no gradient wanted: just the forward maths
    const out = tf.tidy(() => tf.matMul(weights(q, k, causal, bias), v)); // [..., Tq, Dv]
    bias?.dispose();
    return out;
  }
  const scale = 1 / Math.sqrt(q.shape[r - 1]);
  const attend = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [q, k, v] = args as tf.Tensor[];
    const p = weights(q, k, causal, bias); // [..., Tq, Tk]
    save([q, k, v, p]);
    return {
      value: tf.matMul(p, v), // [..., Tq, Dv]
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.tidy(() => {
          const [q, k, v, p] = saved;
          const dv = tf.matMul(p, dy, true, false); // [..., Tk, Dv]
          const dp = tf.matMul(dy, v, false, true); // [..., Tq, Tk]
          const ds = softmaxBackward(p, dp, scale); // the scores' gradient, scale included, [..., Tq, Tk]
          const dq = tf.matMul(ds, k); // [..., Tq, D]
          const dk = tf.matMul(ds, q, true, false); // [..., Tk, D]
          return [dq, dk, dv];
        }),
    };
  });
  const out = attend(q, k, v);
  bias?.dispose();
  return out;
}

/**
 * Scaled dot-product attention that also returns its weights (for heatmaps); gradients by autodiff.
 *
 * @param q Queries `[..., Tq, D]`.
 * @param k Keys `[..., Tk, D]`.
 * @param v Values `[..., Tk, Dv]`.
 * @param opts Causal and/or keep-mask.
 * @returns `output` `[..., Tq, Dv]` and `weights` `[..., Tq, Tk]` (each row sums to 1).
 * @throws {RangeError} When the shapes do not fit together.
 * @example
 * ```ts
 * import { attentionWithWeights } from "@lib/attention/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const x = tf.ones([2, 4]);
 * const { weights } = attentionWithWeights(x, x, x, { causal: true });
 * assert.deepEqual(weights.arraySync(), [[1, 0], [0.5, 0.5]]);
 * ```
 */
export function attentionWithWeights(
  q: tf.Tensor,
  k: tf.Tensor,
  v: tf.Tensor,
  opts: AttentionOptions = {},
): { output: tf.Tensor; weights: tf.Tensor } {
  checkShapes(q, k, v);
  return tf.tidy(() => {
    const p = weights(q, k, isCausal(q, opts), maskBias(opts)); // [..., Tq, Tk]
    return { output: tf.matMul(p, v), weights: p };
  });
}
