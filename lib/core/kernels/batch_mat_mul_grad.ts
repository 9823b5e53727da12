/**
 * Gradient of `BatchMatMul` that also works when batch dimensions broadcast, e.g. `[B, T, C] · [C, N]`: tfjs's own
 * gradient returns the un-reduced `[B, C, N]` for the `[C, N]` operand and the engine throws "The gradient of input
 * 'b' has shape '…', which does not match the shape of the input". Backend-independent (cpu, wasm, webgpu); when
 * nothing broadcasts it computes exactly what tfjs's gradient computes.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** Sums a gradient over the dimensions that broadcast in the forward product, back to the input's shape. */
function sumTo(g: tf.Tensor, shape: number[]): tf.Tensor {
  if (tf.util.arraysEqual(g.shape, shape)) return g;
  const axes = tf.broadcast_util.getReductionAxes(shape.slice(0, -2), g.shape.slice(0, -2));
  const leading = Math.max(0, g.rank - shape.length); // batch axes `shape` lacks entirely
  const all = [...Array.from({ length: leading }, (_, i) => i), ...axes.filter((a) => a >= leading)];
  return tf.reshape(tf.sum(g, all), shape);
}

/** `[…, r, c]` → `[prod(…)·r, c]`. */
const rows = (x: tf.Tensor) => tf.reshape(x, [-1, x.shape[x.rank - 1]]);

/**
 * Gradients of `matMul(a, b, transposeA, transposeB)` given `dy`, reduced over broadcast batch dimensions. When `b`
 * has no batch and `a` is not transposed (`[B, T, C] · [C, N]`, a linear layer on a sequence), `b`'s gradient is a
 * single 2-D product over all `B·T` rows.
 *
 * @param dy Gradient of the product, shape `[...batch, m, n]`.
 * @param a Left operand.
 * @param b Right operand.
 * @param transposeA Whether `a` was transposed.
 * @param transposeB Whether `b` was transposed.
 * @returns Lazy gradients for `a` and `b`, shaped like them.
 */
export function batchMatMulGrads(
  dy: tf.Tensor,
  a: tf.Tensor,
  b: tf.Tensor,
  transposeA: boolean,
  transposeB: boolean,
): { a: () => tf.Tensor; b: () => tf.Tensor } {
  const da = () =>
    !transposeA
      ? tf.matMul(dy, b, false, !transposeB) // [..., m, k]
      : tf.matMul(b, dy, transposeB, true); // [..., k, m]
  const bFolds = b.rank === 2 && a.rank > 2 && !transposeA;
  const db = () =>
    bFolds
      ? transposeB ? tf.matMul(rows(dy), rows(a), true, false) : tf.matMul(rows(a), rows(dy), true, false)
      : transposeB
      ? tf.matMul(dy, a, true, transposeA) // [..., n, k]
      : tf.matMul(a, dy, !transposeA, false); // [..., k, n]
  return { a: () => sumTo(da(), a.shape), b: () => sumTo(db(), b.shape) };
}

/** Gradient config replacing tfjs's `BatchMatMul` gradient (registered by `registerWasmKernels`). */
export const batchMatMulGradConfig: tf.GradConfig = {
  kernelName: tf.BatchMatMul,
  inputsToSave: ["a", "b"],
  gradFunc: (dy, saved, attrs) => {
    const [a, b] = saved;
    const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
    return batchMatMulGrads(dy as tf.Tensor, a, b, transposeA, transposeB);
  },
};
