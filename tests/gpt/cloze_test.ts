import assert from "node:assert/strict";
import { Bert, BERT_TINY } from "@lib/attention/mod.ts";
import { tf } from "@lib/core/mod.ts";
import {
  charAccuracy,
  clozeItems,
  decoderContinue,
  decoderFillByScoring,
  decoderFillLeft,
  encoderContinue,
  encoderFill,
  GPT,
  mostFrequent,
  sequenceLogProb,
} from "@lib/gpt/mod.ts";

const MASK = 11, vocab = { maskId: MASK, exclude: [0] };

/** Next-token log-probabilities of a GPT for one sequence, as rows. */
function rowsOf(model: GPT, ids: number[]): number[][] {
  return tf.tidy(() => {
    const { logits } = model.forward(tf.tensor2d([ids], [1, ids.length], "int32"));
    return (tf.logSoftmax(logits).arraySync() as number[][][])[0];
  });
}

Deno.test("sequenceLogProb: the sum of each next token's log-probability; too few rows say so", () => {
  const rows = [[-1, -2, -3], [-4, -5, -6], [-7, -8, -9]];
  assert.equal(sequenceLogProb(rows, [2, 1, 0, 2]), -2 - 4 - 9);
  assert.equal(sequenceLogProb([], [5]), 0);
  assert.throws(() => sequenceLogProb(rows.slice(0, 1), [0, 1, 2]), {
    message: "Cannot score a sequence of 3 tokens with 1 rows of log-probabilities: it needs 2",
  });
});

Deno.test("charAccuracy, mostFrequent, clozeItems", () => {
  assert.equal(charAccuracy([[1, 2], [3, 4, 5]], [[1, 0], [3, 4, 6]]), 3 / 5);
  assert.equal(charAccuracy([[1]], [[1, 2]]), 0.5, "a missing position is wrong");
  assert.throws(() => charAccuracy([], []), /at least one/);
  assert.equal(mostFrequent([1, 1, 2, 2, 2, 0, 0, 0, 0], (id) => id > 0), 2);
  assert.equal(mostFrequent([2, 1], () => true), 1, "ties: the smaller id");
  assert.throws(() => mostFrequent([0], (id) => id > 0), /none of 1 is allowed/);
  const items = clozeItems([[0, 1, 2, 3], [0, 0], [0, 4, 5]], (n) => n - 1, (ids, i) => i > 0 && ids[i] > 0);
  assert.deepEqual(items, [{ ids: [0, 1, 2, 3], position: 3 }, { ids: [0, 4, 5], position: 2 }]);
});

Deno.test("decoderFillByScoring: the best whole sentence among the shortlist, by sequenceLogProb", async () => {
  const model = new GPT({ ...BERT_TINY, vocabSize: 12 }, 3);
  const item = { ids: [1, 2, 3, 4, 5], position: 2 };
  const { predictions, covered } = await decoderFillByScoring(model, [item], vocab, 12);
  // by hand: every candidate but the excluded ones, scored by sequenceLogProb over the whole sentence
  const scores = Array.from({ length: 12 }, (_, c) => c).filter((c) => c !== 0 && c !== MASK).map((c) => {
    const ids = [1, 2, c, 4, 5];
    return [c, sequenceLogProb(rowsOf(model, ids), ids)];
  });
  const byHand = scores.sort((a, b) => b[1] - a[1])[0][0];
  assert.deepEqual(predictions, [byHand]);
  assert.deepEqual(covered, [true], "a shortlist of the whole vocabulary covers the answer");
  // a shortlist of one is the left-context prediction
  const left = await decoderFillLeft(model, [item], vocab);
  assert.deepEqual((await decoderFillByScoring(model, [item], vocab, 1)).predictions, left);
  const leftByHand = rowsOf(model, [1, 2])[1].map((lp, j) => [j, lp]).filter(([j]) => j !== 0 && j !== MASK)
    .sort((a, b) => b[1] - a[1])[0][0];
  assert.deepEqual(left, [leftByHand]);
  await assert.rejects(() => decoderFillLeft(model, [{ ids: [1, 2], position: 0 }], vocab), {
    message: "Cannot fill a blank from the left as its position must be in [1, 2): current value is 0",
  });
  await assert.rejects(() => decoderFillByScoring(model, [item], vocab, 0), /shortlist must be a positive integer/);
  model.dispose();
});

Deno.test("encoderFill reads both sides: the mask at the blank, the argmax there", async () => {
  const model = new Bert(BERT_TINY, 5);
  const items = [{ ids: [1, 2, 3, 4], position: 1 }, { ids: [1, 2, 3, 9], position: 1 }, { ids: [4, 4], position: 0 }];
  const got = await encoderFill(model, items, vocab);
  const byHand = items.map((it) =>
    tf.tidy(() => {
      const x = it.ids.map((id, t) => t === it.position ? MASK : id);
      const { logits } = model.forward(tf.tensor2d([x], [1, x.length], "int32"));
      const row = (logits.arraySync() as number[][][])[0][it.position];
      return row.map((l, j) => [j, l]).filter(([j]) => j !== 0 && j !== MASK).sort((a, b) => b[1] - a[1])[0][0];
    })
  );
  assert.deepEqual(got, byHand);
  model.dispose();
});

Deno.test("decoderContinue is greedy; encoderContinue fills the surest mask first; no tensor left", async () => {
  const gpt = new GPT({ ...BERT_TINY, vocabSize: 12 }, 4), bert = new Bert(BERT_TINY, 4);
  const items = [{ prompt: [1, 2], answer: [3, 4, 5], suffix: [6] }, {
    prompt: [2, 1],
    answer: [7, 7, 7],
    suffix: [6],
  }];
  await decoderContinue(gpt, items, vocab); // the first causal forward caches its mask: warm it up
  const before = tf.memory().numTensors;
  const written = await decoderContinue(gpt, items, vocab);
  // greedy by hand for the first item
  const seq = [1, 2];
  for (let i = 0; i < 3; i++) {
    const row = rowsOf(gpt, seq).at(-1)!;
    seq.push(row.map((lp, j) => [j, lp]).filter(([j]) => j !== 0 && j !== MASK).sort((a, b) => b[1] - a[1])[0][0]);
  }
  assert.deepEqual(written[0], seq.slice(2));
  const unmasked = await encoderContinue(bert, items, vocab);
  assert.deepEqual(unmasked.map((w) => w.length), [3, 3]);
  assert.ok(unmasked.flat().every((id) => id !== MASK && id !== 0));
  // the first fill of item 0 is the most confident position of the all-masked input
  const first = tf.tidy(() => {
    const { logits } = bert.forward(tf.tensor2d([[1, 2, MASK, MASK, MASK, 6]], [1, 6], "int32"));
    const lp = (tf.logSoftmax(logits).arraySync() as number[][][])[0];
    const bestOf = (p: number) =>
      lp[p].map((v, j) => [j, v]).filter(([j]) => j !== 0 && j !== MASK).sort((a, b) => b[1] - a[1])[0];
    return [2, 3, 4].map((p) => [p, ...bestOf(p)]).sort((a, b) => b[2] - a[2])[0];
  });
  assert.equal(unmasked[0][first[0] - 2], first[1]);
  assert.equal(tf.memory().numTensors, before);
  gpt.dispose();
  bert.dispose();
});
