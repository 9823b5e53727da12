import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { GPT } from "@lib/gpt/mod.ts";
import { chatBatch, chatBatches, encodeChat, growForChat } from "@lib/rlhf/mod.ts";
import { CharTokenizer } from "@lib/text/mod.ts";
import { crossEntropy } from "@lib/nn/layers.ts";

function setup() {
  const tok = CharTokenizer.fromText("床前明月光疑是地上霜举头望低思故乡续写，。");
  const model = new GPT({ vocabSize: tok.vocabSize, blockSize: 32, nLayer: 1, nHead: 2, nEmbd: 16 }, 3);
  growForChat(model, tok);
  const a = encodeChat(tok, { prompt: "续写：床前明月光", response: "床前明月光，疑是地上霜。" });
  const b = encodeChat(tok, { prompt: "续写：举头望明月", response: "举头望明月，低头思故乡。" });
  return { tok, model, a, b };
}

Deno.test("chatBatch: rows shifted by one, right-padded, weights = the response mask, 0 on padding", () => {
  const { tok, model, a } = setup();
  const short = encodeChat(tok, { prompt: "续写", response: "月" });
  const pad = tok.specialId("<|end|>");
  const { x, y, weights } = chatBatch([a, short], pad, model.config.blockSize);
  const t = a.ids.length - 1;
  assert.deepEqual(x.shape, [2, t]);
  const [xs, ys, ws] = [x.arraySync() as number[][], y.arraySync() as number[][], weights!.arraySync() as number[][]];
  assert.deepEqual(xs[0], a.ids.slice(0, -1));
  assert.deepEqual(ys[0], a.ids.slice(1));
  assert.deepEqual(ws[0], a.mask);
  const n = short.ids.length - 1;
  assert.deepEqual(ws[1], [...short.mask, ...new Array(t - n).fill(0)]);
  assert.deepEqual(xs[1].slice(n), new Array(t - n).fill(pad));
  tf.dispose([x, y, weights!]);
  model.dispose();
});

Deno.test("chatBatch: prompt tokens contribute zero gradient — to the logits, and to every parameter", () => {
  const { model, a, b, tok } = setup();
  const pad = tok.specialId("<|end|>");
  const batch = chatBatch([a, b], pad, model.config.blockSize);
  const params = [...model.params.values()];
  const lossOf = (y: tf.Tensor) => () => model.forward(batch.x, y, { weights: batch.weights }).loss!;
  // 1. the gradient of the loss (lib/nn's crossEntropy, the GPT's) with respect to the logits is 0 where masked
  const logits = model.forward(batch.x).logits;
  const [bsz, t, v] = logits.shape;
  const flat = (m: tf.Tensor) => m.reshape([-1]) as tf.Tensor1D;
  const dLogits = tf.grad((l: tf.Tensor) =>
    crossEntropy(l.reshape([bsz * t, v]) as tf.Tensor2D, flat(batch.y), flat(batch.weights!))
  )(logits);
  const rows = dLogits.reshape([bsz * t, v]).arraySync() as number[][];
  const w = batch.weights!.reshape([-1]).arraySync() as number[];
  for (let i = 0; i < rows.length; i++) {
    const norm = Math.hypot(...rows[i]);
    if (w[i] === 0) assert.equal(norm, 0, `masked position ${i} gets gradient ${norm}`);
    else assert.ok(norm > 0, `response position ${i} gets no gradient`);
  }
  // 2. changing the targets of the prompt positions changes neither the loss nor any parameter's gradient
  const yData = batch.y.arraySync() as number[][];
  const wData = batch.weights!.arraySync() as number[][];
  const scrambled = tf.tensor2d(
    yData.map((row, r) => row.map((id, c) => (wData[r][c] === 0 ? (id + 7) % v : id))),
    [bsz, t],
    "int32",
  );
  const g1 = tf.variableGrads(lossOf(batch.y), params), g2 = tf.variableGrads(lossOf(scrambled), params);
  assert.equal(g1.value.dataSync()[0], g2.value.dataSync()[0]);
  for (const name of Object.keys(g1.grads)) {
    assert.deepEqual(g2.grads[name].dataSync(), g1.grads[name].dataSync(), `gradient of ${name}`);
  }
  // 3. and without the mask they would differ: the test can fail
  const noMask = (y: tf.Tensor) => () => model.forward(batch.x, y).loss!;
  const h1 = tf.variableGrads(noMask(batch.y), params), h2 = tf.variableGrads(noMask(scrambled), params);
  assert.notEqual(h1.value.dataSync()[0], h2.value.dataSync()[0]);
  tf.dispose([logits, dLogits, scrambled, g1.value, g2.value, h1.value, h2.value, batch.x, batch.y, batch.weights!]);
  [g1, g2, h1, h2].forEach((g) => tf.dispose(Object.values(g.grads)));
  model.dispose();
});

Deno.test("chatBatches: seeded draws (a resumed run draws the same batch); no tensors leak", () => {
  const { model, a, b } = setup();
  const source = chatBatches([a, b], 6, 0, model.config.blockSize);
  const before = tf.memory().numTensors;
  const one = source(3, new Prng(9)), two = source(3, new Prng(9));
  assert.deepEqual(one.x.arraySync(), two.x.arraySync());
  tf.dispose([one.x, one.y, one.weights!, two.x, two.y, two.weights!]);
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});

Deno.test("chatBatch: clear errors for no examples, an example longer than the context, a wrong mask", () => {
  const { a } = setup();
  assert.throws(() => chatBatch([], 0, 32), /Cannot build a chat batch from no examples/);
  assert.throws(() => chatBatch([a], 0, 8), /example 0 has \d+ tokens: it needs 2 to blockSize \+ 1 = 9/);
  assert.throws(() => chatBatch([{ ...a, mask: [1] }], 0, 32), /example 0's mask has 1 entries/);
  assert.throws(() => chatBatches([], 4, 0, 32), /Cannot draw chat batches from no examples/);
  assert.throws(() => chatBatches([a], 0, 0, 32), /batchSize/);
});
