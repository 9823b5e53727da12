import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { DISPLAY } from "@lib/notebook/mod.ts";
import { accuracyByDistance, longRangeBatch, longRangeVocabulary } from "@lib/data/mod.ts";
import { AdamW, embedSlots, lstm, LstmClassifier, train } from "@lib/nn/mod.ts";

Deno.test("embedSlots: slots are added; [B, T] ids are a plain lookup; clear errors", () => {
  const table = tf.tensor2d([[1, 0], [0, 1], [5, 5]]);
  assert.deepEqual(embedSlots(table, tf.tensor2d([[2, 0]], [1, 2], "int32"), "x").arraySync(), [[[5, 5], [1, 0]]]);
  assert.deepEqual(
    embedSlots(table, tf.tensor3d([[[0, 1], [1, 1]]], [1, 2, 2], "int32"), "x").arraySync(),
    [[[1, 1], [0, 2]]],
  );
  assert.throws(
    () => embedSlots(table, tf.tensor2d([[0.5]]), "embed"),
    /Cannot embed as the ids must be an int32 tensor/,
  );
});

Deno.test("LstmClassifier: the answer is read from the last hidden state of 07's LSTM", () => {
  const model = new LstmClassifier({ vocabSize: 7, embed: 3, hidden: 5, classes: 4 }, 2);
  assert.equal(model.numParams(), 7 * 3 + (3 + 5 + 1) * 20 + 5 * 4 + 4);
  assert.deepEqual(model.summary().map((g) => g.group), ["embedding", "cell", "head"]);
  assert.match(
    String(model[DISPLAY]()["text/plain"]),
    /^LSTM classifier: embedding 3, 5 hidden units, 4 classes: 225 parameters/,
  );
  const x = tf.tensor2d([[1, 2, 3, 4], [6, 5, 4, 3]], [2, 4], "int32");
  const { logits } = model.forward(x);
  // the same by hand: embedding, lstm, head on h_T
  const p = (n: string) => model.params.get(n)!;
  const e = tf.gather(p("embedding"), x);
  const { h } = lstm(e, { kernel: p("cell.kernel"), recurrentKernel: p("cell.recurrentKernel"), bias: p("cell.bias") });
  const byHand = tf.add(tf.matMul(h, p("head.weight")), p("head.bias"));
  assert.ok(tf.max(tf.abs(tf.sub(logits, byHand))).dataSync()[0] < 1e-5);
  const before = tf.memory().numTensors;
  const out = model.forward(x, tf.tensor1d([0, 3], "int32"));
  assert.equal(out.loss!.shape.length, 0);
  tf.dispose([out.logits, out.loss!]);
  assert.equal(tf.memory().numTensors, before + 1, "only the targets' tensor is left");
  assert.throws(() => model.forward(x, tf.tensor1d([0], "int32")), /targets must be an int32 tensor \[2\]/);
  assert.throws(
    () => new LstmClassifier({ vocabSize: 7, embed: 0, hidden: 5, classes: 4 }),
    /config.embed must be a positive integer/,
  );
  model.dispose();
  assert.equal(model.params.size, 0);
});

Deno.test("LstmClassifier: learns recall at a short distance", async () => {
  const config = { length: 12, keys: 6, values: 3, density: 0.2 };
  const vocab = longRangeVocabulary(config);
  const model = new LstmClassifier({ vocabSize: vocab.size, embed: 16, hidden: 32, classes: 3 }, 1);
  const optimizer = new AdamW(model.params, { weightDecay: 0 });
  await train({
    model,
    optimizer,
    steps: 300,
    lr: 1e-2,
    gradClip: 1,
    progress: false,
    batches: (_it, prng) => longRangeBatch(config, 32, prng, 2),
  });
  const [row] = await accuracyByDistance(model, config, [2], { examples: 200 });
  assert.ok(row.accuracy > 0.8, `accuracy ${row.accuracy} at distance 2`);
  model.dispose();
});
