import assert from "node:assert/strict";
import { AttentionClassifier } from "@lib/attention/mod.ts";
import { tf } from "@lib/core/mod.ts";
import { DISPLAY } from "@lib/notebook/mod.ts";
import { accuracyByDistance, longRangeBatch, longRangeVocabulary } from "@lib/data/mod.ts";
import { AdamW, train } from "@lib/nn/mod.ts";

const SHAPE = { vocabSize: 9, maxLength: 6, nEmbd: 8, nHead: 2, nLayer: 2, classes: 3 };

Deno.test("AttentionClassifier: shapes, parameter counts, positions, weights of every block", async () => {
  const sin = new AttentionClassifier({ ...SHAPE, positions: "sinusoidal" }, 1);
  const learned = new AttentionClassifier({ ...SHAPE, positions: "learned" }, 1);
  const block = 2 * 8 * 2 + 4 * 8 * 8 + 4 * 8 + 8 * 32 + 32 + 32 * 8 + 8; // two LayerNorms, attention, MLP
  assert.equal(sin.numParams(), 9 * 8 + 2 * block + 2 * 8 + 8 * 3 + 3);
  assert.equal(learned.numParams(), sin.numParams() + 6 * 8);
  assert.deepEqual(learned.summary().map((g) => g.group), ["wte", "wpe", "h", "ln_f", "head"]);
  assert.match(
    String(learned[DISPLAY]()["text/plain"]),
    /^Attention classifier: 2 blocks, 2 heads, width 8, learned positions/,
  );
  const x = tf.tensor3d([[[1, 2], [3, 4], [5, 5], [0, 8]]], [1, 4, 2], "int32");
  const maps = await sin.attentionWeights(x);
  assert.equal(maps.length, 2);
  for (const row of maps[0][0][1]) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
  assert.equal(maps[1][0][0].length, 4);
  // no causal mask: the first position changes the answer read at the last one
  const other = tf.tensor3d([[[6, 2], [3, 4], [5, 5], [0, 8]]], [1, 4, 2], "int32");
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(sin.forward(x).logits, sin.forward(other).logits))).dataSync()[0]);
  assert.ok(diff > 1e-4);
  assert.throws(() => sin.forward(tf.zeros([1, 7, 2], "int32")), /at most 6 long: current length is 7/);
  assert.throws(() => sin.forward(x, tf.tensor1d([0, 1], "int32")), /targets must be an int32 tensor \[1\]/);
  assert.throws(
    () => new AttentionClassifier({ ...SHAPE, positions: "rotary" as "learned" }),
    /positions must be "sinusoidal" or "learned": current value is rotary/,
  );
  assert.throws(() => new AttentionClassifier({ ...SHAPE, nHead: 3, positions: "learned" }), /nHead must divide nEmbd/);
  sin.dispose();
  learned.dispose();
});

Deno.test("AttentionClassifier: learns recall across a whole sequence, and attends to the asked pair", async () => {
  const config = { length: 24, keys: 10, values: 3, density: 0.3 };
  const vocab = longRangeVocabulary(config);
  const model = new AttentionClassifier(
    { vocabSize: vocab.size, maxLength: 24, nEmbd: 16, nHead: 2, nLayer: 1, classes: 3, positions: "sinusoidal" },
    1,
  );
  const optimizer = new AdamW(model.params, { weightDecay: 0 });
  await train({
    model,
    optimizer,
    steps: 250,
    lr: 3e-3,
    gradClip: 1,
    progress: false,
    batches: (_it, prng) => longRangeBatch(config, 32, prng),
  });
  const rows = await accuracyByDistance(model, config, [2, 22], { examples: 200 });
  assert.ok(rows.every((r) => r.accuracy > 0.9), JSON.stringify(rows));
  const { x } = longRangeBatch(config, 1, 5, 20);
  const [layer] = await model.attentionWeights(x);
  // the last position's row of each head; the query's own position has the same key, so it is left out
  const heads = layer[0].map((head) => head[23].slice(0, 23));
  const best = heads.reduce((a, b) => (b[3] > a[3] ? b : a));
  assert.equal(best.indexOf(Math.max(...best)), 3, "the strongest head looks at the asked pair, 20 back");
  assert.ok(best[3] > 0.25, `it puts ${best[3]} on it (uniform would be ${(1 / 24).toFixed(3)})`);
  tf.dispose(x);
  model.dispose();
});
