/**
 * Direct preference optimisation (DPO; Rafailov et al. 2023, "Direct Preference Optimization: Your Language Model is
 * Secretly a Reward Model"): the same preference pairs that trained notebook 14's reward model, used to tune the
 * policy directly, with no reward model and no sampling during training.
 *
 * RLHF with a KL penalty maximises E[r(x, y)] − β·KL(π ‖ π_ref). Its best policy is π*(y|x) ∝ π_ref(y|x)·exp(r(x, y)/β),
 * so a reward can be read off any policy: r(x, y) = β·log(π(y|x) / π_ref(y|x)) + (a term of x alone). Put that reward
 * into the Bradley–Terry loss of notebook 14 and the term of x cancels between the two answers of a pair:
 *
 *   loss = −log σ(β·[(log π(y_w|x) − log π_ref(y_w|x)) − (log π(y_l|x) − log π_ref(y_l|x))])
 *
 * with y_w the chosen answer and y_l the rejected one. Lowering it raises the chosen answer's probability relative to
 * the reference and lowers the rejected one's; β sets how far the policy may move from the reference. The "implicit
 * reward" β·log(π/π_ref) of each answer is what {@link evaluateDpo} reports: the share of pairs where the chosen
 * answer's is higher (the pair accuracy of notebook 14's reward model, for a policy).
 *
 * Training runs on lib/nn's shared loop (AdamW, cosine schedule, clipping, progress, chart, stop, resumable state):
 * {@link DpoObjective} is the "model" the loop trains — the policy's weights, and a forward pass that reads the
 * frozen reference's log-probabilities of the same batch and returns the DPO loss.
 *
 * @module
 */
import { SEED, tf } from "../core/mod.ts";
import { checkPositive, checkPositiveInteger } from "../core/validate.ts";
import type { GPT } from "../gpt/model.ts";
import { AdamW, type AdamWState } from "../nn/optim.ts";
import { cosineLr } from "../nn/lr_schedule.ts";
import type { ForwardOptions, Trainable } from "../nn/model.ts";
import { type Batch, type BatchSource, type LoopResult, type LoopState, train } from "../nn/train.ts";
import { type CharTokenizer, END_TOKEN } from "../text/mod.ts";
import { encodeChat, type EncodedChat } from "./chat_template.ts";
import type { PreferencePair } from "./pairs.ts";

/** What DPO reads of a preference pair: the instruction and its two answers, the preferred one first. */
export type PreferenceText = Pick<PreferencePair, "prompt" | "chosen" | "rejected">;
import { chatBatch } from "./sft_batch.ts";
import { responseLogProbs } from "./logprobs.ts";

/**
 * The DPO loss of a batch of pairs, from the four log-probabilities of each pair's answers.
 *
 * @param policyChosen log π(y_w | x) `[B]`.
 * @param policyRejected log π(y_l | x) `[B]`.
 * @param refChosen log π_ref(y_w | x) `[B]`.
 * @param refRejected log π_ref(y_l | x) `[B]`.
 * @param beta The strength of the pull toward the reference (> 0; about 0.1).
 * @returns The mean of −log σ(β·margin) over the pairs, a scalar (the caller disposes it).
 * @throws {RangeError} When the four are not the same `[B]` shape or beta is not positive.
 * @example
 * ```ts
 * import { dpoLoss } from "@lib/rlhf/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const t = (v: number) => tf.tensor1d([v]);
 * // the policy equals the reference: margin 0, loss log 2
 * const loss = dpoLoss(t(-3), t(-5), t(-3), t(-5), 0.1);
 * assert.ok(Math.abs(loss.dataSync()[0] - Math.log(2)) < 1e-6);
 * loss.dispose();
 * ```
 */
export function dpoLoss(
  policyChosen: tf.Tensor,
  policyRejected: tf.Tensor,
  refChosen: tf.Tensor,
  refRejected: tf.Tensor,
  beta: number,
): tf.Scalar {
  checkPositive(beta, "beta", "compute the DPO loss");
  const all = [policyChosen, policyRejected, refChosen, refRejected];
  if (all.some((t) => t.rank !== 1 || t.shape[0] !== policyChosen.shape[0]) || policyChosen.shape[0] === 0) {
    throw new RangeError(
      `Cannot compute the DPO loss as the four log-probabilities must be [B] alike: got ${
        all.map((t) => `[${t.shape}]`).join(", ")
      }`,
    );
  }
  return tf.tidy(() => {
    const margin = tf.sub(tf.sub(policyChosen, refChosen), tf.sub(policyRejected, refRejected)); // [B]
    return tf.mean(tf.softplus(tf.neg(tf.mul(margin, beta)))) as tf.Scalar; // −log σ(β·margin) = softplus(−β·margin)
  });
}

/** One pair as two encoded chats (the chosen answer's, the rejected one's), cut to the model's context. */
export interface EncodedPreference {
  chosen: EncodedChat;
  rejected: EncodedChat;
}

function fit(chat: EncodedChat, blockSize: number): EncodedChat {
  if (chat.ids.length <= blockSize + 1) return chat;
  return {
    ids: chat.ids.slice(0, blockSize + 1),
    mask: chat.mask.slice(0, blockSize),
    promptLength: chat.promptLength,
  };
}

/**
 * Encodes preference pairs in the chat template, for {@link dpoBatches} and {@link evaluateDpo}.
 *
 * @param tokenizer The SFT tokenizer (with the chat tokens).
 * @param pairs Pairs (notebook 14's labelled pairs, or any prompt with a chosen and a rejected answer).
 * @param blockSize The model's context: a longer text keeps its first blockSize + 1 tokens.
 * @returns One chosen and one rejected chat per pair.
 */
export function encodePreferences(
  tokenizer: CharTokenizer,
  pairs: readonly PreferenceText[],
  blockSize: number,
): EncodedPreference[] {
  checkPositiveInteger(blockSize, "blockSize", "encode preference pairs");
  return pairs.map((p) => ({
    chosen: fit(encodeChat(tokenizer, { prompt: p.prompt, response: p.chosen }), blockSize),
    rejected: fit(encodeChat(tokenizer, { prompt: p.prompt, response: p.rejected }), blockSize),
  }));
}

/**
 * A batch of pairs: the chosen chats in rows 0…B−1, the rejected ones in rows B…2B−1, right-padded; `weights` is the
 * response mask.
 *
 * @param pairs Encoded pairs.
 * @param padId Padding id (any id; its weight is 0).
 * @param blockSize The model's context.
 * @returns `x`, `y` `[2B, T]` int32 and `weights` `[2B, T]` (the caller disposes them).
 */
export function preferenceBatch(pairs: readonly EncodedPreference[], padId: number, blockSize: number): Batch {
  return chatBatch([...pairs.map((p) => p.chosen), ...pairs.map((p) => p.rejected)], padId, blockSize);
}

/**
 * A batch source for lib/nn's loop: `batchSize` pairs drawn with the loop's generator ({@link preferenceBatch}).
 *
 * @param pairs Encoded pairs.
 * @param batchSize Pairs per batch.
 * @param padId Padding id.
 * @param blockSize The model's context.
 * @returns The batch source.
 * @throws {RangeError} When there are no pairs or batchSize is not a positive integer.
 */
export function dpoBatches(
  pairs: readonly EncodedPreference[],
  batchSize: number,
  padId: number,
  blockSize: number,
): BatchSource {
  checkPositiveInteger(batchSize, "batchSize", "draw DPO batches");
  if (pairs.length === 0) throw new RangeError("Cannot draw DPO batches from no pairs: give at least one");
  return (_iter, prng) =>
    preferenceBatch(Array.from({ length: batchSize }, () => pairs[prng.int(pairs.length)]), padId, blockSize);
}

/**
 * What lib/nn's loop trains for DPO: the policy's weights, and a forward pass over a {@link preferenceBatch} that
 * returns the DPO loss. The reference is read in the same pass; its weights are not among `params`, so it never
 * changes.
 */
export class DpoObjective implements Trainable {
  /** The policy's trainable weights. */
  readonly params: Map<string, tf.Variable>;

  /**
   * @param policy The model being tuned (starts as a copy of the reference).
   * @param reference The frozen reference (the SFT model).
   * @param beta The pull toward the reference.
   */
  constructor(readonly policy: GPT, readonly reference: GPT, readonly beta: number) {
    checkPositive(beta, "beta", "set up DPO");
    if (policy === reference) {
      throw new RangeError("Cannot set up DPO with the policy as its own reference: load the reference separately");
    }
    this.params = policy.params;
  }

  /**
   * The DPO loss of a batch (chosen rows first, then rejected).
   *
   * @param x Ids `[2B, T]`.
   * @param y Targets `[2B, T]`.
   * @param opts `weights`: the response mask `[2B, T]` (required).
   * @returns `loss`, the DPO loss (the caller disposes it).
   * @throws {RangeError} When the batch has an odd number of rows or no weights.
   */
  forward(x: tf.Tensor, y?: tf.Tensor, opts: ForwardOptions = {}): { loss?: tf.Scalar } {
    const n = x.shape[0];
    if (!y || !opts.weights || n % 2 !== 0) {
      throw new RangeError(
        `Cannot compute the DPO loss as the batch needs targets, the response mask and an even number of rows ` +
          `(chosen, then rejected): got ${n} rows${opts.weights ? "" : ", no mask"}`,
      );
    }
    const batch = { x, y, weights: opts.weights };
    const ref = responseLogProbs(this.reference, batch); // [2B], no gradient reaches the reference's weights
    const pol = responseLogProbs(this.policy, batch); // [2B]
    const half = n / 2;
    const loss = tf.tidy(() =>
      dpoLoss(pol.slice(0, half), pol.slice(half, half), ref.slice(0, half), ref.slice(half, half), this.beta)
    );
    tf.dispose([ref, pol]);
    return { loss };
  }
}

/** How DPO trains. */
export interface DpoRecipe {
  /** Optimizer steps. */
  steps: number;
  /** Pairs per batch. */
  batchSize: number;
  /** Peak learning rate. */
  lr: number;
  /** The pull toward the reference (β). */
  beta: number;
  /** Linear warmup steps. */
  warmupIters: number;
  /** AdamW weight decay (matrices only). */
  weightDecay: number;
  /** Clip gradients to this global norm (0 = off). */
  gradClip: number;
  /** Estimate the train/val loss every this many steps. */
  evalInterval: number;
  /** Batches per estimate. */
  evalIters: number;
  /** Seed of the batches. */
  seed: number;
}

const COMMON = { beta: 0.1, weightDecay: 0, gradClip: 1, evalIters: 4, seed: SEED };

/**
 * DPO's recipe in each mode (β = 0.1 as in the paper; AdamW, cosine from lr to lr / 10, no weight decay so that only
 * the preferences move the weights away from the reference). Full: 300 steps of 32 pairs; quick: 40 steps of 16.
 */
export const DPO_RECIPE: Readonly<{ full: Readonly<DpoRecipe>; quick: Readonly<DpoRecipe> }> = Object.freeze({
  full: Object.freeze({ ...COMMON, steps: 300, batchSize: 32, lr: 1e-4, warmupIters: 10, evalInterval: 50 }),
  quick: Object.freeze({ ...COMMON, steps: 40, batchSize: 16, lr: 3e-4, warmupIters: 4, evalInterval: 20 }),
});

/** Settings of {@link trainDpo} besides the recipe. */
export interface DpoTrainOptions {
  /** Show a progress bar (default true), or its label. */
  progress?: boolean | string;
  /** A live chart: `train` (and `val`) DPO losses, and `batch`. */
  chart?: { push(x: number, values: Record<string, number>): unknown };
  /** Called with the state at checkpoints (every evalInterval steps) and when the learner stops. */
  onCheckpoint?: (state: LoopState<AdamWState>) => unknown;
  /** A state to resume from. */
  resumeFrom?: LoopState<AdamWState>;
}

/**
 * Tunes a policy with DPO on preference pairs, on lib/nn's shared loop.
 *
 * @param policy The policy (a copy of the reference at the start; trained in place).
 * @param reference The frozen reference (the SFT model; never changed).
 * @param tokenizer The SFT tokenizer.
 * @param pairs Training pairs, and optionally held-out pairs for the val loss.
 * @param recipe Steps, batch, schedule, β, clipping, estimates, seed.
 * @param options Progress, chart, checkpoints, resume.
 * @returns The run (batch losses, estimates, optimizer state, wall time).
 * @throws {RangeError} For a recipe out of range or no pairs. lib/nn's `TrainingStopped` when the learner stops it.
 * @example
 * ```ts
 * import { addChatTokens, evaluateDpo, trainDpo } from "@lib/rlhf/mod.ts";
 * import { GPT } from "@lib/gpt/mod.ts";
 * import { CharTokenizer } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = CharTokenizer.fromText("写月好坏");
 * addChatTokens(tok);
 * const make = () => new GPT({ vocabSize: tok.vocabSize, blockSize: 16, nLayer: 1, nHead: 1, nEmbd: 16 }, 3);
 * const [policy, reference] = [make(), make()];
 * const pairs = [{ prompt: "写月", chosen: "好好", rejected: "坏坏" }];
 * const recipe = { steps: 30, batchSize: 1, lr: 1e-2, beta: 0.5, warmupIters: 0, weightDecay: 0, gradClip: 1, evalInterval: 30, evalIters: 1, seed: 1 };
 * await trainDpo(policy, reference, tok, { train: pairs }, recipe, { progress: false });
 * const after = await evaluateDpo(policy, reference, tok, pairs, 0.5);
 * assert.equal(after.accuracy, 1);
 * policy.dispose(); reference.dispose();
 * ```
 */
export async function trainDpo(
  policy: GPT,
  reference: GPT,
  tokenizer: CharTokenizer,
  pairs: { train: readonly PreferenceText[]; val?: readonly PreferenceText[] },
  recipe: Readonly<DpoRecipe>,
  options: DpoTrainOptions = {},
): Promise<LoopResult<AdamWState>> {
  for (const name of ["steps", "batchSize", "evalIters"] as const) checkPositiveInteger(recipe[name], name, "run DPO");
  checkPositive(recipe.lr, "lr", "run DPO");
  const { blockSize } = policy.config;
  const padId = tokenizer.encode(END_TOKEN)[0];
  const source = (p: readonly PreferenceText[]) =>
    dpoBatches(encodePreferences(tokenizer, p, blockSize), recipe.batchSize, padId, blockSize);
  const batches = source(pairs.train);
  const objective = new DpoObjective(policy, reference, recipe.beta);
  const schedule = { lr: recipe.lr, warmupIters: recipe.warmupIters, decayIters: recipe.steps, minLr: recipe.lr / 10 };
  const opt = new AdamW(objective.params, { lr: recipe.lr, weightDecay: recipe.weightDecay });
  try {
    return await train<AdamWState>({
      model: objective,
      optimizer: opt,
      batches,
      steps: recipe.steps,
      lr: (it) => cosineLr(it, schedule),
      gradClip: recipe.gradClip,
      seed: recipe.seed,
      evalSplits: { train: batches, ...(pairs.val?.length ? { val: source(pairs.val) } : {}) },
      evalIters: recipe.evalIters,
      evalInterval: recipe.evalInterval,
      progress: options.progress ?? "DPO",
      chart: options.chart,
      onCheckpoint: options.onCheckpoint,
      checkpointInterval: recipe.evalInterval,
      resumeFrom: options.resumeFrom,
      record: { ...schedule, batchSize: recipe.batchSize, beta: recipe.beta },
    });
  } finally {
    opt.dispose();
  }
}

/** How a policy stands on preference pairs, in DPO's terms. */
export interface DpoEvaluation {
  /** Pairs evaluated. */
  pairs: number;
  /** The mean DPO loss (log 2 ≈ 0.693 when the policy is the reference). */
  loss: number;
  /** Share of pairs whose chosen answer has the higher implicit reward β·log(π/π_ref). */
  accuracy: number;
  /** Mean implicit reward of the chosen answers minus the rejected ones'. */
  margin: number;
  /** Mean change of log π(chosen) from the reference (DPO can lower both answers; this says whether it did). */
  chosenShift: number;
  /** Mean change of log π(rejected) from the reference. */
  rejectedShift: number;
}

/**
 * The DPO loss, implicit-reward accuracy and margins of a policy on pairs, without gradients, in batches.
 *
 * @param policy The tuned policy.
 * @param reference The reference it was tuned from.
 * @param tokenizer The SFT tokenizer.
 * @param pairs The pairs (e.g. the held-out ones).
 * @param beta β of the implicit reward.
 * @param batchSize Pairs per forward pass (default 32).
 * @returns Loss, accuracy, margin and the shifts of both answers' log-probabilities.
 * @throws {RangeError} When there are no pairs.
 */
export async function evaluateDpo(
  policy: GPT,
  reference: GPT,
  tokenizer: CharTokenizer,
  pairs: readonly PreferenceText[],
  beta: number,
  batchSize = 32,
): Promise<DpoEvaluation> {
  if (pairs.length === 0) throw new RangeError("Cannot evaluate DPO on no pairs: give at least one");
  checkPositive(beta, "beta", "evaluate DPO");
  const { blockSize } = policy.config;
  const padId = tokenizer.encode(END_TOKEN)[0];
  const encoded = encodePreferences(tokenizer, pairs, blockSize);
  let loss = 0, right = 0, margin = 0, chosenShift = 0, rejectedShift = 0;
  for (let i = 0; i < encoded.length; i += batchSize) {
    const part = encoded.slice(i, i + batchSize);
    const b = part.length;
    const batch = preferenceBatch(part, padId, blockSize);
    const [pol, ref] = [responseLogProbs(policy, batch), responseLogProbs(reference, batch)];
    const [p, r] = [await pol.data(), await ref.data()];
    tf.dispose([batch.x, batch.y, batch.weights!, pol, ref]);
    for (let k = 0; k < b; k++) {
      const dc = p[k] - r[k], dr = p[b + k] - r[b + k];
      const m = beta * (dc - dr);
      loss += Math.max(-m, 0) + Math.log1p(Math.exp(-Math.abs(m))); // softplus(−m)
      if (m > 0) right++;
      margin += m;
      chosenShift += dc;
      rejectedShift += dr;
    }
  }
  const n = encoded.length;
  return {
    pairs: n,
    loss: loss / n,
    accuracy: right / n,
    margin: margin / n,
    chosenShift: chosenShift / n,
    rejectedShift: rejectedShift / n,
  };
}
