import assert from "node:assert/strict";
import { DecoderBlock, KvCache, paddingMask } from "@lib/attention/mod.ts";
import { Prng, tf } from "@lib/core/mod.ts";
import { Parameters } from "@lib/nn/mod.ts";

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

Deno.test("DecoderBlock: causal over the output, cross-attention to the real source positions, cached steps", () => {
  const params = new Parameters();
  const block = new DecoderBlock(params, "dec.0.", { nEmbd: 8, nHead: 2, bias: true, dropout: 0 }, {
    seed: new Prng(4),
    std: 0.3,
  });
  assert.ok(params.has("dec.0.cross.q_attn.weight") && params.has("dec.0.cross.kv_attn.weight"));
  assert.ok(params.has("dec.0.ln_3.weight") && params.has("dec.0.mlp.c_fc.weight"));
  const x = tf.randomNormal([1, 4, 8], 0, 1, "float32", 5) as tf.Tensor3D;
  const memory = tf.randomNormal([1, 3, 8], 0, 1, "float32", 6) as tf.Tensor3D;
  const weights = { self: [] as tf.Tensor4D[], cross: [] as tf.Tensor4D[] };
  const base = block.forward(x, { memory, weights });
  assert.deepEqual(weights.self[0].shape, [1, 2, 4, 4]);
  assert.deepEqual(weights.cross[0].shape, [1, 2, 4, 3]);
  // causal: a change at output position 3 leaves positions 0–2 alone
  const later = tf.concat([x.slice([0, 0, 0], [1, 3, 8]), tf.ones([1, 1, 8])], 1) as tf.Tensor3D;
  assert.ok(
    maxDiff(block.forward(later, { memory }).slice([0, 0, 0], [1, 3, 8]), base.slice([0, 0, 0], [1, 3, 8])) < 1e-6,
  );
  // the memory matters, except where the mask hides it
  const moved = tf.concat([memory.slice([0, 0, 0], [1, 2, 8]), tf.ones([1, 1, 8])], 1) as tf.Tensor3D;
  assert.ok(maxDiff(block.forward(x, { memory: moved }), base) > 1e-3);
  const memoryMask = paddingMask(tf.tensor2d([[5, 6, 0]], [1, 3], "int32"), 0);
  const hidden = block.forward(x, { memory, memoryMask });
  assert.ok(maxDiff(block.forward(x, { memory: moved, memoryMask }), hidden) < 1e-6);
  // one position at a time with a cache gives the whole pass
  const cache = new KvCache();
  for (let t = 0; t < 4; t++) {
    const y = block.forward(x.slice([0, t, 0], [1, 1, 8]), {
      memory,
      cache: { self: cache.layer(0), cross: cache.layer(1) },
    });
    assert.ok(maxDiff(y, base.slice([0, t, 0], [1, 1, 8])) < 1e-5, `step ${t}`);
  }
  cache.dispose();
  params.dispose();
});
