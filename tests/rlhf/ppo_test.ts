import assert from "node:assert/strict";
import { tf } from "../../lib/core/mod.ts";
import { GPT } from "../../lib/gpt/mod.ts";
import { AdamW } from "../../lib/nn/mod.ts";
import { CharTokenizer, END_TOKEN } from "../../lib/text/mod.ts";
import {
  addChatTokens,
  bannedTokens,
  clippedPolicyLoss,
  clippedValueLoss,
  gae,
  meanStd,
  measurePolicy,
  type PairPrompt,
  PolicyWithValue,
  ppoIteration,
  type PpoRecipe,
  RewardModel,
  rewardModelScorer,
  rewardScale,
  rollout,
  rolloutBatch,
  tokenKl,
  tokenRewards,
  trainPpo,
  whiten,
} from "../../lib/rlhf/mod.ts";

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) < tol, `${a} ≠ ${b}`);

Deno.test("gae: advantages and returns of a hand-made trajectory (γ 0.9, λ 0.8)", () => {
  // δ2 = 1 − 0.4 = 0.6, A2 = 0.6; δ1 = 0.9·0.4 − 0.2 = 0.16, A1 = 0.16 + 0.72·0.6 = 0.592;
  // δ0 = 0.9·0.2 − 0.5 = −0.32, A0 = −0.32 + 0.72·0.592 = 0.10624
  const { advantages, returns } = gae([0, 0, 1], [0.5, 0.2, 0.4], 0.9, 0.8);
  [0.10624, 0.592, 0.6].forEach((a, i) => close(advantages[i], a));
  [0.60624, 0.792, 1].forEach((r, i) => close(returns[i], r));
  // λ = 0: the one-step δ alone; λ = γ = 1 with zero values: the sum of the rewards to come
  assert.deepEqual(gae([1, 2], [0, 0], 1, 1).advantages, [3, 2]);
  close(gae([0, 0, 1], [0.5, 0.2, 0.4], 0.9, 0).advantages[0], -0.32);
  assert.throws(() => gae([1], [1, 2], 1, 1), /2 values/);
  assert.throws(() => gae([1], [1], 1.5, 1), /gamma/);
});

Deno.test("tokenRewards and whiten: the KL penalty on every token, the score on the last", () => {
  assert.deepEqual(tokenRewards([1, 2], 3, 0), [-0, 3]);
  assert.deepEqual(tokenRewards([1, 2], 3, 0.5), [-0.5, 2]);
  assert.throws(() => tokenRewards([], 1, 0.1), /no tokens/);
  const w = whiten([2, 4, 6, 8]);
  close(w.reduce((s, x) => s + x, 0), 0);
  close(w.reduce((s, x) => s + x * x, 0) / 4, 1);
  assert.deepEqual(whiten([5, 5]), [0, 0]);
});

/** The gradient of the clipped loss with respect to the log-probability, for one token. */
function policyGrad(logProb: number, advantage: number, clip = 0.2): number {
  const lp = tf.variable(tf.tensor2d([[logProb]]));
  const { grads } = tf.variableGrads(() => {
    const { loss, clipped } = clippedPolicyLoss(
      lp,
      tf.zeros([1, 1]),
      tf.tensor2d([[advantage]]),
      tf.ones([1, 1]),
      clip,
    );
    clipped.dispose();
    return loss;
  }, [lp]);
  const g = grads[lp.name].dataSync()[0];
  tf.dispose([lp, ...Object.values(grads)]);
  return g;
}

Deno.test("clippedPolicyLoss: no gradient once the ratio leaves the range in the advantage's direction", () => {
  const [up, down] = [Math.log(1.5), Math.log(0.5)]; // ratios 1.5 and 0.5, outside [0.8, 1.2]
  assert.equal(policyGrad(up, 1), 0); // already more likely than 1 + ε allows, advantage says more: stop
  assert.equal(policyGrad(down, -1), 0); // already less likely than 1 − ε, advantage says less: stop
  close(policyGrad(Math.log(1.1), 1), -1.1); // inside: d(−ρA)/d log π = −ρA
  close(policyGrad(up, -1), 1.5); // outside, but the advantage pulls back: the unclipped term, gradient kept
  close(policyGrad(down, 1), -0.5);
  const { loss, clipped } = clippedPolicyLoss(
    tf.tensor2d([[up, Math.log(1.1), 9]]),
    tf.zeros([1, 3]),
    tf.tensor2d([[1, 1, 1]]),
    tf.tensor2d([[1, 1, 0]]), // the third is padding: never counted
    0.2,
  );
  close(loss.dataSync()[0], -(1.2 + 1.1) / 2, 1e-5);
  close(clipped.dataSync()[0], 0.5);
  tf.dispose([loss, clipped]);
});

Deno.test("clippedValueLoss: the worse of the clipped and unclipped squared errors", () => {
  const t = (v: number) => tf.tensor2d([[v]]);
  const one = tf.ones([1, 1]);
  // V = 2 moved by 2 from V_old = 0, clip 0.2: V_clip = 0.2; return 1: max((2−1)², (0.2−1)²)/2 = 0.5
  close(clippedValueLoss(t(2), t(0), t(1), one, 0.2).dataSync()[0], 0.5);
  // V = 0.5, V_clip = 0.2, return 0: max(0.25, 0.04)/2
  close(clippedValueLoss(t(0.5), t(0), t(0), one, 0.2).dataSync()[0], 0.125);
});

Deno.test("tokenKl: 0 when the policy is the reference, the hand computation otherwise, never negative", () => {
  const p = tf.tensor3d([[[Math.log(0.5), Math.log(0.25), Math.log(0.25)]]]);
  const q = tf.tensor3d([[[Math.log(0.25), Math.log(0.5), Math.log(0.25)]]]);
  const { kl, entropy } = tokenKl(p, q);
  close(kl.dataSync()[0], 0.5 * Math.log(2) + 0.25 * Math.log(0.5)); // Σ p log(p/q)
  close(entropy.dataSync()[0], -(0.5 * Math.log(0.5) + 0.5 * Math.log(0.25)));
  const x = tf.randomNormal([4, 5, 50], 0, 3, "float32", 7), y = tf.randomNormal([4, 5, 50], 0, 3, "float32", 8);
  const same = tokenKl(x, x), diff = tokenKl(x, y);
  assert.ok(Math.max(...same.kl.dataSync()) < 1e-5);
  assert.ok(Math.min(...diff.kl.dataSync()) > 0);
  tf.dispose([p, q, kl, entropy, x, y, same.kl, same.entropy, diff.kl, diff.entropy]);
  assert.throws(() => tokenKl(tf.zeros([1, 2, 3]), tf.zeros([1, 2, 4])), /alike/);
});

const PROMPTS: PairPrompt[] = [
  { prompt: "写一首关于月的五言绝句", topic: "月", length: 5 },
  { prompt: "写一首关于花的五言绝句", topic: "花", length: 5 },
];

function tiny(seed = 3) {
  const tokenizer = CharTokenizer.fromText("写一首关于月花的五言绝句，。\n好");
  addChatTokens(tokenizer);
  const make = () => new GPT({ vocabSize: tokenizer.vocabSize, blockSize: 24, nLayer: 1, nHead: 2, nEmbd: 16 }, seed);
  return { tokenizer, make };
}

const RECIPE: PpoRecipe = {
  iterations: 3,
  batchSize: 8,
  minibatchSize: 4,
  epochs: 2,
  lr: 3e-3,
  klCoef: 0.1,
  clip: 0.2,
  valueClip: 0.2,
  valueCoef: 0.1,
  gamma: 1,
  lambda: 0.95,
  maxNewTokens: 6,
  gradClip: 1,
  seed: 1,
};

Deno.test("rollout: the policy's own samples, no role tokens, cut at <|end|>; the batch masks the answers only", async () => {
  const { tokenizer, make } = tiny();
  const gpt = make();
  const model = new PolicyWithValue(gpt, bannedTokens(tokenizer));
  const r = await rollout(model, tokenizer, [...PROMPTS, ...PROMPTS], 6, 5);
  const end = tokenizer.specialId(END_TOKEN), banned = bannedTokens(tokenizer);
  assert.equal(r.answers.length, 4);
  for (const tokens of r.tokens) {
    assert.ok(tokens.length >= 1 && tokens.length <= 6);
    assert.ok(tokens.every((id) => !banned.includes(id)));
    assert.ok(tokens.slice(0, -1).every((id) => id !== end)); // <|end|> only last
  }
  const b = rolloutBatch(r, end);
  const mask = b.mask.arraySync(), y = b.y.arraySync();
  r.tokens.forEach((tokens, i) => {
    const picked = y[i].filter((_, k) => mask[i][k] === 1);
    assert.deepEqual(picked, tokens); // the masked positions predict exactly the sampled tokens
  });
  // the logits have the banned tokens removed
  const { logits, values } = model.forward(b.x);
  const probs = tf.softmax(logits).arraySync() as number[][][];
  assert.ok(banned.every((id) => probs[0][0][id] < 1e-12));
  assert.deepEqual(values.shape, b.x.shape);
  tf.dispose([logits, values, b.x, b.y, b.mask]);
  model.dispose();
  gpt.dispose();
});

Deno.test("ppoIteration: the reference never changes, the policy does, no tensor leak per iteration", async () => {
  const { tokenizer, make } = tiny();
  const [gpt, reference] = [make(), make()];
  const model = new PolicyWithValue(gpt, bannedTokens(tokenizer));
  const opt = new AdamW(model.params, { lr: RECIPE.lr, weightDecay: 0 });
  const scorer = (_p: readonly PairPrompt[], answers: readonly string[]) =>
    Promise.resolve(answers.map((a) => [...a].filter((c) => c === "好").length));
  const snapshot = (m: GPT) => [...m.params.values()].map((p) => Array.from(p.dataSync()));
  const refBefore = snapshot(reference), polBefore = snapshot(gpt);
  const first = await ppoIteration(model, reference, scorer, tokenizer, PROMPTS, opt, RECIPE, 0);
  const count = tf.memory().numTensors;
  const second = await ppoIteration(model, reference, scorer, tokenizer, PROMPTS, opt, RECIPE, 1);
  assert.equal(tf.memory().numTensors, count);
  assert.deepEqual(snapshot(reference), refBefore);
  assert.notDeepEqual(snapshot(gpt), polBefore);
  for (const s of [first.stats, second.stats]) {
    for (const v of Object.values(s)) assert.ok(Number.isFinite(v));
    assert.ok(s.kl >= 0 && s.entropy > 0 && s.clipFraction >= 0 && s.clipFraction <= 1);
  }
  assert.equal(first.stats.kl < 1e-4, true); // the first rollout comes from the reference's own weights
  opt.dispose();
  model.dispose();
  tf.dispose([...gpt.params.values(), ...reference.params.values()]);
});

Deno.test("trainPpo: learns to write the rewarded character, and the KL penalty holds it closer", async () => {
  const { tokenizer, make } = tiny();
  const scorer = (_p: readonly PairPrompt[], answers: readonly string[]) =>
    Promise.resolve(answers.map((a) => [...a].filter((c) => c === "好").length / 6));
  const run = async (klCoef: number) => {
    const [gpt, reference] = [make(), make()];
    const model = new PolicyWithValue(gpt, bannedTokens(tokenizer));
    const recipe = { ...RECIPE, iterations: 25, batchSize: 16, klCoef, lr: 1e-2 };
    const state = await trainPpo(model, reference, scorer, tokenizer, PROMPTS, recipe, { progress: false });
    model.dispose();
    gpt.dispose();
    reference.dispose();
    return state.history;
  };
  const free = await run(0), held = await run(1);
  const mean = (h: typeof free, key: "reward" | "kl") => h.slice(-5).reduce((s, x) => s + x[key], 0) / 5;
  assert.ok(mean(free, "reward") > free[0].reward + 0.2, `reward ${free[0].reward} → ${mean(free, "reward")}`);
  assert.ok(
    mean(held, "kl") < mean(free, "kl"),
    `KL with the penalty ${mean(held, "kl")}, without ${mean(free, "kl")}`,
  );
});

Deno.test("measurePolicy: the reference against itself is KL 0; the total is the mean of the four components", async () => {
  const { tokenizer, make } = tiny();
  const gpt = make();
  const scorer = (_p: readonly PairPrompt[], answers: readonly string[]) =>
    Promise.resolve(answers.map((a) => a.length));
  const m = await measurePolicy(gpt, gpt, tokenizer, scorer, PROMPTS, { perPrompt: 3, batchSize: 4, maxNewTokens: 6 });
  assert.equal(m.answers, 6);
  assert.ok(m.kl < 1e-5);
  const c = m.components;
  close(m.labeler, (c.form + c.rhyme + c.topic + c.repetition) / 4);
  assert.equal(m.samples.length, 2);
  assert.ok(m.length >= 1 && m.length <= 6 && m.distinct > 0 && m.distinct <= 1);
  await assert.rejects(() => measurePolicy(gpt, gpt, tokenizer, scorer, [], {}), /no prompts/);
  gpt.dispose();
});

Deno.test("rewardScale and rewardModelScorer: each answer counted once; scaled scores are (r − mean) / std", async () => {
  const { tokenizer, make } = tiny();
  const rm = new RewardModel(make(), 5);
  const pair = (chosen: string, rejected: string) => ({ prompt: "写月", chosen, rejected });
  const pairs = [pair("月好", "花"), pair("月好", "月"), pair("好", "花")]; // 月好 and 花 twice: 4 distinct answers
  const answers = ["月好", "花", "月", "好"];
  const asked = answers.map(() => ({ ...PROMPTS[0], prompt: "写月" }));
  const raw = await rewardModelScorer(rm, tokenizer)(asked, answers);
  const scale = await rewardScale(rm, tokenizer, pairs);
  const want = meanStd(raw);
  close(scale.mean, want.mean, 1e-5);
  close(scale.std, want.std, 1e-5);
  const scaled = await rewardModelScorer(rm, tokenizer, scale)(asked, answers);
  scaled.forEach((x, i) => close(x, (raw[i] - scale.mean) / scale.std, 1e-5));
  close(meanStd(scaled).mean, 0, 1e-5);
  close(meanStd(scaled).std, 1, 1e-5);
  await assert.rejects(() => rewardScale(rm, tokenizer, []), /no pairs/);
  await assert.rejects(() => rewardScale(rm, tokenizer, [pair("月", "月")]), /do not vary/);
  assert.throws(() => meanStd([]), /no numbers/);
  rm.dispose();
});
