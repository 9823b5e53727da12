/**
 * Test helper: a tfjs-layers recurrent layer (`tf.layers.simpleRNN` or `tf.layers.lstm`) given our weights, and the
 * value and gradients of a fixed weighted sum of its output sequence, to compare lib/nn's cells with.
 *
 * @module
 */
import { tf } from "@lib/core/mod.ts";
import type { RnnWeights } from "@lib/nn/mod.ts";

/** Largest absolute difference between two tensors. */
export function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Outputs `[B, T, H]` and the gradients of `Σ out ⊙ r` with respect to x and the three weights, in that order. */
export function layersReference(
  kind: "simpleRNN" | "lstm",
  x: tf.Tensor3D,
  w: RnnWeights,
  r: tf.Tensor,
): { out: tf.Tensor; grads: tf.Tensor[] } {
  const units = w.recurrentKernel.shape[0];
  const layer = kind === "lstm"
    ? tf.layers.lstm({ units, returnSequences: true, recurrentActivation: "sigmoid" })
    : tf.layers.simpleRNN({ units, returnSequences: true });
  layer.apply(x); // builds the weights
  layer.setWeights([w.kernel, w.recurrentKernel, w.bias]);
  const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  const loss = () => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)) as tf.Scalar;
  const out = layer.apply(x) as tf.Tensor;
  const dx = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, r)))(x);
  const { grads } = tf.variableGrads(loss, vars);
  const result = { out, grads: [dx, ...vars.map((v) => grads[v.name])] };
  layer.dispose();
  return result;
}
