/**
 * The building blocks of the course's networks as plain functions on tensors `[..., C]` (e.g. `[B, T, C]`), each with a hand-written
 * gradient. Inside, the leading axes are flattened (`[B·T, C]`, a free reshape) so that every matMul is one 2-D product
 * (transposes go to the matMul kernel, which runs them on BLAS or XNNPACK: see lib/core/kernels) and each layer costs a
 * few fused ops instead of a long autodiff chain. The speed branches (inference shortcuts, sliced weights) live here,
 * so that the models built from these layers read as their maths.
 *
 * @module
 */
import { type Prng, tf } from "../core/mod.ts";
import { geluParts } from "../core/kernels/gelu.ts";
import { layerNormBackward, layerNormForward } from "../core/kernels/layer_norm.ts";

const EPS = 1e-5;

/** The forward half of a custom op: its value and how to turn the output's gradient into the inputs' gradients. */
export type Forward = (
  xs: tf.Tensor[],
  save: (saved: tf.Tensor[]) => void,
) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] };

/**
 * `tf.customGrad` with plain types: an op on `inputs` whose gradient is written by hand. When no gradient is being
 * recorded (evaluation, generation) it runs only the forward maths, skipping customGrad's bookkeeping.
 *
 * @param inputs The tensors the op differentiates with respect to.
 * @param forward The value from the inputs, and the gradient function (it returns one gradient per input).
 * @returns The op's value.
 * @example
 * ```ts
 * import { customOp } from "@lib/nn/layers.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * // y = 3x with its gradient written by hand
 * const triple = (x: tf.Tensor) => customOp([x], ([x]) => ({ value: tf.mul(x, 3), gradFunc: (dy) => [tf.mul(dy, 3)] }));
 * const g = tf.grad((x: tf.Tensor) => triple(x).sum())(tf.tensor1d([1, 2]));
 * assert.deepEqual(Array.from(g.dataSync()), [3, 3]);
 * ```
 */
export function customOp<T extends tf.Tensor>(inputs: tf.Tensor[], forward: Forward): T {
  if (!tf.engine().isTapeOn()) return tf.tidy(() => forward(inputs, () => {}).value) as T;
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const { value, gradFunc } = forward(args as tf.Tensor[], save);
    // tidy: the backward pass's temporaries are freed at once, not when the whole gradient computation ends
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.tidy(() => gradFunc(dy, saved)) };
  })(...inputs) as T;
}

/** One-hot rows as float32 (cast from int32: the wasm backend ignores oneHot's dtype argument). */
function oneHotFloat(ids: tf.Tensor1D, depth: number): tf.Tensor2D {
  return tf.cast(tf.oneHot(ids, depth), "float32") as tf.Tensor2D;
}

/** Column sums of a 2-D tensor `[N, C]` → `[C]`, as a matMul with a row of ones (a reduction over axis 0 would
 * transpose first on wasm, and is several times slower). */
function sumRows(x: tf.Tensor): tf.Tensor1D {
  return tf.matMul(tf.ones([1, x.shape[0]]), x as tf.Tensor2D).reshape([-1]) as tf.Tensor1D;
}

/** Runs `f` on `x` flattened to `[N, C]` (N = product of the leading axes) and gives its `[N, K]` result x's leading
 * axes back: `[..., C]` → `[..., K]`. Reshapes share data; a 2-D x passes straight through. */
function onRows<T extends tf.Tensor>(x: tf.Tensor, f: (rows: tf.Tensor2D) => tf.Tensor2D): T {
  if (x.rank === 2) return f(x as tf.Tensor2D) as tf.Tensor as T;
  if (x.rank < 2) throw new RangeError(`Cannot apply a layer to a tensor of rank ${x.rank}: it needs [..., C]`);
  const lead = x.shape.slice(0, -1);
  const y = f(x.reshape([-1, x.shape[x.rank - 1]]) as tf.Tensor2D); // [N, K]
  return y.reshape([...lead, y.shape[1]]) as T; // [..., K]
}

/** `a @ bᵀ` for 2-D tensors (the matMul kernel handles the transpose in place, without a copy). */
function matMulT(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(a, b, false, true);
}

/** `aᵀ @ b` for 2-D tensors. */
function matMulTA(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(a, b, true, false);
}

/**
 * A fully connected layer `x @ w + b`.
 *
 * @param x Input `[..., In]`.
 * @param w Weight `[In, Out]`.
 * @param b Bias `[Out]`, or null for none.
 * @returns `[..., Out]`.
 * @example
 * ```ts
 * import { linear } from "@lib/nn/layers.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const y = linear(tf.ones([2, 3]), tf.ones([3, 4]), tf.zeros([4]));
 * assert.deepEqual((y.arraySync() as number[][])[0], [3, 3, 3, 3]);
 * assert.deepEqual(linear(tf.ones([2, 5, 3]), tf.ones([3, 4])).shape, [2, 5, 4]);
 * ```
 */
export function linear<T extends tf.Tensor>(x: T, w: tf.Tensor2D, b: tf.Tensor1D | null = null): T {
  return onRows(x, (x) => linearRows(x, w, b));
}

function linearRows(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D | null): tf.Tensor2D {
  if (!tf.engine().isTapeOn() && x.shape[0] <= 64) {
    return tf.fused.matMul({ a: x, b: w, bias: b ?? undefined }) as tf.Tensor2D;
  }
  if (b === null) {
    return customOp([x, w], ([x, w], save) => {
      save([x, w]);
      return {
        value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), // [N, Out]
        gradFunc: (dy, [x, w]) => [
          matMulT(dy as tf.Tensor2D, w as tf.Tensor2D), // [N, In]
          matMulTA(x as tf.Tensor2D, dy as tf.Tensor2D), // [In, Out]
        ],
      };
    });
  }
  return customOp([x, w, b], ([x, w, b], save) => {
    save([x, w]);
    return {
      value: tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b), // [N, Out]
      gradFunc: (dy, [x, w]) => [
        matMulT(dy as tf.Tensor2D, w as tf.Tensor2D), // [N, In]
        matMulTA(x as tf.Tensor2D, dy as tf.Tensor2D), // [In, Out]
        sumRows(dy), // [Out]
      ],
    };
  });
}

/**
 * A linear layer whose output is cut into `parts` equal column blocks, e.g. the queries, keys and values of
 * attention from one `[C, 3C]` weight: `linearSplit(x, w, b, 3)` equals `linear(x, w, b)` split on its last axis.
 * When training it multiplies by column slices of the (small) weight instead of slicing the (big) output, whose
 * column slices are slow on wasm; without gradients it runs one product.
 *
 * @param x Input `[..., In]`.
 * @param w Weight `[In, parts·K]`.
 * @param b Bias `[parts·K]`, or null.
 * @param parts Number of blocks.
 * @returns `parts` tensors `[..., K]`.
 * @throws {RangeError} When parts is not a positive integer dividing w's columns.
 * @example
 * ```ts
 * import { linearSplit } from "@lib/nn/layers.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const [q, k, v] = linearSplit(tf.ones([2, 4, 3]), tf.ones([3, 6]), null, 3);
 * assert.deepEqual(q.shape, [2, 4, 2]);
 * ```
 */
export function linearSplit<T extends tf.Tensor>(x: T, w: tf.Tensor2D, b: tf.Tensor1D | null, parts: number): T[] {
  const [rows, cols] = w.shape;
  if (!Number.isInteger(parts) || parts < 1 || cols % parts !== 0) {
    throw new RangeError(
      `Cannot split a linear layer of ${cols} outputs as parts must be a positive integer dividing it: current value is ${parts}`,
    );
  }
  const k = cols / parts;
  if (!tf.engine().isTapeOn()) { // inference: one matMul, then cheap slices of its output
    const y = linear(x, w, b); // [..., parts·K]
    const begin = y.shape.map(() => 0), size = y.shape.map(() => -1);
    return Array.from({ length: parts }, (_, i) => {
      begin[begin.length - 1] = i * k;
      size[size.length - 1] = k;
      return y.slice(begin, size) as T; // [..., K]
    });
  }
  return Array.from({ length: parts }, (_, i) => linear(x, w.slice([0, i * k], [rows, k]), b && b.slice([i * k], [k])));
}

/**
 * `x @ wᵀ`: the tied output head, where `w` is the token embedding `[V, C]`.
 *
 * @param x Hidden states `[..., C]`.
 * @param w Embedding table `[V, C]`.
 * @returns Logits `[..., V]`.
 * @example
 * ```ts
 * import { linearTied } from "@lib/nn/layers.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(linearTied(tf.ones([2, 3]), tf.ones([5, 3])).shape, [2, 5]);
 * ```
 */
export function linearTied<T extends tf.Tensor>(x: T, w: tf.Tensor2D): T {
  return onRows(x, (x) => linearTiedRows(x, w));
}

function linearTiedRows(x: tf.Tensor2D, w: tf.Tensor2D): tf.Tensor2D {
  return customOp([x, w], ([x, w], save) => {
    save([x, w]);
    return {
      value: matMulT(x as tf.Tensor2D, w as tf.Tensor2D), // [N, V]
      gradFunc: (dy, [x, w]) => [
        tf.matMul(dy as tf.Tensor2D, w as tf.Tensor2D), // [N, C]
        matMulTA(dy as tf.Tensor2D, x as tf.Tensor2D), // [V, C]
      ],
    };
  });
}

/**
 * Rows of an embedding table: `table[ids]`. Its gradient scatters back with UnsortedSegmentSum where the backend has
 * it, else with a one-hot matMul (the wasm backend lacks that kernel).
 *
 * @param table `[V, C]`.
 * @param ids Token ids of any shape, e.g. `[B, T]` (int32).
 * @returns `[...ids.shape, C]`.
 * @example
 * ```ts
 * import { embedding } from "@lib/nn/layers.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const e = embedding(tf.tensor2d([[1, 1], [2, 2]]), tf.tensor1d([1, 0], "int32"));
 * assert.deepEqual(e.arraySync(), [[2, 2], [1, 1]]);
 * ```
 */
export function embedding<T extends tf.Tensor = tf.Tensor2D>(table: tf.Tensor2D, ids: tf.Tensor): T {
  if (ids.rank !== 1) return embedding(table, ids.reshape([-1])).reshape([...ids.shape, table.shape[1]]) as T;
  const vocab = table.shape[0];
  return customOp([table], ([table], save) => {
    save([ids]);
    return {
      value: tf.gather(table, ids), // [N, C]
      gradFunc: (dy, [ids]) => {
        if (tf.getKernel("UnsortedSegmentSum", tf.getBackend())) {
          return [tf.unsortedSegmentSum(dy, ids as tf.Tensor1D, vocab)]; // [V, C]
        }
        return [matMulTA(oneHotFloat(ids as tf.Tensor1D, vocab), dy as tf.Tensor2D)]; // [V, C]
      },
    };
  });
}

/**
 * Layer normalisation over the last axis: `(x − mean) / √(var + 1e-5) · g + b`.
 *
 * @param x `[..., C]`.
 * @param g Gain `[C]`.
 * @param b Bias `[C]`, or null for none.
 * @returns `[..., C]`.
 * @example
 * ```ts
 * import { layerNorm } from "@lib/nn/layers.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const y = layerNorm(tf.tensor2d([[1, 3]]), tf.ones([2]), tf.zeros([2]));
 * assert.ok(Math.abs(y.arraySync()[0][1] - 1) < 1e-3);
 * ```
 */
export function layerNorm<T extends tf.Tensor>(x: T, g: tf.Tensor1D, b: tf.Tensor1D | null = null): T {
  return onRows(x, (x) => layerNormRows(x, g, b));
}

function layerNormRows(x: tf.Tensor2D, g: tf.Tensor1D, b: tf.Tensor1D | null): tf.Tensor2D {
  return customOp(b ? [x, g, b] : [x, g], ([x, g, b], save) => {
    const { y, mean, rstd } = layerNormForward(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D | null, EPS);
    save([x, g, mean, rstd]);
    return {
      value: y, // [N, C]
      gradFunc: (dy, [x, g, mean, rstd]) => {
        const d = layerNormBackward(
          dy as tf.Tensor2D,
          x as tf.Tensor2D,
          g as tf.Tensor1D,
          mean as tf.Tensor1D,
          rstd as tf.Tensor1D,
        );
        if (b) return [d.dx, d.dg, d.db];
        d.db.dispose();
        return [d.dx, d.dg];
      },
    };
  });
}

/**
 * GELU, exact: `x·Φ(x)` with Φ the standard normal CDF (PyTorch's `nn.GELU()`, as nanoGPT; GPT-2 used a tanh
 * approximation of it, within 1e-3). Forward and derivative come from one kernel (lib/core/kernels/gelu.ts).
 *
 * @param x Any shape.
 * @returns Same shape.
 * @example
 * ```ts
 * import { gelu } from "@lib/nn/layers.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(gelu(tf.scalar(1)).dataSync()[0] - 0.8413) < 1e-4);
 * ```
 */
export function gelu<T extends tf.Tensor>(x: T): T {
  if (!tf.engine().isTapeOn()) return geluParts(x, false)[0] as T;
  return customOp([x], ([x], save) => {
    const [y, d] = geluParts(x, true); // x·Φ(x) and its derivative Φ(x) + x·φ(x)
    save([d]);
    return { value: y, gradFunc: (dy, [d]) => [tf.mul(dy, d)] };
  });
}

/**
 * Dropout (Srivastava et al. 2014): in training, zeroes each value with probability `rate` and scales the others by
 * `1 / (1 − rate)`, so that the expected value is unchanged; in evaluation (no generator given) it is the identity.
 *
 * @param x Any shape.
 * @param rate Probability of dropping a value, in [0, 1).
 * @param prng The generator of the mask in training mode, or null in evaluation mode.
 * @returns Same shape (`x` itself when nothing is dropped).
 * @throws {RangeError} When `rate` is not in [0, 1).
 * @example
 * ```ts
 * import { dropout } from "@lib/nn/layers.ts";
 * import { Prng, tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const x = tf.ones([1000]);
 * assert.equal(dropout(x, 0.5, null), x); // evaluation: unchanged
 * const kept: number[] = Array.from(dropout(x, 0.5, new Prng(1)).dataSync());
 * const mean = kept.reduce((a, b) => a + b, 0) / 1000;
 * assert.ok(Math.abs(mean - 1) < 0.1); // the expected value is kept
 * assert.ok(kept.every((v) => v === 0 || v === 2));
 * ```
 */
export function dropout<T extends tf.Tensor>(x: T, rate: number, prng: Prng | null): T {
  if (!(rate >= 0 && rate < 1)) {
    throw new RangeError(`Cannot apply dropout as rate must be in [0, 1): current value is ${rate}`);
  }
  return prng && rate > 0 ? tf.dropout(x, rate, undefined, prng.tfSeed()) as T : x;
}

/**
 * Weighted mean cross-entropy of logits against target ids, with a fused softmax gradient.
 *
 * Targets below 0 are ignored (weight 0), like PyTorch's `ignore_index=-1`; `weights` (e.g. a loss mask that is 1 on
 * answer tokens and 0 on prompt tokens) scale each token's term; the result is `Σ w·nll / Σ w`.
 *
 * @param logits `[N, V]`.
 * @param targets `[N]` int32.
 * @param weights `[N]` float32 per-token weights, or null for all ones.
 * @returns The loss, a scalar (0 when every weight is 0).
 * @example
 * ```ts
 * import { crossEntropy } from "@lib/nn/layers.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const loss = crossEntropy(tf.zeros([2, 4]), tf.tensor1d([0, 3], "int32"));
 * assert.ok(Math.abs(loss.dataSync()[0] - Math.log(4)) < 1e-6);
 * ```
 */
export function crossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D, weights: tf.Tensor1D | null = null): tf.Scalar {
  const [n, vocab] = logits.shape;
  return customOp([logits], ([logits], save) => {
    let w = tf.cast(tf.greaterEqual(targets, 0), "float32"); // [N], 0 for ignored targets
    if (weights) w = tf.mul(w, weights);
    const wn = tf.div(w, tf.maximum(tf.sum(w), 1e-12)); // [N], normalised weights
    const target = tf.cast(tf.maximum(targets, tf.scalar(0, "int32")), "int32"); // [N], ignored ones point at 0
    const at = tf.stack([tf.range(0, n, 1, "int32"), target], 1); // [N, 2]: (row, target)
    const m = tf.max(logits, -1, true); // [N, 1]
    const e = tf.exp(tf.sub(logits, m)); // [N, V], softmax numerators
    const s = tf.sum(e, -1, true); // [N, 1]
    const nll = tf.sub(tf.add(tf.log(s), m), tf.gatherND(logits, at).reshape([n, 1])); // [N, 1]: log Σ e^l − l_target
    save([e, s, at, wn]);
    return {
      value: tf.sum(tf.mul(nll.reshape([n]), wn)),
      gradFunc: (dy, [e, s, at, wn]) => {
        const scale = tf.mul(wn, dy); // [N]
        const p = tf.mul(e, tf.div(scale.reshape([n, 1]), s)); // softmax · weight, [N, V]
        return [tf.sub(p, tf.scatterND(at, scale, [n, vocab]))]; // minus the weight at each target
      },
    };
  });
}
