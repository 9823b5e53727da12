import assert from "node:assert/strict";
import { EncoderBlock, paddingMask } from "@lib/attention/mod.ts";
import { Prng, tf } from "@lib/core/mod.ts";
import { Parameters } from "@lib/nn/mod.ts";

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

Deno.test("EncoderBlock: names, every position sees every real one, padding is hidden, weights sink", () => {
  const params = new Parameters();
  const block = new EncoderBlock(params, "enc.0.", { nEmbd: 8, nHead: 2, bias: true, dropout: 0 }, {
    seed: new Prng(1),
    std: 0.3,
  });
  assert.deepEqual([...params.keys()].map((n) => n.split(".").slice(2, 3)[0]), [
    ...Array(2).fill("ln_1"),
    ...Array(4).fill("attn"),
    ...Array(2).fill("ln_2"),
    ...Array(4).fill("mlp"),
  ]);
  const x = tf.randomNormal([1, 5, 8], 0, 1, "float32", 2) as tf.Tensor3D;
  const base = block.forward(x);
  // no causal mask: changing the last position changes the first one's output
  const last = tf.concat([x.slice([0, 0, 0], [1, 4, 8]), tf.ones([1, 1, 8])], 1) as tf.Tensor3D;
  assert.ok(maxDiff(block.forward(last).slice([0, 0, 0], [1, 1, 8]), base.slice([0, 0, 0], [1, 1, 8])) > 1e-3);
  // with position 4 masked as padding, the same change changes nothing at positions 0–3
  const mask = paddingMask(tf.tensor2d([[3, 4, 5, 6, 0]], [1, 5], "int32"), 0);
  const weights: tf.Tensor4D[] = [];
  const a = block.forward(x, { mask, weights }), b = block.forward(last, { mask });
  assert.ok(maxDiff(a.slice([0, 0, 0], [1, 4, 8]), b.slice([0, 0, 0], [1, 4, 8])) < 1e-6);
  assert.deepEqual(weights[0].shape, [1, 2, 5, 5]);
  assert.ok(weights[0].arraySync()[0].every((head) => head.every((row) => row[4] === 0)), "no weight on padding");
  // dropout only with a generator
  const rate = new EncoderBlock(new Parameters(), "", { nEmbd: 8, nHead: 2, bias: false, dropout: 0.5 });
  assert.ok(maxDiff(rate.forward(x), rate.forward(x)) === 0);
  assert.ok(maxDiff(rate.forward(x, { prng: new Prng(3) }), rate.forward(x)) > 1e-3);
  params.dispose();
});
