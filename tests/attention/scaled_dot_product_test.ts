import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { attentionWithWeights, causalMask, MASKED, scaledDotProductAttention } from "@lib/attention/mod.ts";

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** Attention computed by hand in plain JS (one head). */
function reference(q: number[][], k: number[][], v: number[][], causal: boolean): number[][] {
  const d = q[0].length;
  return q.map((qi, i) => {
    const offset = k.length - q.length;
    const s = k.map((kj, j) =>
      (causal && j > i + offset) ? -Infinity : qi.reduce((a, x, c) => a + x * kj[c], 0) / Math.sqrt(d)
    );
    const m = Math.max(...s);
    const e = s.map((x) => Math.exp(x - m));
    const z = e.reduce((a, b) => a + b, 0);
    return v[0].map((_, c) => e.reduce((a, w, j) => a + (w / z) * v[j][c], 0));
  });
}

Deno.test("attention: matches a hand computation, causal and not", () => {
  const q = tf.randomNormal([5, 4], 0, 1, "float32", 1), k = tf.randomNormal([5, 4], 0, 1, "float32", 2);
  const v = tf.randomNormal([5, 3], 0, 1, "float32", 3);
  for (const causal of [false, true]) {
    const want = reference(
      q.arraySync() as number[][],
      k.arraySync() as number[][],
      v.arraySync() as number[][],
      causal,
    );
    const got = scaledDotProductAttention(q, k, v, { causal });
    assert.deepEqual(got.shape, [5, 3]);
    assert.ok(maxDiff(got, tf.tensor(want)) < 1e-5, `causal=${causal}`);
  }
});

Deno.test("attention: fast path and weights path agree; weights rows sum to 1 and are 0 in the future", () => {
  const q = tf.randomNormal([2, 3, 6, 8], 0, 1, "float32", 4);
  const k = tf.randomNormal([2, 3, 6, 8], 0, 1, "float32", 5);
  const v = tf.randomNormal([2, 3, 6, 8], 0, 1, "float32", 6);
  const fast = scaledDotProductAttention(q, k, v, { causal: true });
  const { output, weights } = attentionWithWeights(q, k, v, { causal: true });
  assert.ok(maxDiff(fast, output) < 1e-5);
  assert.deepEqual(weights.shape, [2, 3, 6, 6]);
  assert.ok(maxDiff(tf.sum(weights, -1), tf.ones([2, 3, 6])) < 1e-5);
  const w = weights.arraySync() as number[][][][];
  for (let i = 0; i < 6; i++) for (let j = i + 1; j < 6; j++) assert.equal(w[1][2][i][j], 0);
});

Deno.test("attention: hand-written gradient equals autodiff of the weights path", () => {
  const q = tf.randomNormal([2, 5, 4], 0, 1, "float32", 7);
  const k = tf.randomNormal([2, 7, 4], 0, 1, "float32", 8);
  const v = tf.randomNormal([2, 7, 3], 0, 1, "float32", 9);
  const r = tf.randomNormal([2, 5, 3], 0, 1, "float32", 10);
  const loss =
    (f: (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => tf.Tensor) => (q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
      tf.sum(tf.mul(f(q, k, v), r));
  const fast = tf.grads(loss((q, k, v) => scaledDotProductAttention(q, k, v, { causal: true })))([q, k, v]);
  const slow = tf.grads(loss((q, k, v) => attentionWithWeights(q, k, v, { causal: true }).output))([q, k, v]);
  for (let i = 0; i < 3; i++) assert.ok(maxDiff(fast[i], slow[i]) < 1e-4, `input ${i}`);
});

Deno.test("attention: a keep-mask blocks keys (padding)", () => {
  const q = tf.randomNormal([1, 3, 4], 0, 1, "float32", 11), k = tf.randomNormal([1, 4, 4], 0, 1, "float32", 12);
  const v = tf.randomNormal([1, 4, 2], 0, 1, "float32", 13);
  const mask = tf.tensor3d([[[1, 1, 0, 0]]]); // [1, 1, Tk]
  const { output, weights } = attentionWithWeights(q, k, v, { mask });
  const w = weights.arraySync() as number[][][];
  for (const row of w[0]) assert.deepEqual([row[2], row[3]], [0, 0]);
  const cut = attentionWithWeights(q, k.slice([0, 0, 0], [1, 2, 4]), v.slice([0, 0, 0], [1, 2, 2]));
  assert.ok(maxDiff(output, cut.output) < 1e-5);
  assert.ok(maxDiff(scaledDotProductAttention(q, k, v, { mask }), output) < 1e-5);
});

Deno.test("causalMask: square, and offset for queries that are the last keys (KV cache)", async () => {
  assert.deepEqual(await causalMask(3).array(), [[0, MASKED, MASKED], [0, 0, MASKED], [0, 0, 0]]);
  assert.deepEqual(await causalMask(1, 3).array(), [[0, 0, 0]]);
  assert.deepEqual(await causalMask(2, 3).array(), [[0, 0, MASKED], [0, 0, 0]]);
});

Deno.test("attention: errors name the value and the expectation", () => {
  assert.throws(() => causalMask(0), {
    name: "RangeError",
    message: "Cannot create causal mask as size must be a positive integer: current value is 0",
  });
  assert.throws(() => causalMask(2, 1.5), /key size must be a positive integer: current value is 1.5/);
  assert.throws(() => causalMask(3, 2), /more queries \(3\) than keys \(2\)/);
  const a = tf.zeros([2, 3, 4]);
  assert.throws(() => scaledDotProductAttention(a, tf.zeros([3, 4]), a), /same rank ≥ 2: current ranks are 3, 2, 3/);
  assert.throws(() => scaledDotProductAttention(a, tf.zeros([2, 3, 5]), a), /q and k must share their last size/);
  assert.throws(() => attentionWithWeights(a, a, tf.zeros([2, 2, 4])), /k and v must have as many positions/);
});

Deno.test("attention: no tensor leak", () => {
  const q = tf.randomNormal([1, 2, 4, 4], 0, 1, "float32", 14);
  scaledDotProductAttention(q, q, q, { causal: true }).dispose(); // warm the mask cache
  const before = tf.memory().numTensors;
  tf.dispose(scaledDotProductAttention(q, q, q, { causal: true }));
  const { output, weights } = attentionWithWeights(q, q, q, { causal: true, mask: tf.ones([1, 1, 1, 4]) });
  tf.dispose([output, weights]);
  const g = tf.grad((x: tf.Tensor) => tf.sum(scaledDotProductAttention(x, x, x, { causal: true })))(q);
  g.dispose();
  assert.equal(tf.memory().numTensors, before + 1); // the ones() mask above
});
