import assert from "node:assert/strict";
import {
  KvCache,
  padIds,
  Transformer,
  TRANSFORMER_TINY,
  type TransformerConfig,
  transformerConfig,
} from "@lib/attention/mod.ts";
import { tf } from "@lib/core/mod.ts";
import { DISPLAY } from "@lib/notebook/display.ts";

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

const CONFIGS: Partial<TransformerConfig>[] = [
  {},
  { positions: "sinusoidal", bias: false, nEncLayer: 1, nDecLayer: 3 },
];

Deno.test("Transformer: shapes of logits, loss, memory and attention weights; names; summary adds up", () => {
  for (const config of CONFIGS) {
    const model = new Transformer(config, 3);
    const { vocabSize: v, nEncLayer, nDecLayer, nHead: h } = model.config;
    const src = padIds([[5, 6, 7, 8], [9, 10]], 0), tgt = padIds([[1, 7, 6, 2], [1, 11, 2]], 0);
    const { logits, loss, attention } = model.forward(src, tgt, { attention: true });
    assert.deepEqual(logits.shape, [2, 3, v]);
    assert.ok(Math.abs(loss!.dataSync()[0] - Math.log(v)) < 0.2, "about uniform at first");
    assert.equal(attention!.encoder.length, nEncLayer);
    assert.deepEqual(attention!.encoder[0].shape, [2, h, 4, 4]);
    assert.deepEqual(attention!.decoder.map((w) => w.shape), Array(nDecLayer).fill([2, h, 3, 3]));
    assert.deepEqual(attention!.cross.map((w) => w.shape), Array(nDecLayer).fill([2, h, 3, 4]));
    const first = model.forward(src); // no target: the step after <bos>
    assert.deepEqual(first.logits.shape, [2, 1, v]);
    assert.ok(maxDiff(first.logits, logits.slice([0, 0, 0], [2, 1, v])) < 1e-5);
    const { memory, mask } = model.encode(src);
    assert.deepEqual(memory.shape, [2, 4, model.config.nEmbd]);
    assert.deepEqual(mask.shape, [2, 1, 1, 4]);
    assert.equal(model.summary().reduce((n, r) => n + r.count, 0), model.numParams());
    assert.ok(model.params.has("dec.0.cross.q_attn.weight") && model.params.has("enc.ln_f.weight"));
    assert.equal(model.params.has("dec.wpe.weight"), model.config.positions === "learned");
    if (model.config.positions === "learned") assert.ok(model.summary().some((r) => r.group === "enc.wpe"));
    assert.match(String(model[DISPLAY]()["text/plain"]), /^Transformer: \d encoder \+ \d decoder layers, 2 heads/);
    tf.dispose([src, tgt, logits, loss!, first.logits, memory, mask, ...Object.values(attention!).flat()]);
    model.dispose();
  }
});

Deno.test("Transformer: source padding changes nothing (perturbation), target padding is never a target", () => {
  const model = new Transformer({ nEmbd: 16, nHead: 2 }, 5);
  // Example 0 alone at its own length, or padded to length 6 beside a longer example: the same outputs.
  const alone = padIds([[5, 6, 7]], 0), beside = padIds([[5, 6, 7], [8, 9, 10, 11, 9, 8]], 0);
  const tgt1 = padIds([[1, 7, 5, 2]], 0), tgt2 = padIds([[1, 7, 5, 2], [1, 3, 2]], 0);
  const a = model.forward(alone, tgt1).logits, b = model.forward(beside, tgt2).logits;
  assert.ok(maxDiff(a, b.slice([0, 0, 0], [1, 3, 12])) < 1e-5, "padding to 6 gives the unpadded outputs");
  // The mask is what does it: the same ids with the padding read as tokens (another padId) change the outputs.
  const unmasked = new Transformer({ nEmbd: 16, nHead: 2, padId: 3 }, 5); // same weights, id 0 now a real token
  const c = unmasked.forward(beside, tgt2).logits;
  assert.ok(maxDiff(a, c.slice([0, 0, 0], [1, 3, 12])) > 1e-3, "without the mask the padding would be read");
  // Padding ids at the padded positions can be anything the mask hides: encoder memory at real positions unchanged.
  const m1 = model.encode(padIds([[5, 6, 7, 0, 0]], 0)), m2 = model.encode(padIds([[5, 6, 7]], 0));
  assert.ok(maxDiff(m1.memory.slice([0, 0, 0], [1, 3, 16]), m2.memory) < 1e-5);
  // Target padding: the loss of a padded target equals the loss of the unpadded one.
  const l1 = model.forward(alone, tgt1).loss!, l2 = model.forward(alone, padIds([[1, 7, 5, 2, 0, 0]], 0)).loss!;
  assert.ok(Math.abs(l1.dataSync()[0] - l2.dataSync()[0]) < 1e-6);
  tf.dispose([alone, beside, tgt1, tgt2, a, b, c, m1.memory, m1.mask, m2.memory, m2.mask, l1, l2]);
  [model, unmasked].forEach((m) => m.dispose());
});

Deno.test("Transformer: the decoder is causal, and its KV-cache steps give the teacher-forced logits", () => {
  const model = new Transformer({}, 7);
  const src = padIds([[5, 6, 7, 8], [9, 10, 11]], 0);
  const tgt = padIds([[1, 4, 5, 6, 2], [1, 7, 8, 9, 2]], 0);
  const full = model.forward(src, tgt).logits; // [2, 4, V]
  const changed = model.forward(src, padIds([[1, 4, 5, 11, 2], [1, 7, 8, 3, 2]], 0)).logits; // position 3 differs
  assert.ok(maxDiff(full.slice([0, 0, 0], [2, 3, 12]), changed.slice([0, 0, 0], [2, 3, 12])) < 1e-6);
  assert.ok(maxDiff(full.slice([0, 3, 0], [2, 1, 12]), changed.slice([0, 3, 0], [2, 1, 12])) > 1e-4);
  const enc = model.encode(src), cache = new KvCache();
  for (let t = 0; t < 4; t++) {
    const step = model.decode(tgt.slice([0, t], [2, 1]), enc, cache);
    assert.ok(maxDiff(step, full.slice([0, t, 0], [2, 1, 12])) < 1e-4, `step ${t}`);
    step.dispose();
  }
  assert.equal(cache.length, 4);
  assert.throws(() => model.decode(tgt.slice([0, 0], [2, 4]), enc, cache), /decoder input must be int32 \[B, T\]/);
  tf.dispose([src, tgt, full, changed, enc.memory, enc.mask]);
  cache.dispose();
  model.dispose();
});

Deno.test("Transformer: a training step and a forward pass leave no tensor behind", () => {
  const model = new Transformer({ dropout: 0.1 }, 9);
  const src = padIds([[5, 6, 7], [8]], 0), tgt = padIds([[1, 7, 2], [1, 8, 8, 2]], 0);
  tf.dispose(Object.values(model.forward(src, tgt)) as tf.Tensor[]); // warm-up: the causal-mask cache fills once
  const before = tf.memory().numTensors;
  const { value, grads } = tf.variableGrads(
    () => model.forward(src, tgt, { training: true, seed: 3 }).loss!,
    [...model.params.values()],
  );
  assert.equal(Object.keys(grads).length, model.params.size);
  tf.dispose([value, ...Object.values(grads)]);
  const out = model.forward(src, tgt, { attention: true });
  tf.dispose([out.logits, out.loss!, ...Object.values(out.attention!).flat()]);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([src, tgt]);
  model.dispose();
});

Deno.test("Transformer: config and input errors name the value and the expectation", () => {
  assert.throws(() => transformerConfig({ nEmbd: 10, nHead: 4 }), /nHead must divide nEmbd and nEmbd must be even/);
  assert.throws(() => transformerConfig({ nEmbd: 9, nHead: 3 }), /nEmbd must be even/);
  assert.throws(() => transformerConfig({ eosId: 12 }), {
    message: "Cannot build a Transformer as eosId must be a token id below vocabSize 12: current value is 12",
  });
  assert.throws(
    () => transformerConfig({ bosId: 0 }),
    /padId, bosId and eosId must differ: current values are 0, 0, 2/,
  );
  assert.throws(() => transformerConfig({ dropout: 1 }), /dropout must be in \[0, 1\)/);
  assert.throws(() => transformerConfig({ maxTgtLen: 1 }), /maxTgtLen must hold <bos> and <eos>/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => transformerConfig({ positions: "rotary" as any }), /positions must be "sinusoidal" or "learned"/);
  assert.equal(transformerConfig().nEmbd, TRANSFORMER_TINY.nEmbd);
  const model = new Transformer();
  const long = tf.zeros([1, 9], "int32"), floats = tf.zeros([1, 3]);
  assert.throws(() => model.forward(long), {
    message: "Cannot run the Transformer as source must be int32 [B, T] with 1 ≤ T ≤ 8: current int32 tensor of " +
      "shape [1,9]",
  });
  assert.throws(() => model.forward(floats), /source must be int32 \[B, T\].*current float32 tensor/);
  const src = padIds([[5], [6]], 0), tgt = padIds([[1, 2]], 0);
  assert.throws(() => model.forward(src, tgt), /source and target batches differ: 2 and 1/);
  tf.dispose([long, floats, src, tgt]);
  model.dispose();
});
