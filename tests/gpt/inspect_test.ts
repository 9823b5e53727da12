import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { attentionMaps, GPT, GPT_TINY, nextTokenProbs, splitLoss, trainingFlops } from "@lib/gpt/mod.ts";

Deno.test("nextTokenProbs is the softmax of the last position's logits, cut by the sampling settings", async () => {
  const model = new GPT(GPT_TINY, 3);
  const p = await nextTokenProbs(model, [1, 2, 3]);
  const before = tf.memory().numTensors; // after a first call (which may cache a causal mask)
  await nextTokenProbs(model, [1, 2, 3]);
  assert.equal(tf.memory().numTensors, before);
  const idx = tf.tensor2d([[1, 2, 3]], [1, 3], "int32");
  const { logits } = model.forward(idx);
  idx.dispose();
  const expected = tf.tidy(() => tf.softmax(logits.slice([0, 2, 0], [1, 1, -1]).reshape([-1])).dataSync());
  logits.dispose();
  p.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-6));
  const top2 = await nextTokenProbs(model, [1, 2, 3], { topK: 2 });
  assert.equal(top2.filter((x) => x > 0).length, 2);
  const long = Array.from({ length: 20 }, (_, i) => i % 11); // longer than blockSize 8: the last 8 count
  assert.deepEqual(await nextTokenProbs(model, long), await nextTokenProbs(model, long.slice(-8)));
  await assert.rejects(() => nextTokenProbs(model, []), /empty context/);
  await assert.rejects(() => nextTokenProbs(model, [11]), /token 0 is 11: ids must be integers in \[0, 11\)/);
  model.dispose();
});

Deno.test("attentionMaps: [layer][head][query][key], causal rows that sum to 1, no tensor left", async () => {
  const model = new GPT(GPT_TINY, 4);
  await attentionMaps(model, [3, 1, 4, 1, 5]); // a first call may cache a causal mask
  const before = tf.memory().numTensors;
  const maps = await attentionMaps(model, [3, 1, 4, 1, 5]);
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual([maps.length, maps[0].length, maps[0][0].length, maps[0][0][0].length], [2, 2, 5, 5]);
  for (const layer of maps) {
    for (const head of layer) {
      head.forEach((row, q) => {
        assert.ok(Math.abs(row.reduce((s, x) => s + x, 0) - 1) < 1e-5);
        row.forEach((w, k) => k > q && assert.equal(w, 0));
      });
    }
  }
  model.dispose();
});

Deno.test("splitLoss counts every token once in consecutive windows", async () => {
  const model = new GPT(GPT_TINY, 5);
  const ids = Array.from({ length: 8 * 5 + 3 }, (_, i) => (i * 7) % 11); // 5 whole windows, 3 tokens left over
  let total = 0;
  for (let w = 0; w < 5; w++) {
    const x = tf.tensor2d([ids.slice(w * 8, w * 8 + 8)], [1, 8], "int32");
    const y = tf.tensor2d([ids.slice(w * 8 + 1, w * 8 + 9)], [1, 8], "int32");
    const { logits, loss } = model.forward(x, y);
    total += loss!.dataSync()[0];
    tf.dispose([x, y, logits, loss!]);
  }
  assert.ok(Math.abs((await splitLoss(model, ids, 2)) - total / 5) < 1e-5);
  await assert.rejects(
    () => splitLoss(model, ids.slice(0, 8)),
    /split of 8 tokens: it needs at least blockSize \+ 1 = 9/,
  );
  await assert.rejects(() => splitLoss(model, ids, 0), /batchSize must be a positive integer/);
  model.dispose();
});

Deno.test("trainingFlops is 6·N·D: GPT-3's 3.15×10²³", () => {
  assert.equal(trainingFlops(175e9, 300e9), 3.15e23);
  assert.equal(trainingFlops(1e6, 1e6), 6e12);
  assert.throws(() => trainingFlops(0, 1), /params must be/);
});
