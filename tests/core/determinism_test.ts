import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";

/** Trains a tiny two-layer net on seeded data and returns its losses. */
function trainLosses(seed: number): number[] {
  const prng = new Prng(seed);
  const xs = Array.from({ length: 32 * 4 }, () => prng.normal());
  const ys = Array.from({ length: 32 }, (_, i) => (xs[i * 4] + xs[i * 4 + 1] > 0 ? 1 : 0));
  const init = (shape: [number, number]) => {
    const t = tf.randomNormal(shape, 0, 0.5, "float32", prng.tfSeed());
    const v = tf.variable(t);
    t.dispose(); // tf.variable keeps its own reference to the data
    return v;
  };
  const w1 = init([4, 8]), w2 = init([8, 1]);
  const x = tf.tensor2d(xs, [32, 4]), y = tf.tensor2d(ys, [32, 1]);
  const opt = tf.train.sgd(0.5);
  const losses: number[] = [];
  for (let i = 0; i < 20; i++) {
    const loss = opt.minimize(
      () => tf.losses.sigmoidCrossEntropy(y, tf.matMul(tf.relu(tf.matMul(x, w1)), w2)) as tf.Scalar,
      true,
    )!;
    losses.push(loss.dataSync()[0]);
    loss.dispose();
  }
  tf.dispose([w1, w2, x, y]);
  opt.dispose();
  return losses;
}

Deno.test("same seed, same backend: the same losses, bit for bit", () => {
  const a = trainLosses(1337), b = trainLosses(1337), c = trainLosses(7);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.ok(a[19] < a[0] * 0.8, `the net learned: ${a[0]} -> ${a[19]}`);
});

Deno.test("the seeded training leaves no tensors behind", () => {
  const before = tf.memory().numTensors;
  trainLosses(1);
  assert.equal(tf.memory().numTensors, before);
});
