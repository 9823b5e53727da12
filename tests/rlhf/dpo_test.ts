import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { GPT } from "@lib/gpt/mod.ts";
import {
  addChatTokens,
  DPO_RECIPE,
  dpoLoss,
  DpoObjective,
  encodePreferences,
  evaluateDpo,
  preferenceBatch,
  responseLogProbs,
  tokenLogProbs,
  trainDpo,
} from "@lib/rlhf/mod.ts";
import { CharTokenizer, END_TOKEN } from "@lib/text/mod.ts";

const scalar = (t: tf.Tensor) => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

Deno.test("tokenLogProbs: log softmax at the target, values and gradient equal to the plain composition", () => {
  const prng = new Prng(3);
  const [n, t, v] = [2, 3, 5];
  const logits = tf.tensor3d(Array.from({ length: n * t * v }, () => 3 * prng.normal()), [n, t, v]);
  const targets = tf.tensor2d([[0, 4, 2], [1, 1, 3]], [n, t], "int32");
  const plain = (l: tf.Tensor) => tf.sum(tf.mul(tf.logSoftmax(l), tf.oneHot(targets, v).toFloat()), -1) as tf.Tensor2D; // [N, T]
  const ours = tokenLogProbs(logits, targets);
  const ref = plain(logits);
  const [a, b] = [ours.arraySync(), ref.arraySync()];
  a.flat().forEach((x, i) => assert.ok(Math.abs(x - b.flat()[i]) < 1e-5, `value ${i}: ${x} vs ${b.flat()[i]}`));
  assert.ok(a.flat().every((x) => x <= 0));
  const weight = tf.tensor2d([[1, 2, 0], [0.5, -1, 3]]);
  const g1 = tf.grad((l: tf.Tensor) => tf.sum(tf.mul(tokenLogProbs(l, targets), weight)))(logits);
  const g2 = tf.grad((l: tf.Tensor) => tf.sum(tf.mul(plain(l), weight)))(logits);
  const [d1, d2] = [g1.dataSync(), g2.dataSync()];
  d1.forEach((x, i) => assert.ok(Math.abs(x - d2[i]) < 1e-5, `gradient ${i}: ${x} vs ${d2[i]}`));
  tf.dispose([logits, targets, ours, ref, weight, g1, g2]);
  assert.throws(() => tokenLogProbs(tf.zeros([2, 3]), tf.zeros([2, 3], "int32")), /must be \[N, T, V\]/);
});

Deno.test("responseLogProbs sums the answer's tokens only: changing a prompt target or the padding changes nothing", () => {
  const gpt = new GPT({ vocabSize: 7, blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 8 }, 2);
  const x = tf.tensor2d([[1, 2, 3, 4]], [1, 4], "int32");
  const w = tf.tensor2d([[0, 1, 1, 0]], [1, 4]);
  const at = (y: number[]) => {
    const yt = tf.tensor2d([y], [1, 4], "int32");
    const r = responseLogProbs(gpt, { x, y: yt, weights: w });
    yt.dispose();
    return scalar(r);
  };
  const base = at([2, 3, 4, 5]);
  assert.equal(at([6, 3, 4, 0]), base); // targets at weight 0 are not read
  assert.notEqual(at([2, 5, 4, 5]), base); // an answer token is
  // the sum of the two answer tokens' log-probabilities, by hand from the logits
  const { logits } = gpt.forward(x);
  const lp = tf.logSoftmax(logits).arraySync() as number[][][];
  assert.ok(Math.abs(base - (lp[0][1][3] + lp[0][2][4])) < 1e-5);
  assert.throws(() => responseLogProbs(gpt, { x, y: x }), /response mask/);
  tf.dispose([x, w, logits]);
  gpt.dispose();
});

Deno.test("dpoLoss: log 2 when the policy is the reference, −log σ(β·margin) by hand, its gradient's signs, errors", () => {
  const t = (v: number[]) => tf.tensor1d(v);
  assert.ok(Math.abs(scalar(dpoLoss(t([-3, -1]), t([-5, -2]), t([-3, -1]), t([-5, -2]), 0.1)) - Math.log(2)) < 1e-6);
  // margin = (−2 − −3) − (−6 − −5) = 2; β = 0.5 → −log σ(1)
  const hand = -Math.log(1 / (1 + Math.exp(-1)));
  assert.ok(Math.abs(scalar(dpoLoss(t([-2]), t([-6]), t([-3]), t([-5]), 0.5)) - hand) < 1e-6);
  // the gradient pushes the chosen answer's log-probability up and the rejected one's down
  const [gc, gr] = tf.grads((c: tf.Tensor, r: tf.Tensor) => dpoLoss(c, r, t([-3]), t([-5]), 0.1))([t([-3]), t([-5])]);
  assert.ok(gc.dataSync()[0] < 0 && gr.dataSync()[0] > 0);
  assert.ok(Math.abs(gc.dataSync()[0] + gr.dataSync()[0]) < 1e-7);
  tf.dispose([gc, gr]);
  assert.throws(() => dpoLoss(t([1]), t([1, 2]), t([1]), t([1]), 0.1), /\[B\] alike/);
  assert.throws(() => dpoLoss(t([1]), t([1]), t([1]), t([1]), 0), /beta/);
});

const tok = CharTokenizer.fromText("写一首月的诗好坏花");
addChatTokens(tok);
const gptOf = () => new GPT({ vocabSize: tok.vocabSize, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 }, 5);
const PAIRS = [
  { prompt: "写月", chosen: "好月好月", rejected: "坏坏坏" },
  { prompt: "写花", chosen: "好花", rejected: "坏花坏花坏" },
  { prompt: "写诗", chosen: "月好", rejected: "花坏" },
];
const RECIPE = {
  ...DPO_RECIPE.quick,
  steps: 40,
  batchSize: 3,
  lr: 1e-2,
  beta: 0.5,
  warmupIters: 0,
  evalInterval: 20,
  evalIters: 1,
};

Deno.test("encodePreferences and preferenceBatch: chosen rows first, the response mask as weights, long texts cut", () => {
  const enc = encodePreferences(tok, PAIRS, 16);
  const batch = preferenceBatch(enc, tok.encode(END_TOKEN)[0], 16);
  assert.deepEqual(batch.x.shape, [6, batch.x.shape[1]]);
  const w = batch.weights!.arraySync() as number[][];
  // the chosen "好月好月" of pair 0: 4 characters + <|end|> are weighted
  assert.equal(w[0].reduce((a, b) => a + b, 0), 5);
  assert.equal(w[3].reduce((a, b) => a + b, 0), 4); // its rejected "坏坏坏" + <|end|>
  tf.dispose([batch.x, batch.y, batch.weights!]);
  const [long] = encodePreferences(tok, [{ prompt: "写月", chosen: "好".repeat(40), rejected: "坏" }], 16);
  assert.equal(long.chosen.ids.length, 17);
  assert.equal(long.chosen.mask.length, 16);
});

Deno.test("DPO: at the start the loss is log 2; training ranks the pairs, moves only the policy, and leaks nothing", async () => {
  const [policy, reference] = [gptOf(), gptOf()];
  const before = await evaluateDpo(policy, reference, tok, PAIRS, RECIPE.beta);
  assert.ok(Math.abs(before.loss - Math.log(2)) < 1e-6);
  assert.equal(before.margin, 0);
  const refWeights = new Map([...reference.params].map(([k, v]) => [k, v.dataSync().slice()]));
  const tensors = tf.memory().numTensors;
  const run = await trainDpo(policy, reference, tok, { train: PAIRS, val: PAIRS }, RECIPE, { progress: false });
  assert.equal(tf.memory().numTensors, tensors, "trainDpo leaked tensors");
  assert.ok(run.evals.at(-1)!.train < 0.3, `train loss ${run.evals.at(-1)!.train}`);
  const after = await evaluateDpo(policy, reference, tok, PAIRS, RECIPE.beta);
  assert.equal(after.accuracy, 1);
  assert.ok(after.margin > 1 && after.chosenShift > after.rejectedShift);
  for (const [k, v] of reference.params) assert.deepEqual(v.dataSync(), refWeights.get(k), `reference ${k} changed`);
  assert.equal(tf.memory().numTensors, tensors, "evaluateDpo leaked tensors");
  assert.throws(() => new DpoObjective(policy, policy, 0.1), /its own reference/);
  await assert.rejects(() => evaluateDpo(policy, reference, tok, [], 0.1), /no pairs/);
  policy.dispose();
  reference.dispose();
});
