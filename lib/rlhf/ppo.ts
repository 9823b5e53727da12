/**
 * RLHF with PPO, written out for reading: the SFT model is the **policy** (策略), each token it writes is an
 * **action**, the reward model scores the finished answer, and PPO moves the policy toward answers that score higher
 * while a KL penalty keeps it near the frozen SFT model (the **reference**). One iteration ({@link ppoIteration}):
 *
 * 1. **Rollout** ({@link rollout}): answer a batch of prompts by sampling at temperature 1 with no top-k or top-p, so
 *    that the sampled distribution is the policy's own (the template's role tokens are never written, in rollouts and
 *    in the probabilities alike: {@link PolicyWithValue.forward}).
 * 2. **Score**: the reward model's score of each answer; the labeler's score, only logged (it is the ground truth the
 *    reward model imitates, never optimised); the policy's log-probabilities and value estimates, the reference's
 *    exact per-token KL (lib/rlhf/ppo_math.ts).
 * 3. **Advantages**: per-token rewards (−β·KL, plus the score on the last token), GAE, whitened over the batch.
 * 4. **Update**: several epochs over the batch in minibatches, the clipped policy loss plus the clipped value loss.
 *
 * Every statistic of an iteration is returned ({@link PpoStats}): what the reward model says, what the labeler says,
 * how far the policy went (KL), how sure it is (entropy), how much was clipped, the value loss, the answers' length.
 * {@link trainPpo} runs the iterations with a progress bar, a checkpoint callback and the notebook's ■ stop.
 *
 * @module
 */
import { Prng, SEED, tf, toPrng } from "../core/mod.ts";
import { checkPositive, checkPositiveInteger } from "../core/validate.ts";
import type { GPT } from "../gpt/model.ts";
import { AdamW, type AdamWState } from "../nn/optim.ts";
import { iterPrng, TrainingStopped, watchInterrupt } from "../nn/train.ts";
import { progress as progressBar } from "../notebook/progress.ts";
import { type CharTokenizer, END_TOKEN } from "../text/mod.ts";
import { formatChat } from "./chat_template.ts";
import { scorePoem } from "./labeler.ts";
import { banMask, tokenLogProbs } from "./logprobs.ts";
import type { PairPrompt, PreferencePair } from "./pairs.ts";
import { clippedPolicyLoss, clippedValueLoss, gae, meanStd, tokenKl, tokenRewards, whiten } from "./ppo_math.ts";
import { encodeScored, type RewardModel, rewardsOf } from "./reward_model.ts";

/**
 * The policy and its value head: a linear map from the GPT's last hidden state at each position to the expected
 * return from there (the trunk is shared, as in most RLHF code; the value loss is weighted down so that it does not
 * drown the policy's gradient).
 */
export class PolicyWithValue {
  /** The policy's weights, then `v_head.weight` `[C, 1]` and `v_head.bias` `[1]`. */
  readonly params: Map<string, tf.Variable>;
  readonly #head: tf.Variable[];
  readonly #ban: tf.Tensor1D;

  /**
   * @param policy The GPT being tuned (its weights are trained in place; `dispose` frees only the head).
   * @param banned Token ids the policy never writes (the template's role tokens).
   */
  constructor(readonly policy: GPT, readonly banned: readonly number[] = []) {
    const c = policy.config.nEmbd, v = policy.config.vocabSize;
    this.#head = [tf.variable(tf.zeros([c, 1])), tf.variable(tf.zeros([1]))];
    this.params = new Map([...policy.params, ["v_head.weight", this.#head[0]], ["v_head.bias", this.#head[1]]]);
    this.#ban = tf.keep(banMask(v, banned));
  }

  /** The head's weights alone (for checkpoints). */
  get head(): Map<string, tf.Variable> {
    return new Map([["v_head.weight", this.#head[0]], ["v_head.bias", this.#head[1]]]);
  }

  /**
   * Logits with the banned tokens removed, and value estimates.
   *
   * @param x Token ids `[N, T]`.
   * @returns `logits` `[N, T, V]` and `values` `[N, T]` (the caller disposes them).
   */
  forward(x: tf.Tensor): { logits: tf.Tensor3D; values: tf.Tensor2D } {
    const [n, t] = x.shape;
    const { logits, hidden } = this.policy.forward(x, undefined, { hidden: true });
    const out = tf.tidy(() => ({
      logits: tf.add(logits, this.#ban) as tf.Tensor3D,
      values: tf.add(tf.matMul(hidden!.reshape([n * t, -1]), this.#head[0]), this.#head[1]).reshape([
        n,
        t,
      ]) as tf.Tensor2D,
    }));
    tf.dispose([logits, hidden!]);
    return out;
  }

  /** The reference's logits with the same tokens removed (so that the KL compares like with like). */
  referenceLogits(reference: GPT, x: tf.Tensor): tf.Tensor3D {
    const { logits } = reference.forward(x);
    const out = tf.tidy(() => tf.add(logits, this.#ban) as tf.Tensor3D);
    logits.dispose();
    return out;
  }

  /** Frees the value head (the policy is the caller's). */
  dispose(): void {
    tf.dispose([...this.#head, this.#ban]);
  }
}

/**
 * The token ids a chat policy never writes: every special token but `<|end|>`.
 *
 * @param tokenizer A tokenizer with the chat tokens.
 * @returns Their ids.
 * @example
 * ```ts
 * import { addChatTokens, bannedTokens } from "@lib/rlhf/mod.ts";
 * import { CharTokenizer, END_TOKEN } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = new CharTokenizer(["<unk>", "月"]);
 * addChatTokens(tok);
 * const banned = bannedTokens(tok);
 * assert.ok(!banned.includes(tok.specialId(END_TOKEN)) && !banned.includes(1));
 * assert.equal(banned.length, Object.keys(tok.specialTokens).length - 1);
 * ```
 */
export function bannedTokens(tokenizer: CharTokenizer): number[] {
  const end = tokenizer.specialId(END_TOKEN);
  return Object.values(tokenizer.specialTokens).filter((id) => id !== end);
}

/** A batch of answers sampled from the policy. */
export interface Rollout {
  /** The prompt of each row. */
  prompts: PairPrompt[];
  /** Each row's prompt ids (the chat template). */
  promptIds: number[][];
  /** Each row's sampled tokens, `<|end|>` included when it was written. */
  tokens: number[][];
  /** Each row's answer as text (without `<|end|>`). */
  answers: string[];
}

/**
 * Samples one answer per prompt from the policy at temperature 1 over its whole distribution (no top-k, no top-p),
 * in one batch through the KV cache per prompt length. An answer ends at `<|end|>` or after `maxNewTokens`.
 *
 * @param model The policy and the tokens it never writes (a {@link PolicyWithValue}, or any GPT with
 *   `banned: bannedTokens(tokenizer)`).
 * @param tokenizer The SFT tokenizer.
 * @param prompts One prompt per answer.
 * @param maxNewTokens Most tokens per answer.
 * @param seed Seed or generator of the draws.
 * @returns The rollout.
 * @throws {RangeError} When a prompt leaves no room for an answer in the context.
 * @example
 * ```ts
 * import { addChatTokens, bannedTokens, rollout, rolloutBatch } from "@lib/rlhf/mod.ts";
 * import { GPT } from "@lib/gpt/mod.ts";
 * import { CharTokenizer, END_TOKEN } from "@lib/text/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = CharTokenizer.fromText("写一首关于月的诗，。");
 * addChatTokens(tok);
 * const gpt = new GPT({ vocabSize: tok.vocabSize, blockSize: 32, nLayer: 1, nHead: 1, nEmbd: 8 });
 * const prompts = [{ prompt: "写月", topic: "月", length: 5 as const }, { prompt: "写一首诗", topic: "诗", length: 7 as const }];
 * const r = await rollout({ policy: gpt, banned: bannedTokens(tok) }, tok, prompts, 6, 1);
 * assert.ok(r.tokens.every((t) => t.length <= 6 && t.every((id) => !bannedTokens(tok).includes(id))));
 * const batch = rolloutBatch(r, tok.specialId(END_TOKEN));
 * assert.equal(batch.mask.sum().dataSync()[0], r.tokens[0].length + r.tokens[1].length); // one action per token
 * tf.dispose([batch.x, batch.y, batch.mask]);
 * gpt.dispose();
 * ```
 */
export async function rollout(
  model: { policy: GPT; banned: readonly number[] },
  tokenizer: CharTokenizer,
  prompts: readonly PairPrompt[],
  maxNewTokens: number,
  seed: number | Prng = SEED,
): Promise<Rollout> {
  checkPositiveInteger(maxNewTokens, "maxNewTokens", "sample a rollout");
  const prng = toPrng(seed), end = tokenizer.specialId(END_TOKEN), gpt = model.policy;
  const banned = new Set(model.banned);
  const promptIds = prompts.map((p) => tokenizer.encode(formatChat(p.prompt)));
  const tokens: number[][] = prompts.map(() => []);
  const byLength = new Map<number, number[]>();
  promptIds.forEach((ids, r) => byLength.set(ids.length, [...(byLength.get(ids.length) ?? []), r]));
  for (const [length, rows] of byLength) {
    const steps = Math.min(maxNewTokens, gpt.config.blockSize - length);
    if (steps < 1) {
      throw new RangeError(
        `Cannot sample as a prompt takes ${length} tokens of the context of ${gpt.config.blockSize}`,
      );
    }
    const first = tf.tensor2d(rows.flatMap((r) => promptIds[r]), [rows.length, length], "int32");
    let step = gpt.forwardCached(first, null);
    first.dispose();
    const done = rows.map(() => false);
    try {
      for (let i = 0; i < steps; i++) {
        const logits = await step.logits.data() as Float32Array; // [rows, V]
        step.logits.dispose();
        const v = gpt.config.vocabSize;
        const next = rows.map((r, k) => {
          const id = drawToken(logits.subarray(k * v, (k + 1) * v), banned, prng);
          if (!done[k]) {
            tokens[r].push(id);
            if (id === end) done[k] = true;
          }
          return id;
        });
        if (done.every(Boolean) || i === steps - 1) break;
        const idx = tf.tensor2d(next, [rows.length, 1], "int32");
        step = gpt.forwardCached(idx, step.cache);
        idx.dispose();
      }
    } finally {
      step.cache.dispose();
      if (!step.logits.isDisposed) step.logits.dispose();
    }
  }
  const answers = tokens.map((t) => tokenizer.decode(t.filter((id) => id !== end)));
  return { prompts: [...prompts], promptIds, tokens, answers };
}

/** A token drawn from softmax(logits), the banned ones left out. */
function drawToken(logits: Float32Array, banned: ReadonlySet<number>, prng: Prng): number {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) if (!banned.has(i) && logits[i] > max) max = logits[i];
  let sum = 0;
  const p = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) if (!banned.has(i)) sum += p[i] = Math.exp(logits[i] - max);
  let u = prng.next() * sum;
  for (let i = 0; i < p.length; i++) if ((u -= p[i]) <= 0 && p[i] > 0) return i;
  return p.findLastIndex((x) => x > 0);
}

/** A rollout as training tensors: each row prompt + answer, right-padded, shifted by one. */
export interface RolloutBatch {
  /** Inputs `[N, T]`. */
  x: tf.Tensor2D;
  /** The tokens that came next `[N, T]`. */
  y: tf.Tensor2D;
  /** 1 at the positions that predict an answer token (the actions), else 0 `[N, T]`. */
  mask: tf.Tensor2D;
  /** Where each row's answer starts among the positions (its prompt length − 1), and its length. */
  spans: { start: number; length: number }[];
}

/**
 * Lays a rollout out as tensors.
 *
 * @param r The rollout.
 * @param padId Padding id (its positions are masked out).
 * @returns The batch (the caller disposes its tensors).
 * @example
 * ```ts
 * import { rolloutBatch } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const prompt = { prompt: "", topic: "月", length: 5 as const };
 * const r = { prompts: [prompt, prompt], promptIds: [[1, 2], [1, 2]], tokens: [[5, 9], [6]], answers: ["", ""] };
 * const { x, y, mask, spans } = rolloutBatch(r, 9);
 * assert.deepEqual(x.arraySync(), [[1, 2, 5], [1, 2, 9]]);
 * assert.deepEqual(y.arraySync(), [[2, 5, 9], [2, 6, 9]]);
 * assert.deepEqual(mask.arraySync(), [[0, 1, 1], [0, 1, 0]]); // positions that predicted an answer token
 * assert.deepEqual(spans, [{ start: 1, length: 2 }, { start: 1, length: 1 }]);
 * [x, y, mask].forEach((t) => t.dispose());
 * ```
 */
export function rolloutBatch(r: Rollout, padId: number): RolloutBatch {
  const rows = r.promptIds.map((p, i) => [...p, ...r.tokens[i]]);
  const t = Math.max(...rows.map((row) => row.length)) - 1;
  const x: number[] = [], y: number[] = [], mask: number[] = [];
  const spans = r.promptIds.map((p, i) => ({ start: p.length - 1, length: r.tokens[i].length }));
  rows.forEach((row, i) => {
    for (let k = 0; k < t; k++) {
      x.push(k < row.length - 1 ? row[k] : padId);
      y.push(k + 1 < row.length ? row[k + 1] : padId);
      const { start, length } = spans[i];
      mask.push(k >= start && k < start + length ? 1 : 0);
    }
  });
  const n = rows.length;
  return {
    x: tf.tensor2d(x, [n, t], "int32"),
    y: tf.tensor2d(y, [n, t], "int32"),
    mask: tf.tensor2d(mask, [n, t]),
    spans,
  };
}

/** How PPO trains. */
export interface PpoRecipe {
  /** PPO iterations (rollout, then updates). */
  iterations: number;
  /** Answers per rollout. */
  batchSize: number;
  /** Answers per gradient step. */
  minibatchSize: number;
  /** Passes over each rollout. */
  epochs: number;
  /** AdamW's learning rate (constant). */
  lr: number;
  /** β, the KL penalty's coefficient (0 = no penalty). */
  klCoef: number;
  /** ε of the policy's ratio clip. */
  clip: number;
  /** ε of the value clip (reward units). */
  valueClip: number;
  /** Weight of the value loss. */
  valueCoef: number;
  /** Discount γ. */
  gamma: number;
  /** GAE's λ. */
  lambda: number;
  /** Most tokens per answer. */
  maxNewTokens: number;
  /** Clip gradients to this global norm (0 = off). */
  gradClip: number;
  /** Seed of prompts and draws. */
  seed: number;
}

const COMMON = {
  minibatchSize: 16,
  epochs: 4,
  clip: 0.2,
  valueClip: 0.2,
  valueCoef: 0.1,
  gamma: 1,
  lambda: 0.95,
  maxNewTokens: 40,
  gradClip: 1,
  seed: SEED,
};

/**
 * PPO's recipe in each mode, for rewards scaled by {@link rewardScale}. Full: 60 iterations of 64 answers, 4 epochs of
 * 4 minibatches (16 gradient steps per rollout), lr 3e-5, β 0.05 (measured on the full models, 60 iterations: β 0.05,
 * labeler 0.60 → 0.79 at a KL of 7.3 nats per answer; β 0.1, 0.76 at 5.2; raw rewards with β 0.1 — a penalty 2.7×
 * weaker — reached KL 40 and broke the form, labeler 0.62; on an earlier reward model, longer runs with a strong β
 * learned to shorten the answers, the cheapest way to pay less KL); quick: 8 iterations of 32 on the quick models.
 */
export const PPO_RECIPE: Readonly<{ full: Readonly<PpoRecipe>; quick: Readonly<PpoRecipe> }> = Object.freeze({
  full: Object.freeze({ ...COMMON, iterations: 60, batchSize: 64, lr: 3e-5, klCoef: 0.05 }),
  quick: Object.freeze({ ...COMMON, iterations: 8, batchSize: 32, lr: 1e-4, klCoef: 0.05 }),
});

/** What one PPO iteration did. */
export interface PpoStats {
  /** The iteration (1 for the first). */
  iter: number;
  /** Mean reward-model score of the rollout's answers (what PPO maximises, with the KL penalty). */
  reward: number;
  /** Mean labeler score (the ground truth, only measured). */
  labeler: number;
  /** Mean KL to the reference per answer (sum over its tokens, nats). */
  kl: number;
  /** Mean entropy of the policy per answer token (nats). */
  entropy: number;
  /** Mean answer length in tokens (`<|end|>` included). */
  length: number;
  /** Share of answers that ended with `<|end|>`. */
  ended: number;
  /** Share of answer tokens whose ratio left the clip range (over all updates). */
  clipFraction: number;
  /** Mean clipped policy loss over the updates. */
  policyLoss: number;
  /** Mean value loss over the updates. */
  valueLoss: number;
  /** Milliseconds the iteration took. */
  ms: number;
}

/** Scores answers (higher is better): what PPO maximises. */
export type Scorer = (prompts: readonly PairPrompt[], answers: readonly string[]) => Promise<number[]>;

/** A reward model's scale on the SFT model's answers: rewards become (r − mean) / std. */
export interface RewardScale {
  /** Mean reward. */
  mean: number;
  /** Its standard deviation (> 0). */
  std: number;
}

/**
 * The mean and standard deviation of a reward model's rewards on the SFT model's own answers (each distinct answer of
 * the pairs once). A reward has no unit and no zero (only differences are learned), so PPO scores answers in these
 * units, as Ziegler et al. (2019) normalised their reward models: then β, the KL penalty's weight, means the same for
 * any reward model. (Notebook 14's full reward model: std 2.73 on its 1,376 held-out answers.)
 *
 * @param rewardModel The reward model.
 * @param tokenizer The SFT tokenizer.
 * @param pairs Pairs of the SFT model's answers (e.g. the held-out pairs of notebook 14).
 * @returns The scale.
 * @throws {RangeError} When there are no pairs or the rewards are all equal.
 * @example
 * ```ts
 * import { addChatTokens, RewardModel, rewardModelScorer, rewardScale } from "@lib/rlhf/mod.ts";
 * import { GPT } from "@lib/gpt/mod.ts";
 * import { CharTokenizer } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = CharTokenizer.fromText("写月花好");
 * addChatTokens(tok);
 * const rm = new RewardModel(new GPT({ vocabSize: tok.vocabSize, blockSize: 16, nLayer: 1, nHead: 1, nEmbd: 8 }, 2), 2);
 * const scale = await rewardScale(rm, tok, [{ prompt: "写月", chosen: "月好", rejected: "花" }]);
 * const prompt = { prompt: "写月", topic: "月", length: 5 as const };
 * const [a, b] = await rewardModelScorer(rm, tok, scale)([prompt, prompt], ["月好", "花"]);
 * assert.ok(Math.abs(a + b) < 1e-5 && Math.abs(Math.abs(a) - 1) < 1e-5); // two answers: −1 and +1 in these units
 * rm.dispose();
 * ```
 */
export async function rewardScale(
  rewardModel: RewardModel,
  tokenizer: CharTokenizer,
  pairs: readonly Pick<PreferencePair, "prompt" | "chosen" | "rejected">[],
): Promise<RewardScale> {
  const texts = new Map<string, { prompt: string; answer: string }>(); // each (prompt, answer) once
  for (const { prompt, chosen, rejected } of pairs) {
    for (const answer of [chosen, rejected]) texts.set(JSON.stringify([prompt, answer]), { prompt, answer });
  }
  if (texts.size === 0) throw new RangeError("Cannot scale the rewards as no pairs were given");
  const rows = [...texts.values()].map(({ prompt, answer }) =>
    encodeScored(tokenizer, prompt, answer, rewardModel.config.blockSize)
  );
  const r = await rewardsOf(rewardModel, rows, tokenizer.specialId(END_TOKEN));
  const { mean, std } = meanStd(r);
  if (!(std > 0)) {
    throw new RangeError(`Cannot scale the rewards of ${r.length} answers as they do not vary (std ${std})`);
  }
  return { mean, std };
}

/**
 * The reward model as a {@link Scorer}: each answer in the chat template, the reward read at its `<|end|>`, in the
 * units of `scale` when given.
 *
 * @param rewardModel The reward model of notebook 14.
 * @param tokenizer The SFT tokenizer.
 * @param scale Mean and std to normalise by ({@link rewardScale}); raw rewards without it.
 * @returns The scorer.
 */
export function rewardModelScorer(rewardModel: RewardModel, tokenizer: CharTokenizer, scale?: RewardScale): Scorer {
  const padId = tokenizer.specialId(END_TOKEN), blockSize = rewardModel.config.blockSize;
  const { mean = 0, std = 1 } = scale ?? {};
  return async (prompts, answers) =>
    (await rewardsOf(
      rewardModel,
      prompts.map((p, i) => encodeScored(tokenizer, p.prompt, answers[i], blockSize)),
      padId,
    )).map((r) => (r - mean) / std);
}

/** The old (rollout-time) numbers PPO's updates compare against. */
interface Scored {
  batch: RolloutBatch;
  oldLogProbs: tf.Tensor2D;
  oldValues: tf.Tensor2D;
  advantages: tf.Tensor2D;
  returns: tf.Tensor2D;
  stats: Pick<PpoStats, "reward" | "labeler" | "kl" | "entropy" | "length" | "ended">;
}

/** Rows of a `[N, T]` matrix as arrays, by each row's answer span. */
function spansOf(flat: ArrayLike<number>, t: number, spans: RolloutBatch["spans"]): number[][] {
  return spans.map(({ start, length }, i) => Array.from({ length }, (_, k) => flat[i * t + start + k]));
}

/** A `[N, T]` tensor with each row's span filled from `rows`, zeros elsewhere. */
function fromSpans(rows: number[][], n: number, t: number, spans: RolloutBatch["spans"]): tf.Tensor2D {
  const out = new Float32Array(n * t);
  rows.forEach((row, i) => row.forEach((v, k) => out[i * t + spans[i].start + k] = v));
  return tf.tensor2d(out, [n, t]);
}

/** Scores a rollout: rewards, KL, values, advantages (no gradients). */
async function scoreRollout(
  model: PolicyWithValue,
  reference: GPT,
  scorer: Scorer,
  tokenizer: CharTokenizer,
  r: Rollout,
  recipe: Readonly<PpoRecipe>,
): Promise<Scored> {
  const padId = tokenizer.specialId(END_TOKEN);
  const batch = rolloutBatch(r, padId);
  const [n, t] = batch.x.shape;
  const { logits, values } = model.forward(batch.x);
  const refLogits = model.referenceLogits(reference, batch.x);
  const oldLogProbs = tokenLogProbs(logits, batch.y);
  const { kl, entropy } = tokenKl(logits, refLogits);
  tf.dispose([logits, refLogits]);
  const [klRows, entRows, valueRows] = [await kl.data(), await entropy.data(), await values.data()]
    .map((flat) => spansOf(flat, t, batch.spans));
  tf.dispose([kl, entropy]);
  const scores = await scorer(r.prompts, r.answers);
  const labels = r.prompts.map((p, i) => scorePoem(r.answers[i], p.topic).scores.total);
  const perRow = klRows.map((k, i) =>
    gae(tokenRewards(k, scores[i], recipe.klCoef), valueRows[i], recipe.gamma, recipe.lambda)
  );
  const flatAdv = whiten(perRow.flatMap((g) => g.advantages));
  let at = 0;
  const advRows = perRow.map((g) => flatAdv.slice(at, at += g.advantages.length));
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const end = tokenizer.specialId(END_TOKEN);
  return {
    batch,
    oldLogProbs,
    oldValues: values,
    advantages: fromSpans(advRows, n, t, batch.spans),
    returns: fromSpans(perRow.map((g) => g.returns), n, t, batch.spans),
    stats: {
      reward: mean(scores),
      labeler: mean(labels),
      kl: mean(klRows.map((k) => k.reduce((s, x) => s + x, 0))),
      entropy: mean(entRows.flat()),
      length: mean(r.tokens.map((tk) => tk.length)),
      ended: mean(r.tokens.map((tk) => tk.at(-1) === end ? 1 : 0)),
    },
  };
}

/**
 * One PPO iteration: rollout, scores, advantages, then `epochs` passes of clipped updates in minibatches.
 *
 * @param model The policy with its value head (trained in place).
 * @param reference The frozen SFT model (never changed).
 * @param scorer What scores an answer ({@link rewardModelScorer}: the reward model, never changed).
 * @param tokenizer The SFT tokenizer.
 * @param prompts The prompts to draw the rollout's from.
 * @param opt The optimizer over `model.params`.
 * @param recipe The recipe.
 * @param iter The iteration (0-based; with the seed, it fixes the prompts and draws).
 * @returns The iteration's statistics and its rollout.
 */
export async function ppoIteration(
  model: PolicyWithValue,
  reference: GPT,
  scorer: Scorer,
  tokenizer: CharTokenizer,
  prompts: readonly PairPrompt[],
  opt: AdamW,
  recipe: Readonly<PpoRecipe>,
  iter: number,
): Promise<{ stats: PpoStats; rollout: Rollout }> {
  const t0 = performance.now(), prng = iterPrng(recipe.seed, iter);
  const batchPrompts = Array.from({ length: recipe.batchSize }, () => prompts[prng.int(prompts.length)]);
  const r = await rollout(model, tokenizer, batchPrompts, recipe.maxNewTokens, prng);
  const s = await scoreRollout(model, reference, scorer, tokenizer, r, recipe);
  const params = [...model.params.values()];
  let clipSum = 0, policySum = 0, valueSum = 0, updates = 0;
  try {
    for (let epoch = 0; epoch < recipe.epochs; epoch++) {
      const order = prng.permutation(recipe.batchSize);
      for (let i = 0; i < order.length; i += recipe.minibatchSize) {
        const rows = tf.tensor1d(order.slice(i, i + recipe.minibatchSize), "int32");
        const pick = <T extends tf.Tensor>(x: T) => tf.gather(x, rows) as T;
        const mb = tf.tidy(() => ({
          x: pick(s.batch.x),
          y: pick(s.batch.y),
          mask: pick(s.batch.mask),
          oldLogProbs: pick(s.oldLogProbs),
          oldValues: pick(s.oldValues),
          advantages: pick(s.advantages),
          returns: pick(s.returns),
        }));
        rows.dispose();
        let parts: tf.Tensor1D | null = null;
        const { value, grads } = tf.variableGrads(() => {
          const { logits, values } = model.forward(mb.x);
          const logProbs = tokenLogProbs(logits, mb.y);
          const pg = clippedPolicyLoss(logProbs, mb.oldLogProbs, mb.advantages, mb.mask, recipe.clip);
          const vf = clippedValueLoss(values, mb.oldValues, mb.returns, mb.mask, recipe.valueClip);
          parts = tf.keep(tf.stack([pg.loss, vf, pg.clipped]) as tf.Tensor1D);
          return tf.add(pg.loss, tf.mul(vf, recipe.valueCoef)) as tf.Scalar;
        }, params);
        await opt.step(grads, recipe.lr, recipe.gradClip);
        const [pgLoss, vfLoss, clipped] = await parts!.data();
        tf.dispose([value, parts!, ...Object.values(grads), ...Object.values(mb)]);
        policySum += pgLoss;
        valueSum += vfLoss;
        clipSum += clipped;
        updates++;
      }
    }
  } finally {
    tf.dispose([s.batch.x, s.batch.y, s.batch.mask, s.oldLogProbs, s.oldValues, s.advantages, s.returns]);
  }
  return {
    stats: {
      iter: iter + 1,
      ...s.stats,
      clipFraction: clipSum / updates,
      policyLoss: policySum / updates,
      valueLoss: valueSum / updates,
      ms: performance.now() - t0,
    },
    rollout: r,
  };
}

/** Where a PPO run stands: what a checkpoint holds to resume it. */
export interface PpoState {
  /** Iterations done. */
  iter: number;
  /** The statistics of each. */
  history: PpoStats[];
  /** AdamW's moments. */
  optimizer?: AdamWState;
}

/** Settings of {@link trainPpo} besides the recipe. */
export interface PpoTrainOptions {
  /** Show a progress bar (default true), or its label. */
  progress?: boolean | string;
  /** Called after each iteration (a live chart's push). */
  onIteration?: (stats: PpoStats) => unknown;
  /** Called with the state every `checkpointInterval` iterations and when the learner stops. */
  onCheckpoint?: (state: PpoState) => unknown;
  /** Iterations between checkpoints (default 10). */
  checkpointInterval?: number;
  /** A state to resume from. */
  resumeFrom?: PpoState;
}

function checkRecipe(recipe: Readonly<PpoRecipe>): void {
  for (const name of ["iterations", "batchSize", "minibatchSize", "epochs", "maxNewTokens"] as const) {
    checkPositiveInteger(recipe[name], name, "run PPO");
  }
  for (const name of ["lr", "clip"] as const) checkPositive(recipe[name], name, "run PPO");
  if (!(recipe.klCoef >= 0)) throw new RangeError(`Cannot run PPO with klCoef < 0: current value is ${recipe.klCoef}`);
}

/**
 * Tunes a policy with PPO against a reward model, with a KL penalty to the reference.
 *
 * @param model The policy with its value head (trained in place).
 * @param reference The frozen SFT model.
 * @param scorer What scores an answer ({@link rewardModelScorer}).
 * @param tokenizer The SFT tokenizer.
 * @param prompts The prompts the rollouts answer.
 * @param recipe The recipe.
 * @param options Progress, per-iteration callback, checkpoints, resume.
 * @returns The finished run's state (every iteration's statistics).
 * @throws {RangeError} For a recipe out of range, or the policy as its own reference.
 * @throws {TrainingStopped} When the learner stops the cell (with the state to resume from).
 */
export async function trainPpo(
  model: PolicyWithValue,
  reference: GPT,
  scorer: Scorer,
  tokenizer: CharTokenizer,
  prompts: readonly PairPrompt[],
  recipe: Readonly<PpoRecipe>,
  options: PpoTrainOptions = {},
): Promise<PpoState> {
  checkRecipe(recipe);
  if (model.policy === reference) {
    throw new RangeError("Cannot run PPO with the policy as its own reference: load the reference separately");
  }
  const { checkpointInterval = 10, resumeFrom } = options;
  const opt = new AdamW(model.params, { lr: recipe.lr, weightDecay: 0 });
  if (resumeFrom?.optimizer) opt.setState(resumeFrom.optimizer);
  const state: PpoState = { iter: resumeFrom?.iter ?? 0, history: [...(resumeFrom?.history ?? [])] };
  for (const s of state.history) await options.onIteration?.(s);
  const label = typeof options.progress === "string" ? options.progress : "PPO";
  const bar = options.progress === false ? null : progressBar(recipe.iterations, { label });
  bar?.advance(state.iter);
  const save = async () => {
    if (!options.onCheckpoint) return;
    state.optimizer = await opt.getState();
    await options.onCheckpoint(state);
  };
  const interrupt = watchInterrupt();
  try {
    while (state.iter < recipe.iterations && !interrupt.stopped) {
      const { stats } = await ppoIteration(model, reference, scorer, tokenizer, prompts, opt, recipe, state.iter);
      state.history.push(stats);
      state.iter++;
      bar?.set({ reward: round(stats.reward), labeler: round(stats.labeler), kl: round(stats.kl) }).advance();
      await options.onIteration?.(stats);
      if (state.iter % checkpointInterval === 0 && state.iter < recipe.iterations) await save();
      await new Promise((resolve) => setTimeout(resolve, 0)); // let the notebook draw the bar and the chart
    }
    if (interrupt.stopped && state.iter < recipe.iterations) {
      await save();
      throw new TrainingStopped(state.iter, options.onCheckpoint !== undefined);
    }
    await bar?.done();
    state.optimizer = await opt.getState();
    return state;
  } finally {
    interrupt.close();
    opt.dispose();
  }
}

const round = (x: number) => Number(x.toFixed(3));
