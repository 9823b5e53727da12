import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { GPT } from "@lib/gpt/mod.ts";
import {
  addChatTokens,
  bradleyTerryLoss,
  encodePairs,
  encodeRankings,
  encodeScored,
  evaluatePairs,
  labelPairs,
  pairAccuracy,
  pairBatches,
  rankingBatches,
  rankingLoss,
  RewardModel,
  rewardsOf,
  trainRewardModel,
} from "@lib/rlhf/mod.ts";
import { Prng } from "@lib/core/mod.ts";
import { DISPLAY } from "@lib/notebook/display.ts";
import { CharTokenizer, END_TOKEN } from "@lib/text/mod.ts";

const tinyRm = (vocabSize: number, seed = 4) =>
  new RewardModel(new GPT({ vocabSize, blockSize: 32, nLayer: 1, nHead: 2, nEmbd: 16 }, seed), seed);

Deno.test("bradleyTerryLoss: −log σ(r_c − r_r) by hand, symmetric at 0, finite far apart, clear error", () => {
  const loss = (c: number[], r: number[]) => {
    const l = bradleyTerryLoss(tf.tensor1d(c), tf.tensor1d(r));
    const v = l.dataSync()[0];
    l.dispose();
    return v;
  };
  assert.ok(Math.abs(loss([0], [0]) - Math.log(2)) < 1e-6);
  assert.ok(Math.abs(loss([1, -2], [0, 0]) - (Math.log(1 + Math.exp(-1)) + Math.log(1 + Math.exp(2))) / 2) < 1e-6);
  assert.ok(loss([50], [-50]) < 1e-6);
  assert.ok(Math.abs(loss([-50], [50]) - 100) < 1e-3, "finite for a confident mistake");
  assert.throws(
    () => bradleyTerryLoss(tf.tensor1d([1, 2]), tf.tensor1d([1])),
    /two 1-D tensors of one length: got \[2\] and \[1\]/,
  );
});

Deno.test("RewardModel: the reward is the head's mean over the span; the loss is Bradley–Terry on chosen vs rejected", () => {
  const rm = tinyRm(10);
  const x = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8]], [2, 4], "int32");
  const whole = tf.tensor2d([[0, 3], [0, 3]], [2, 2], "int32");
  const perPos = [0, 1, 2, 3].map((t) => {
    const at = tf.tensor2d([[t, t], [t, t]], [2, 2], "int32");
    const r = rm.score(x, at).arraySync();
    at.dispose();
    return r;
  });
  const mean = rm.score(x, whole).arraySync();
  mean.forEach((m, row) => assert.ok(Math.abs(m - perPos.reduce((s, p) => s + p[row], 0) / 4) < 1e-6));
  const { logits, loss } = rm.forward(x, whole);
  const [rc, rr] = logits.arraySync();
  assert.ok(Math.abs(loss!.dataSync()[0] - Math.log(1 + Math.exp(rr - rc))) < 1e-5);
  assert.throws(
    () => rm.forward(x, tf.tensor1d([3, 3], "int32")),
    /one reward position per row of an even batch \(\[N, 2\]\) or a span, ranking and place per row \(\[N, 4\]\): got \[2\] for 2 rows/,
  );
  assert.equal(rm.summary().at(-1)!.group, "head");
  assert.match(String(rm[DISPLAY]()["text/plain"]), /RewardModel: GPT trunk \(1 layers, 16 wide\) \+ scalar head/);
  tf.dispose([x, whole, logits, loss!]);
  rm.dispose();
});

Deno.test("RewardModel: positions after a row's end (the padding) do not change its reward", () => {
  const rm = tinyRm(10);
  const span = tf.tensor2d([[1, 2]], [1, 2], "int32");
  const a = tf.tensor2d([[1, 2, 3, 0, 0]], [1, 5], "int32"), b = tf.tensor2d([[1, 2, 3, 9, 7]], [1, 5], "int32");
  assert.ok(Math.abs(rm.score(a, span).dataSync()[0] - rm.score(b, span).dataSync()[0]) < 1e-6);
  tf.dispose([span, a, b]);
  rm.dispose();
});

Deno.test("encodeScored and pairBatches: span from the answer's first token to <|end|>, chosen rows first", () => {
  const tok = CharTokenizer.fromText("问答甲乙");
  addChatTokens(tok);
  const text = encodeScored(tok, "问", "甲乙", 32);
  assert.equal(text.ids.at(-1), tok.specialId(END_TOKEN));
  assert.equal(tok.decode(text.ids.slice(text.start, -1)), "甲乙");
  assert.equal(encodeScored(tok, "问", "甲".repeat(40), 16).ids.length, 16, "cut to the context, <|end|> kept");
  assert.throws(() => encodeScored(tok, "问".repeat(20), "甲", 16), /its prompt takes 22 tokens of 16/);
  const pair = { prompt: "问", topic: "月", margin: 1, chosenScores: {} as never, rejectedScores: {} as never };
  const data = encodePairs(tok, [{ ...pair, chosen: "甲", rejected: "乙乙乙" }], 32);
  const { x, y } = pairBatches(data, 3, 0)(0, new Prng(1));
  assert.deepEqual(x.shape, [6, data.rejected[0].ids.length]);
  assert.deepEqual((y.arraySync() as number[][]).map((r) => r[1]), [4, 4, 4, 6, 6, 6]);
  assert.throws(() => pairBatches({ chosen: [], rejected: [] }, 2, 0), /from 0 chosen and 0 rejected texts/);
  tf.dispose([x, y]);
});

Deno.test("rankingLoss: the mean Bradley–Terry loss over every ranked pair of each ranking, ties and other rankings left out", () => {
  const r = [3, 1, 0, 2, 5];
  // ranking 0: texts 0 > 1 = 2 (a tie); ranking 1: text 3 > 4
  const loss = rankingLoss(
    tf.tensor1d(r),
    tf.tensor1d([0, 0, 0, 1, 1], "int32"),
    tf.tensor1d([0, 1, 1, 0, 1], "int32"),
  );
  const sp = (z: number) => Math.log(1 + Math.exp(z));
  assert.ok(Math.abs(loss.dataSync()[0] - (sp(1 - 3) + sp(0 - 3) + sp(5 - 2)) / 3) < 1e-5);
  const none = rankingLoss(tf.tensor1d([1, 2]), tf.tensor1d([0, 1], "int32"), tf.tensor1d([0, 0], "int32"));
  assert.equal(none.dataSync()[0], 0, "no pair: 0");
  assert.throws(
    () => rankingLoss(tf.tensor1d([1, 2]), tf.tensor1d([0], "int32"), tf.tensor1d([0, 1], "int32")),
    /1-D of one length: got \[2\], \[1\] and \[2\]/,
  );
  tf.dispose([loss, none]);
});

Deno.test("encodeRankings and rankingBatches: each answer once per ranking, placed by its total; y holds span, slot, place", () => {
  const tok = CharTokenizer.fromText("问答甲乙丙");
  addChatTokens(tok);
  const s = (total: number) => ({ form: 1, rhyme: 1, topic: 1, repetition: 1, total });
  const pair = (chosen: string, rejected: string, c: number, r: number, ranking?: number) => ({
    prompt: "问",
    topic: "月",
    chosen,
    rejected,
    margin: c - r,
    chosenScores: s(c),
    rejectedScores: s(r),
    ranking,
  });
  // ranking 0: 甲 (1) > 乙 (0.5) = 丙 (0.5); a pair without a ranking is one of its own
  const pairs = [pair("甲", "乙", 1, 0.5, 0), pair("甲", "丙", 1, 0.5, 0), pair("答", "乙乙", 0.9, 0.2)];
  const { rankings } = encodeRankings(tok, pairs, 32);
  assert.equal(rankings.length, 2);
  assert.deepEqual(rankings[0].places, [0, 1, 1]);
  assert.deepEqual(rankings[0].texts.map((t) => tok.decode(t.ids.slice(t.start, -1))), ["甲", "乙", "丙"]);
  assert.deepEqual(rankings[1].places, [0, 1]);
  const { x, y } = rankingBatches({ rankings }, 2, 0)(0, new Prng(1));
  const rows = y.arraySync() as number[][];
  assert.equal(x.shape[0], rows.length);
  assert.ok(rows.every((row) => row.length === 4 && row[0] === 3 && row[1] >= 4 && row[2] < 2));
  const rm = tinyRm(tok.vocabSize);
  const { logits, loss } = rm.forward(x, y);
  // the loss is rankingLoss of the rewards read on the spans
  const spans = tf.tensor2d(rows.map((row) => [row[0], row[1]]), undefined, "int32");
  const byHand = rankingLoss(
    rm.score(x, spans),
    tf.tensor1d(rows.map((row) => row[2]), "int32"),
    tf.tensor1d(rows.map((row) => row[3]), "int32"),
  );
  assert.ok(Math.abs(loss!.dataSync()[0] - byHand.dataSync()[0]) < 1e-6);
  assert.throws(() => rankingBatches({ rankings: [] }, 2, 0), /from no rankings/);
  tf.dispose([x, y, logits, loss!, spans, byHand]);
  rm.dispose();
});

Deno.test("trainRewardModel: learns a rule on the shared loop (answers with 甲 win), held-out accuracy high", async () => {
  const tok = CharTokenizer.fromText("问甲乙丙丁");
  addChatTokens(tok);
  const prng = new Prng(3);
  const word = (withJia: boolean) => {
    const chars = Array.from({ length: 4 }, () => "乙丙丁"[prng.int(3)]);
    if (withJia) chars[prng.int(4)] = "甲";
    return chars.join("");
  };
  const make = (n: number) =>
    Array.from({ length: n }, () => ({
      prompt: "问",
      topic: "月",
      margin: 1,
      chosen: word(true),
      rejected: word(false),
      chosenScores: { form: 1, rhyme: 1, topic: 1, repetition: 1, total: 1 },
      rejectedScores: { form: 1, rhyme: 1, topic: 0, repetition: 1, total: 0.75 },
    }));
  const [trainPairs, heldPairs] = [make(64), make(32)];
  const rm = tinyRm(tok.vocabSize, 7);
  const recipe = {
    steps: 60,
    batchSize: 8,
    lr: 3e-3,
    warmupIters: 5,
    weightDecay: 0,
    gradClip: 1,
    evalInterval: 60,
    evalIters: 2,
    seed: 1,
  };
  const run = await trainRewardModel(rm, { train: encodePairs(tok, trainPairs, 32) }, recipe, {
    padId: tok.specialId(END_TOKEN),
    progress: false,
  });
  assert.ok(run.losses.at(-1)! < run.losses[0]);
  const held = await evaluatePairs(rm, tok, heldPairs);
  assert.ok(held.overall.accuracy >= 0.9, `held-out accuracy ${held.overall.accuracy}`);
  assert.deepEqual(held.only.topic.pairs, 32);
  // the same pairs as rankings of two (no ranking given) train the same way
  const rm2 = tinyRm(tok.vocabSize, 7);
  await trainRewardModel(rm2, { train: encodeRankings(tok, trainPairs, 32) }, recipe, {
    padId: tok.specialId(END_TOKEN),
    progress: false,
  });
  const held2 = await evaluatePairs(rm2, tok, heldPairs);
  assert.ok(held2.overall.accuracy >= 0.9, `held-out accuracy from rankings ${held2.overall.accuracy}`);
  rm2.dispose();
  const pad = tok.specialId(END_TOKEN);
  const r = await rewardsOf(
    rm,
    [encodeScored(tok, "问", "甲乙乙乙", 32), encodeScored(tok, "问", "乙乙乙乙", 32)],
    pad,
  );
  assert.ok(r[0] > r[1]);
  rm.dispose();
});

Deno.test("pairAccuracy: by component (alone and with others) and by margin bucket", () => {
  const s = { form: 1, rhyme: 1, topic: 1, repetition: 1, total: 1 };
  const p = (margin: number, rejected: Partial<typeof s>) => ({
    prompt: "",
    topic: "月",
    chosen: "",
    rejected: "",
    margin,
    chosenScores: s,
    rejectedScores: { ...s, ...rejected },
  });
  const pairs = [p(0.25, { rhyme: 0 }), p(0.5, { rhyme: 0, topic: 0 }), p(0.01, { repetition: 0.96 })];
  const e = pairAccuracy(pairs, [1, 1, 0], [0, 0, 1]);
  assert.deepEqual(e.correct, [true, true, false]);
  assert.deepEqual(e.only.rhyme, { accuracy: 1, pairs: 1 });
  assert.deepEqual(e.differs.rhyme, { accuracy: 1, pairs: 2 });
  assert.deepEqual(e.only.repetition, { accuracy: 0, pairs: 1 });
  assert.deepEqual(e.byMargin.map((b) => b.pairs), [1, 0, 1, 1]);
  assert.throws(() => pairAccuracy(pairs, [1], [0]), /one reward per pair: got 1 and 1 for 3 pairs/);
  assert.equal(labelPairs([]).pairs.length, 0);
});
