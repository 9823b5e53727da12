import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { KvCache, MultiHeadAttention, paddingMask } from "@lib/attention/mod.ts";

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

/** x with position `pos` of every sequence replaced by other numbers. */
function perturb(x: tf.Tensor3D, pos: number): tf.Tensor3D {
  const rows = x.arraySync();
  for (const seq of rows) seq[pos] = seq[pos].map((v) => v + 1.5);
  return tf.tensor3d(rows);
}

Deno.test("MultiHeadAttention: shapes of self- and cross-attention, weights path, parameter names", () => {
  const self = new MultiHeadAttention({ nEmbd: 8, nHead: 2, causal: true });
  const x = tf.randomNormal([2, 5, 8], 0, 1, "float32", 1) as tf.Tensor3D;
  const weights: tf.Tensor4D[] = [];
  assert.deepEqual(self.forward(x, { weights }).shape, [2, 5, 8]);
  assert.deepEqual(weights[0].shape, [2, 2, 5, 5]);
  assert.ok(maxDiff(self.forward(x, { weights: [] }), self.forward(x)) < 1e-5); // fast path = weights path
  assert.deepEqual([...self.params.keys()], ["c_attn.weight", "c_attn.bias", "c_proj.weight", "c_proj.bias"]);
  assert.equal(self.numParams(), 8 * 24 + 24 + 8 * 8 + 8);
  const cross = new MultiHeadAttention({ nEmbd: 8, nHead: 2, cross: true, bias: false });
  const memory = tf.randomNormal([2, 3, 8], 0, 1, "float32", 2);
  assert.deepEqual(cross.forward(x, { memory }).shape, [2, 5, 8]);
  assert.deepEqual([...cross.params.keys()], ["q_attn.weight", "kv_attn.weight", "c_proj.weight"]);
  [self, cross].forEach((a) => a.dispose());
  assert.equal(self.params.size, 0);
});

Deno.test("MultiHeadAttention: causal and padding masks proven by perturbation", () => {
  const attn = new MultiHeadAttention({ nEmbd: 8, nHead: 2, causal: true }, undefined, "", { seed: 3, std: 0.5 });
  const x = tf.randomNormal([1, 6, 8], 0, 1, "float32", 4) as tf.Tensor3D;
  const base = attn.forward(x);
  for (const pos of [2, 5]) {
    const moved = attn.forward(perturb(x, pos));
    assert.ok(maxDiff(moved.slice([0, 0, 0], [1, pos, 8]), base.slice([0, 0, 0], [1, pos, 8])) < 1e-6, `before ${pos}`);
    assert.ok(maxDiff(moved.slice([0, pos, 0], [1, 1, 8]), base.slice([0, pos, 0], [1, 1, 8])) > 1e-3, `at ${pos}`);
  }
  // encoder self-attention with padding: the padded last two positions change nothing at the real ones
  const enc = new MultiHeadAttention({ nEmbd: 8, nHead: 2 }, undefined, "", { seed: 5, std: 0.5 });
  const mask = paddingMask(tf.tensor2d([[4, 7, 2, 9, 0, 0]], [1, 6], "int32"), 0);
  const a = enc.forward(x, { mask }), b = enc.forward(perturb(perturb(x, 4), 5), { mask });
  assert.ok(maxDiff(a.slice([0, 0, 0], [1, 4, 8]), b.slice([0, 0, 0], [1, 4, 8])) < 1e-6);
  const c = enc.forward(perturb(x, 4)); // without the mask the same change does show
  assert.ok(maxDiff(enc.forward(x).slice([0, 0, 0], [1, 4, 8]), c.slice([0, 0, 0], [1, 4, 8])) > 1e-3);
  [attn, enc].forEach((m) => m.dispose());
});

Deno.test("MultiHeadAttention: the KV cache gives the full pass's outputs, self and cross; no tensor leak", () => {
  const attn = new MultiHeadAttention({ nEmbd: 8, nHead: 2, causal: true }, undefined, "", { seed: 6 });
  const x = tf.randomNormal([1, 5, 8], 0, 1, "float32", 7) as tf.Tensor3D;
  const full = attn.forward(x);
  const cache = new KvCache();
  const first = attn.forward(x.slice([0, 0, 0], [1, 3, 8]), { cache: cache.layer(0) });
  assert.ok(maxDiff(first, full.slice([0, 0, 0], [1, 3, 8])) < 1e-5);
  for (let t = 3; t < 5; t++) {
    const y = attn.forward(x.slice([0, t, 0], [1, 1, 8]), { cache: cache.layer(0) });
    assert.ok(maxDiff(y, full.slice([0, t, 0], [1, 1, 8])) < 1e-5, `position ${t}`);
  }
  assert.equal(cache.layer(0).k!.shape[2], 5);
  const cross = new MultiHeadAttention({ nEmbd: 8, nHead: 2, cross: true }, undefined, "", { seed: 8 });
  const memory = tf.randomNormal([1, 4, 8], 0, 1, "float32", 9);
  const slot = new KvCache();
  const once = cross.forward(x, { memory, cache: slot.layer(0) });
  const again = cross.forward(x, { memory: tf.zeros([1, 4, 8]), cache: slot.layer(0) }); // keys/values from the cache
  assert.ok(maxDiff(once, again) < 1e-6);
  const before = tf.memory().numTensors;
  tf.dispose(attn.forward(x));
  const { grads, value } = tf.variableGrads(() => tf.sum(attn.forward(x)) as tf.Scalar, [...attn.params.values()]);
  tf.dispose([value, ...Object.values(grads)]);
  assert.equal(tf.memory().numTensors, before);
  [cache, slot].forEach((c) => c.dispose());
  [attn, cross].forEach((m) => m.dispose());
});

Deno.test("MultiHeadAttention and paddingMask: errors name the value and the expectation", () => {
  assert.throws(() => new MultiHeadAttention({ nEmbd: 8, nHead: 3 }), /nHead must divide nEmbd: current values/);
  assert.throws(() => new MultiHeadAttention({ nEmbd: 0, nHead: 1 }), /nEmbd must be a positive integer/);
  const cross = new MultiHeadAttention({ nEmbd: 8, nHead: 2, cross: true });
  assert.throws(() => cross.forward(tf.zeros([1, 2, 8])), /Cannot run cross-attention without memory/);
  assert.throws(() => cross.forward(tf.zeros([1, 2, 4]), { memory: tf.zeros([1, 2, 8]) }), {
    message: "Cannot attend as x must be [B, T, 8]: current shape is [1,2,4]",
  });
  assert.throws(
    () => cross.forward(tf.zeros([1, 2, 8]), { memory: tf.zeros([2, 2, 8]) }),
    /memory must be \[1, T, 8\]/,
  );
  cross.dispose();
  assert.throws(() => paddingMask(tf.tensor1d([1], "int32"), 0), /ids must be \[B, T\]: current shape is \[1\]/);
  assert.throws(() => paddingMask(tf.tensor2d([[1]]), 0), /ids must be int32: current dtype is float32/);
  assert.throws(() => new KvCache().layer(-1), /layer must be an integer ≥ 0: current value is -1/);
});
