/**
 * How a tuned policy stands, measured the same way for every policy (SFT, PPO, PPO without KL, DPO), so that they can
 * share one chart: answers sampled at temperature 1 over the whole distribution (as PPO's rollouts), scored by the
 * labeler (the ground truth) and by the reward model, and the exact KL to the SFT model summed over each answer's
 * tokens (lib/rlhf/ppo_math.ts).
 *
 * @module
 */
import { SEED, tf } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import type { GPT } from "../gpt/model.ts";
import { type CharTokenizer, END_TOKEN } from "../text/mod.ts";
import { type PoemScores, scorePoem } from "./labeler.ts";
import type { PairPrompt } from "./pairs.ts";
import { bannedTokens, type Rollout, rollout, rolloutBatch, type Scorer } from "./ppo.ts";
import { banMask } from "./logprobs.ts";
import { tokenKl } from "./ppo_math.ts";

/** What {@link measurePolicy} found. */
export interface PolicyMeasure {
  /** Answers sampled. */
  answers: number;
  /** Mean labeler score (0–1). */
  labeler: number;
  /** Mean of each labeler component (0–1): where the score came from. */
  components: Omit<PoemScores, "total">;
  /** Mean reward-model score. */
  reward: number;
  /** Mean KL to the reference per answer (nats, summed over its tokens). */
  kl: number;
  /** Mean answer length in tokens (`<|end|>` included). */
  length: number;
  /** Share of distinct answers (1: all differ; near 0: the policy collapsed onto a few). */
  distinct: number;
  /** The first answer to each prompt, for reading. */
  samples: { prompt: string; topic: string; answer: string; labeler: number }[];
}

/** Options of {@link measurePolicy}. */
export interface MeasureOptions {
  /** Answers per prompt (default 8). */
  perPrompt?: number;
  /** Answers per batch (default 64). */
  batchSize?: number;
  /** Most tokens per answer (default 40). */
  maxNewTokens?: number;
  /** Seed of the draws (default 1337: every policy answers with the same random numbers). */
  seed?: number;
}

/** The exact KL to the reference of each answer of a rollout, summed over its tokens. */
async function answerKl(policy: GPT, reference: GPT, banned: readonly number[], r: Rollout, padId: number) {
  const b = rolloutBatch(r, padId);
  const ban = banMask(policy.config.vocabSize, banned);
  const { logits } = policy.forward(b.x), { logits: refLogits } = reference.forward(b.x);
  const masked = tf.tidy(() => [tf.add(logits, ban), tf.add(refLogits, ban)]);
  const { kl, entropy } = tokenKl(masked[0], masked[1]);
  const sums = tf.tidy(() => tf.sum(tf.mul(kl, b.mask), 1));
  const out = Array.from(await sums.data());
  tf.dispose([b.x, b.y, b.mask, ban, logits, refLogits, ...masked, kl, entropy, sums]);
  return out;
}

/**
 * Samples answers from a policy and measures them: labeler, reward model, KL to the reference, length, variety.
 *
 * @param policy The policy (e.g. the PPO model; the SFT model itself gives KL 0).
 * @param reference The SFT model.
 * @param tokenizer The SFT tokenizer.
 * @param scorer The reward model as a scorer ({@link rewardModelScorer}).
 * @param prompts The prompts (e.g. `pairPrompts().train`).
 * @param options Answers per prompt, batch, length, seed.
 * @returns The means and a sample answer per prompt.
 * @throws {RangeError} For no prompts or a count that is not a positive integer.
 */
export async function measurePolicy(
  policy: GPT,
  reference: GPT,
  tokenizer: CharTokenizer,
  scorer: Scorer,
  prompts: readonly PairPrompt[],
  options: MeasureOptions = {},
): Promise<PolicyMeasure> {
  const { perPrompt = 8, batchSize = 64, maxNewTokens = 40, seed = SEED } = options;
  checkPositiveInteger(perPrompt, "perPrompt", "measure a policy");
  checkPositiveInteger(batchSize, "batchSize", "measure a policy");
  if (prompts.length === 0) throw new RangeError("Cannot measure a policy on no prompts: give at least one");
  const banned = bannedTokens(tokenizer), padId = tokenizer.specialId(END_TOKEN);
  const rows = prompts.flatMap((p) => Array.from({ length: perPrompt }, () => p));
  const labels: number[] = [],
    parts: PoemScores[] = [],
    rewards: number[] = [],
    kls: number[] = [],
    lengths: number[] = [];
  const answers: string[] = [];
  for (let i = 0; i < rows.length; i += batchSize) {
    const part = rows.slice(i, i + batchSize);
    const r = await rollout({ policy, banned }, tokenizer, part, maxNewTokens, seed + i);
    answers.push(...r.answers);
    const scores = part.map((p, k) => scorePoem(r.answers[k], p.topic).scores);
    parts.push(...scores);
    labels.push(...scores.map((x) => x.total));
    rewards.push(...await scorer(part, r.answers));
    kls.push(...await answerKl(policy, reference, banned, r, padId));
    lengths.push(...r.tokens.map((t) => t.length));
  }
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  return {
    answers: rows.length,
    labeler: mean(labels),
    components: {
      form: mean(parts.map((x) => x.form)),
      rhyme: mean(parts.map((x) => x.rhyme)),
      topic: mean(parts.map((x) => x.topic)),
      repetition: mean(parts.map((x) => x.repetition)),
    },
    reward: mean(rewards),
    kl: mean(kls),
    length: mean(lengths),
    distinct: new Set(answers).size / answers.length,
    samples: prompts.map((p, k) => ({
      prompt: p.prompt,
      topic: p.topic,
      answer: answers[k * perPrompt],
      labeler: labels[k * perPrompt],
    })),
  };
}
