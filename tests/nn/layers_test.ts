import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { crossEntropy, dropout, embedding, gelu, layerNorm, linear, linearTied } from "@lib/nn/layers.ts";

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Checks value and gradients of `fast` against a plain autodiff `slow` on the same inputs. */
function sameAsAutodiff(
  fast: (...xs: tf.Tensor[]) => tf.Tensor,
  slow: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: tf.Tensor[],
  tol = 1e-4,
): void {
  const r = tf.randomNormal(fast(...inputs).shape, 0, 1, "float32", 99);
  const loss = (f: (...xs: tf.Tensor[]) => tf.Tensor) => (...xs: tf.Tensor[]) => tf.sum(tf.mul(f(...xs), r));
  assert.ok(maxDiff(fast(...inputs), slow(...inputs)) < tol, "value");
  const gf = tf.grads(loss(fast))(inputs), gs = tf.grads(loss(slow))(inputs);
  gf.forEach((g, i) => assert.ok(maxDiff(g, gs[i]) < tol, `gradient ${i}: ${maxDiff(g, gs[i])}`));
}

const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);

Deno.test("linear and linearTied: values and gradients match tf.matMul", () => {
  sameAsAutodiff(
    (x, w, b) => linear(x as tf.Tensor2D, w as tf.Tensor2D, b as tf.Tensor1D),
    (x, w, b) => tf.add(tf.matMul(x, w), b),
    [rand([6, 5], 1), rand([5, 3], 2), rand([3], 3)],
  );
  sameAsAutodiff((x, w) => linear(x as tf.Tensor2D, w as tf.Tensor2D), (x, w) => tf.matMul(x, w), [
    rand([6, 5], 4),
    rand([5, 3], 5),
  ]);
  sameAsAutodiff(
    (x, w) => linearTied(x as tf.Tensor2D, w as tf.Tensor2D),
    (x, w) => tf.matMul(x, w, false, true),
    [rand([6, 5], 6), rand([7, 5], 7)],
  );
});

Deno.test("layerNorm: value and gradients match the moments formula", () => {
  sameAsAutodiff(
    (x, g, b) => layerNorm(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D),
    (x, g, b) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b);
    },
    [rand([4, 8], 8), rand([8], 9), rand([8], 10)],
  );
});

Deno.test("gelu: exact x·Φ(x) (PyTorch's nn.GELU), value and gradient, eval and training paths", () => {
  const ref = (x: tf.Tensor) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.mul(x, Math.SQRT1_2))));
  sameAsAutodiff((x) => gelu(x), ref, [rand([3, 7], 11)]);
  // Φ(1) = 0.8413447, so GELU(1) = 0.8413447 and GELU(−1) = −1·Φ(−1) = −0.1586553 (float64); tails 0 and x
  const want = tf.tensor1d([0.8413447, -0.1586553, 0, 6, -0]);
  assert.ok(maxDiff(gelu(tf.tensor1d([1, -1, 0, 6, -6])), want) < 2e-6);
  const g = tf.grad((x: tf.Tensor) => tf.sum(gelu(x)))(tf.tensor1d([0, 1])); // Φ(x) + x·φ(x)
  assert.ok(maxDiff(g, tf.tensor1d([0.5, 0.8413447 + 0.2419707])) < 2e-6);
  assert.throws(() => gelu(tf.tensor1d([1], "int32")), /GELU as x must be float32: current dtype is int32/);
});

Deno.test("embedding: rows of the table; gradient scatters back (repeated ids add up)", () => {
  const ids = tf.tensor1d([2, 0, 2, 1], "int32");
  sameAsAutodiff((t) => embedding(t as tf.Tensor2D, ids), (t) => tf.matMul(tf.oneHot(ids, 3).cast("float32"), t), [
    rand([3, 4], 12),
  ]);
});

Deno.test("crossEntropy: matches tf.losses.softmaxCrossEntropy; weights and ignored targets", () => {
  const logits = rand([5, 6], 13);
  const targets = tf.tensor1d([0, 5, 2, 2, 1], "int32");
  sameAsAutodiff(
    (l) => crossEntropy(l as tf.Tensor2D, targets),
    (l) => tf.losses.softmaxCrossEntropy(tf.oneHot(targets, 6), l),
    [logits],
  );
  // weights 0 on rows 0 and 1 = the mean over rows 2..4 only; target −1 is ignored like weight 0
  const w = tf.tensor1d([0, 0, 1, 1, 1]);
  const sub = crossEntropy(logits.slice([2, 0], [3, 6]) as tf.Tensor2D, targets.slice([2], [3]) as tf.Tensor1D);
  assert.ok(maxDiff(crossEntropy(logits as tf.Tensor2D, targets, w), sub) < 1e-6);
  const ignored = tf.tensor1d([-1, -1, 2, 2, 1], "int32");
  assert.ok(maxDiff(crossEntropy(logits as tf.Tensor2D, ignored), sub) < 1e-6);
  assert.equal(crossEntropy(logits as tf.Tensor2D, targets, tf.zeros([5])).dataSync()[0], 0);
});

Deno.test("dropout: identity in evaluation; in training zeroes about `rate` and scales the rest; seeded", () => {
  const x = tf.ones([4000]);
  assert.equal(dropout(x, 0.3, null), x);
  assert.equal(dropout(x, 0, new Prng(1)), x);
  const a = dropout(x, 0.3, new Prng(1)).dataSync(), b = dropout(x, 0.3, new Prng(1)).dataSync();
  assert.deepEqual(a, b);
  const zeros = a.filter((v) => v === 0).length;
  assert.ok(Math.abs(zeros / 4000 - 0.3) < 0.03, `${zeros} zeros`);
  assert.ok(a.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6));
  assert.throws(() => dropout(x, 1, null), {
    name: "RangeError",
    message: "Cannot apply dropout as rate must be in [0, 1): current value is 1",
  });
});
