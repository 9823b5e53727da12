/**
 * Preference pairs (偏好对) for the reward model: several answers sampled from the SFT model for each prompt, taken
 * {@link RANKED} at a time as a labeler ranks them, and every pair of a ranking labelled by the programmatic labeler
 * ({@link preferPoem}). The rule, fixed before looking at any
 * pair: **drop ties, keep everything else** — no filtering to pairs with a clear margin, so the reward model sees
 * the hard pairs (a difference of one repeated bigram) as well as the easy ones.
 *
 * The prompts are the `topic` instructions of notebook 12 (写一首关于月的五言绝句): 16 topics × 2 lengths, only 32
 * prompts, so the held-out pairs are new answers (sampled with other seeds) to the training prompts. The prompts of
 * {@link NEW_TOPICS} are kept out of training altogether: pairs on them measure whether the reward model carries
 * what it learned to a topic it never saw (it mostly does not: "contains the topic" is learned topic by topic).
 *
 * Sampling is batched: the `k` answers to one prompt share the prompt's tokens, so they run as one batch of `k`
 * through the GPT's KV cache (a row that reached `<|end|>` keeps running, and is cut there).
 *
 * @module
 */
import { Prng, SEED, tf } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import type { SamplingOptions } from "../nn/generate.ts";
import type { GPT } from "../gpt/model.ts";
import { type CharTokenizer, END_TOKEN } from "../text/mod.ts";
import { formatChat } from "./chat_template.ts";
import { banMask } from "./logprobs.ts";
import { TOPICS } from "./instructions.ts";
import { type PoemScores, preferPoem } from "./labeler.ts";

/** Topics whose prompts are kept out of reward-model training. */
export const NEW_TOPICS: readonly string[] = Object.freeze([..."雪柳酒日"]);

/** One prompt of the pairs: the instruction and its topic. */
export interface PairPrompt {
  /** The instruction, e.g. 写一首关于月的五言绝句. */
  prompt: string;
  /** Its topic character. */
  topic: string;
  /** Asked verse length. */
  length: 5 | 7;
}

/**
 * The prompts: every topic of {@link TOPICS} at both lengths, split by topic.
 *
 * @returns The training prompts (12 topics × 2) and those of {@link NEW_TOPICS} (× 2).
 * @example
 * ```ts
 * import { pairPrompts } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const { train, newTopics } = pairPrompts();
 * assert.deepEqual([train.length, newTopics.length], [24, 8]);
 * assert.equal(newTopics[0].prompt, "写一首关于雪的五言绝句");
 * ```
 */
export function pairPrompts(): { train: PairPrompt[]; newTopics: PairPrompt[] } {
  const all = TOPICS.flatMap((topic) =>
    ([5, 7] as const).map((length) => ({
      prompt: `写一首关于${topic}的${length === 5 ? "五" : "七"}言绝句`,
      topic,
      length,
    }))
  );
  return {
    train: all.filter((p) => !NEW_TOPICS.includes(p.topic)),
    newTopics: all.filter((p) => NEW_TOPICS.includes(p.topic)),
  };
}

/** Options of {@link sampleAnswers}. */
export interface SampleAnswersOptions extends SamplingOptions {
  /** Most tokens per answer (default 40). */
  maxNewTokens?: number;
  /** Seed of the sampling (default 1337). */
  seed?: number;
}

/** The sampling of the pairs: temperature 1, the 40 most likely tokens — more varied than notebook 12's 0.7. */
export const PAIR_SAMPLING: Readonly<SamplingOptions> = Object.freeze({ temperature: 1, topK: 40 });

/**
 * Samples `k` answers to one chat prompt in one batch through the KV cache. Special tokens are never sampled but
 * for `<|end|>`, which ends an answer.
 *
 * @param model The SFT model.
 * @param tokenizer Its tokenizer (with the chat tokens).
 * @param prompt The instruction (without the template).
 * @param k How many answers.
 * @param options Length, sampling (default {@link PAIR_SAMPLING}), seed.
 * @returns `k` answers, without template tokens.
 * @throws {RangeError} When k or maxNewTokens is not a positive integer, or the prompt leaves no room in the context.
 * @example
 * ```ts
 * import { addChatTokens, sampleAnswers } from "@lib/rlhf/mod.ts";
 * import { GPT } from "@lib/gpt/mod.ts";
 * import { CharTokenizer } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = CharTokenizer.fromText("写一首关于月的五言绝句，。\n");
 * addChatTokens(tok);
 * const model = new GPT({ vocabSize: tok.vocabSize, blockSize: 32, nLayer: 1, nHead: 1, nEmbd: 8 });
 * const answers = await sampleAnswers(model, tok, "写月", 3, { maxNewTokens: 5 });
 * assert.equal(answers.length, 3);
 * assert.ok(answers.every((a) => a.length <= 5 && !a.includes("<|")));
 * model.dispose();
 * ```
 */
export async function sampleAnswers(
  model: GPT,
  tokenizer: CharTokenizer,
  prompt: string,
  k: number,
  options: SampleAnswersOptions = {},
): Promise<string[]> {
  const { maxNewTokens = 40, seed = SEED, ...sampling } = options;
  checkPositiveInteger(k, "k", "sample answers");
  checkPositiveInteger(maxNewTokens, "maxNewTokens", "sample answers");
  const ids = tokenizer.encode(formatChat(prompt));
  const room = model.config.blockSize - ids.length;
  if (room < 1) {
    throw new RangeError(
      `Cannot sample answers as the prompt takes ${ids.length} tokens of the context of ${model.config.blockSize}`,
    );
  }
  const steps = Math.min(maxNewTokens, room);
  const end = tokenizer.specialId(END_TOKEN);
  const banned = [...(sampling.banned ?? []), ...Object.values(tokenizer.specialTokens).filter((id) => id !== end)];
  const opts = { ...PAIR_SAMPLING, ...sampling, banned };
  const { temperature = 1 } = opts, topK = Math.min(opts.topK ?? Infinity, model.config.vocabSize);
  if (!(temperature > 0) || !Number.isInteger(topK) || topK < 1 || opts.topP !== undefined || opts.greedy) {
    throw new RangeError(
      `Cannot sample answers as temperature must be > 0 and topK a positive integer (top-p and greedy are not ` +
        `supported): got temperature ${temperature}, topK ${opts.topK}`,
    );
  }
  const mask = banMask(model.config.vocabSize, banned);
  const prng = new Prng(seed);
  const out: number[][] = Array.from({ length: k }, () => []);
  const done = new Array<boolean>(k).fill(false);
  const first = tf.tensor2d(Array.from({ length: k }, () => ids).flat(), [k, ids.length], "int32"); // [k, T]
  let step = model.forwardCached(first, null);
  first.dispose();
  try {
    for (let i = 0; i < steps; i++) {
      // the top-k on the tensors, the draw among the k in JS (a sort of 3,005 logits per row in JS is the slow way)
      const [top, index] = tf.tidy(() => {
        const { values, indices } = tf.topk(tf.add(step.logits, mask), topK); // [k, topK]
        return [tf.div(values, temperature), indices];
      });
      step.logits.dispose();
      const [values, indices] = [await top.data() as Float32Array, await index.data() as Int32Array];
      tf.dispose([top, index]);
      const next = out.map((row, r) => {
        const token = indices[r * topK + drawSoftmax(values.subarray(r * topK, (r + 1) * topK), prng)];
        if (!done[r]) token === end ? (done[r] = true) : row.push(token);
        return token;
      });
      if (done.every(Boolean) || i === steps - 1) break;
      const idx = tf.tensor2d(next, [k, 1], "int32");
      step = model.forwardCached(idx, step.cache);
      idx.dispose();
    }
  } finally {
    step.cache.dispose();
    mask.dispose();
  }
  return out.map((row) => tokenizer.decode(row));
}

/** An index drawn from softmax(logits), logits sorted or not. */
function drawSoftmax(logits: Float32Array, prng: Prng): number {
  const max = logits.reduce((m, x) => Math.max(m, x), -Infinity);
  let sum = 0;
  const p = Array.from(logits, (x) => (sum += Math.exp(x - max), Math.exp(x - max)));
  let u = prng.next() * sum;
  for (let i = 0; i < p.length; i++) if ((u -= p[i]) <= 0) return i;
  return p.length - 1;
}

/**
 * Answers the labeler ranks at once: the answers to a prompt are taken four at a time and every pair of a four with a
 * winner is kept (up to six pairs), as InstructGPT's labelers ranked four to nine answers to a prompt and every pair
 * of a ranking became a comparison. (Measured on notebook 14's full run, with the same 1,024 answers per prompt and 64
 * per held-out prompt: paired two by two, 7,574 pairs and 80.4% of the held-out pairs right; every pair of each four,
 * 22,873 pairs, fed one by one 83.7%, and as whole rankings (`encodeRankings`) 85.7%, 83.6–85.7% over three seeds.)
 */
export const RANKED = 4;

/** One labelled pair: two answers to one prompt, the one the labeler prefers first. */
export interface PreferencePair {
  /** The instruction. */
  prompt: string;
  /** Its topic. */
  topic: string;
  /** The preferred answer. */
  chosen: string;
  /** The other. */
  rejected: string;
  /** Labeler total of chosen minus rejected (> 0). */
  margin: number;
  /** Component scores of the chosen answer. */
  chosenScores: PoemScores;
  /** Component scores of the rejected answer. */
  rejectedScores: PoemScores;
  /** Which ranking of {@link labelPairs}' call it came from (pairs of one ranking share answers). */
  ranking?: number;
}

/** What {@link labelPairs} kept and dropped. */
export interface LabelledPairs {
  /** The pairs with a winner. */
  pairs: PreferencePair[];
  /** Pairs dropped as ties. */
  ties: number;
}

/**
 * Labels the answers of each prompt a ranking at a time: answers 0…k−1 are one ranking, k…2k−1 the next (a last
 * incomplete one is left out), and every pair within a ranking is labelled by {@link preferPoem}: drop ties, keep
 * everything else. With `k` = 2 that is answers 0–1, 2–3, … paired two by two.
 *
 * @param groups For each prompt, its answers.
 * @param k Answers per ranking (default 2), an integer ≥ 2.
 * @returns The labelled pairs (chosen first, each with its ranking's index) and the number of ties dropped.
 * @throws {RangeError} When k is not an integer ≥ 2; as {@link preferPoem} for a topic that is not one Han character.
 * @example
 * ```ts
 * import { labelPairs } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const good = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。";
 * const { pairs, ties } = labelPairs([{ prompt: "写一首关于月的五言绝句", topic: "月", answers: ["明月明月", good, good, good] }]);
 * assert.equal(ties, 1);
 * assert.equal(pairs[0].chosen, good);
 * const ranked = labelPairs([{ prompt: "写一首关于月的五言绝句", topic: "月", answers: ["明月明月", good, good, good] }], 4);
 * assert.deepEqual([ranked.pairs.length, ranked.ties], [3, 3]); // 明月明月 loses to each good one; the three tie
 * assert.ok(ranked.pairs.every((p) => p.ranking === 0));
 * ```
 */
export function labelPairs(
  groups: readonly { prompt: string; topic: string; answers: readonly string[] }[],
  k = 2,
): LabelledPairs {
  if (!Number.isInteger(k) || k < 2) {
    throw new RangeError(`Cannot label pairs as k (answers per ranking) must be an integer ≥ 2: got ${k}`);
  }
  const pairs: PreferencePair[] = [];
  let ties = 0, ranking = 0;
  for (const { prompt, topic, answers } of groups) {
    for (let s = 0; s + k <= answers.length; s += k, ranking++) {
      for (let i = s; i < s + k; i++) {
        for (let j = i + 1; j < s + k; j++) {
          const p = preferPoem(answers[i], answers[j], topic);
          if (p.winner === "tie") {
            ties++;
            continue;
          }
          const [c, r] = p.winner === "a" ? [p.a, p.b] : [p.b, p.a];
          const [chosen, rejected] = p.winner === "a" ? [answers[i], answers[j]] : [answers[j], answers[i]];
          const margin = Math.abs(p.margin), chosenScores = c.scores, rejectedScores = r.scores;
          pairs.push({ prompt, topic, chosen, rejected, margin, chosenScores, rejectedScores, ranking });
        }
      }
    }
  }
  return { pairs, ties };
}
