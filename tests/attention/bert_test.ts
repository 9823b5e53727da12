import assert from "node:assert/strict";
import { Bert, BERT_TINY, bertConfig, mlmBatch } from "@lib/attention/mod.ts";
import { Prng, tf } from "@lib/core/mod.ts";
import { DISPLAY } from "@lib/notebook/mod.ts";
import { GPT } from "@lib/gpt/mod.ts";
import { AdamW, trainStep } from "@lib/nn/mod.ts";

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

Deno.test("Bert: the GPT's parameters, names and count for the same shape", () => {
  const bert = new Bert(BERT_TINY), gpt = new GPT(BERT_TINY);
  assert.deepEqual([...bert.params.keys()], [...gpt.params.keys()]);
  assert.equal(bert.numParams(), gpt.numParams());
  assert.equal(bert.summary().reduce((n, r) => n + r.count, 0), bert.numParams());
  assert.match(String(bert[DISPLAY]()["text/plain"]), /^BERT encoder: 2 layers/);
  bert.dispose();
  gpt.dispose();
});

Deno.test("Bert: every position sees both sides (a GPT's first position sees only itself)", () => {
  const bert = new Bert(BERT_TINY), gpt = new GPT(BERT_TINY);
  const a = tf.tensor2d([[1, 2, 3, 4]], [1, 4], "int32"), b = tf.tensor2d([[1, 2, 3, 9]], [1, 4], "int32");
  const first = (m: Bert | GPT, x: tf.Tensor) => m.forward(x).logits.slice([0, 0, 0], [1, 1, -1]);
  assert.ok(maxDiff(first(bert, a), first(bert, b)) > 1e-4, "the encoder's first position reads the last one");
  assert.ok(maxDiff(first(gpt, a), first(gpt, b)) < 1e-6, "the decoder's does not");
  const { attention } = bert.forward(a, undefined, { attention: true });
  assert.equal(attention!.length, 2);
  assert.deepEqual(attention![0].shape, [1, 2, 4, 4]);
  assert.ok((attention![0].arraySync()[0][0][0] as number[]).every((w) => w > 0), "no zero weight: no mask");
  bert.dispose();
  gpt.dispose();
});

Deno.test("Bert: the loss counts only targets that are not −1; training on masked batches lowers it", async () => {
  const model = new Bert(BERT_TINY);
  const x = tf.tensor2d([[1, 11, 3, 11]], [1, 4], "int32");
  const y1 = tf.tensor2d([[-1, 2, -1, -1]], [1, 4], "int32");
  const y2 = tf.tensor2d([[5, 2, 7, -1]], [1, 4], "int32");
  const { logits, loss } = model.forward(x, y1);
  const lp = tf.logSoftmax(logits).arraySync() as number[][][];
  assert.ok(Math.abs(loss!.dataSync()[0] + lp[0][1][2]) < 1e-5, "one target: its negative log-probability");
  const l2 = model.forward(x, y2).loss!.dataSync()[0];
  assert.ok(Math.abs(l2 + (lp[0][0][5] + lp[0][1][2] + lp[0][2][7]) / 3) < 1e-5);
  const data = Array.from({ length: 256 }, (_, i) => 2 + (Math.floor(i / 16) % 8)); // runs of one token
  const opt = new AdamW(model.params);
  const batch = (i: number) => mlmBatch(data, 8, 8, new Prng(i), { maskId: 11, vocabSize: 12, never: [0] });
  let first = 0, last = 0, before = 0;
  for (let i = 0; i < 100; i++) {
    const { x, y } = batch(i);
    const l = await trainStep(model, opt, x, y, { lr: 1e-2 });
    if (i === 0) [first, before] = [l, tf.memory().numTensors]; // after the optimizer made its moments
    last = l;
    tf.dispose([x, y]);
    if (i === 0) before -= 2;
  }
  assert.equal(tf.memory().numTensors, before, "a step leaves no tensor behind");
  assert.ok(last < first / 2, `loss ${first} → ${last}`);
  model.dispose();
});

Deno.test("Bert: bad inputs and configs say what is wrong", () => {
  const model = new Bert(BERT_TINY);
  assert.throws(() => model.forward(tf.tensor2d([[1, 2]], [1, 2], "float32")), {
    message: "Cannot run the encoder as idx must be int32 token ids: current dtype is float32",
  });
  assert.throws(() => model.forward(tf.zeros([1, 9], "int32")), {
    message: "Cannot run the encoder as idx must be [B, T] with 1 ≤ T ≤ blockSize 8: current shape is [1,9]",
  });
  assert.throws(
    () => model.forward(tf.zeros([1, 3], "int32"), tf.zeros([1, 2], "int32")),
    /targets must have the shape/,
  );
  assert.throws(() => model.param("nope"), /Cannot find encoder parameter "nope"/);
  assert.throws(() => bertConfig({ ...BERT_TINY, nLayer: 0 }), {
    message: "Cannot build a BERT encoder as nLayer must be a positive integer: current value is 0",
  });
  assert.throws(() => bertConfig({ ...BERT_TINY, dropout: 1 }), /dropout must be in \[0, 1\)/);
  assert.throws(() => bertConfig({ ...BERT_TINY, bias: 1 as unknown as boolean }), TypeError);
  model.dispose();
});
