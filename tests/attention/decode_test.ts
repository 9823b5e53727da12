import assert from "node:assert/strict";
import {
  attentionMaps,
  beamSearch,
  greedyDecode,
  type IdPair,
  pairBatch,
  Transformer,
  TRANSFORMER_TINY,
} from "@lib/attention/mod.ts";
import { Prng, tf } from "@lib/core/mod.ts";
import { AdamW, epochBatches, train } from "@lib/nn/mod.ts";

/** Reversal pairs over tokens 3…11: source s₁…sₙ, target <bos> sₙ…s₁ <eos>. */
function reversals(n: number, seed: number): IdPair[] {
  const prng = new Prng(seed);
  return Array.from({ length: n }, () => {
    const source = Array.from({ length: 1 + prng.int(4) }, () => 3 + prng.int(9));
    return { source, target: [1, ...source.toReversed(), 2] };
  });
}

let trainedModel: Transformer | null = null;

/** A tiny Transformer trained to reverse on lib/nn's loop (shared by the tests below). */
async function trained(): Promise<Transformer> {
  if (trainedModel) return trainedModel;
  const model = new Transformer({ ...TRANSFORMER_TINY, nEmbd: 32, nHead: 4 }, 11);
  const pairs = reversals(2000, 1), epochs = epochBatches(pairs.length, 32, 2);
  const optimizer = new AdamW(model.params, { weightDecay: 0 });
  const run = await train({
    model,
    optimizer,
    batches: (it) => pairBatch(pairs, epochs.indices(it), 0),
    steps: 400,
    lr: 3e-3,
    gradClip: 1,
    progress: false,
  });
  optimizer.dispose();
  assert.ok(run.losses.at(-1)! < run.losses[0] / 4, `the loss falls: ${run.losses[0]} → ${run.losses.at(-1)}`);
  return trainedModel = model;
}

Deno.test("a Transformer trained on lib/nn's loop reverses held-out sequences, greedy and with beams", async () => {
  const model = await trained();
  const test = reversals(200, 99);
  const greedy = await greedyDecode(model, test.map((p) => p.source), { batchSize: 64 });
  const right = greedy.ids.filter((ids, i) => ids.join() === test[i].target.slice(1, -1).join()).length;
  assert.ok(right / test.length > 0.9, `greedy exact match ${right}/${test.length}`);
  assert.ok(greedy.finished.every((f) => f));
  const beam = await beamSearch(model, test.map((p) => p.source), { beamWidth: 3, batchSize: 60 });
  const beamRight = beam.ids.filter((ids, i) => ids.join() === test[i].target.slice(1, -1).join()).length;
  assert.ok(beamRight >= right - 2, `beam ${beamRight} vs greedy ${right}`);
  for (const beams of beam.beams) {
    assert.equal(beams.length, 3);
    for (let j = 1; j < 3; j++) assert.ok(beams[j - 1].logProb >= beams[j].logProb, "best first");
  }
});

Deno.test("beam search with width 1 is greedy decoding: same outputs and log-probabilities", async () => {
  for (const model of [await trained(), new Transformer(TRANSFORMER_TINY, 4)]) {
    const sources = reversals(50, 7).map((p) => p.source);
    const greedy = await greedyDecode(model, sources, { batchSize: 16 });
    const beam = await beamSearch(model, sources, { beamWidth: 1, batchSize: 20 });
    assert.deepEqual(beam.ids, greedy.ids);
    assert.deepEqual(beam.finished, greedy.finished);
    beam.logProbs.forEach((lp, i) => assert.ok(Math.abs(lp - greedy.logProbs[i]) < 1e-4));
    if (model !== trainedModel) model.dispose();
  }
});

Deno.test("greedy log-probabilities and attention maps are those of the teacher-forced pass", async () => {
  const model = await trained();
  const sources = [[3, 4, 5, 6], [7], [8, 9]];
  const out = await greedyDecode(model, sources, { attention: true });
  for (let i = 0; i < sources.length; i++) {
    const maps = out.attention![i];
    const t = out.ids[i].length + 1, s = sources[i].length;
    assert.deepEqual(maps.source, sources[i]);
    assert.deepEqual(maps.written, [...out.ids[i], 2]);
    assert.equal(maps.cross.length, 2);
    assert.deepEqual([maps.cross[0].length, maps.cross[0][0].length, maps.cross[0][0][0].length], [4, t, s]);
    assert.deepEqual([maps.encoder[1].length, maps.encoder[1][0].length], [4, s]);
    assert.deepEqual([maps.decoder[0][0].length, maps.decoder[0][0][0].length], [t, t]);
    for (const row of maps.cross[1][2]) assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
    // the log-probability of the output, recomputed in one teacher-forced pass
    const src = tf.tensor2d([sources[i]], [1, s], "int32");
    const tgt = tf.tensor2d([[1, ...maps.written]], [1, t + 1], "int32");
    const { logits } = model.forward(src, tgt);
    const lp = tf.tidy(() => tf.logSoftmax(logits).arraySync() as number[][][])[0];
    const total = maps.written.reduce((sum, id, j) => sum + lp[j][id], 0);
    assert.ok(Math.abs(total - out.logProbs[i]) < 1e-4);
    tf.dispose([src, tgt, logits]);
  }
  // reversal: the step writing the k-th output token looks at source position n − 1 − k (some layer and head, for at
  // least 3 of the 4 steps: chance would match 1)
  const maps = out.attention![0];
  const looks = maps.cross.flat().map((head) => head.slice(0, 4).map((row) => row.indexOf(Math.max(...row))));
  const aligned = (cols: number[]) => cols.filter((col, k) => col === 3 - k).length;
  assert.ok(looks.some((cols) => aligned(cols) >= 3), `argmax columns by head: ${JSON.stringify(looks)}`);
});

Deno.test("decoding leaves no tensor behind; unfinished outputs stop at maxLen", async () => {
  const model = await trained();
  const sources = [[3, 4, 5], [6, 7]];
  const all = async () => {
    await greedyDecode(model, sources, { attention: true });
    await beamSearch(model, sources, { beamWidth: 3, attention: true, lengthPenalty: 0.6 });
    attentionMaps(model, sources, [[5, 4, 3], [7, 6]]);
  };
  await all(); // the first run caches a causal mask per size
  const before = tf.memory().numTensors;
  await all();
  assert.equal(tf.memory().numTensors, before);
  const short = await greedyDecode(model, sources, { maxLen: 1 });
  assert.deepEqual(short.ids.map((ids) => ids.length), [1, 1]);
  assert.deepEqual(short.finished, [false, false]);
  const beamShort = await beamSearch(model, sources, { maxLen: 2, beamWidth: 2, attention: true });
  assert.equal(beamShort.attention![0].written.length, beamShort.finished[0] ? beamShort.ids[0].length + 1 : 2);
});

Deno.test("decoding: errors name the value and the expectation", async () => {
  const model = await trained();
  await assert.rejects(() => greedyDecode(model, []), /sources must be a non-empty array of non-empty id arrays/);
  await assert.rejects(() => greedyDecode(model, [[3], []]), /non-empty id arrays/);
  await assert.rejects(() => greedyDecode(model, [[3]], { maxLen: 8 }), {
    message: "Cannot decode greedily as maxLen must be at most maxTgtLen − 1 = 7: current value is 8",
  });
  await assert.rejects(() => beamSearch(model, [[3]], { beamWidth: 0 }), /beamWidth must be a positive integer/);
  await assert.rejects(() => beamSearch(model, [[3]], { lengthPenalty: -1 }), /lengthPenalty must be a number >= 0/);
  assert.throws(() => attentionMaps(model, [[3]], []), /there are 1 sources and 0 outputs/);
  assert.throws(() => attentionMaps(model, [[3]], [[4, 4, 4, 4, 4, 4, 4]]), /output 0 is longer than maxTgtLen allows/);
  model.dispose();
  trainedModel = null;
});
