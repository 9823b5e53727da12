/**
 * What a reward model learned: its accuracy on labelled pairs (the chosen answer gets the higher reward), overall,
 * by the labeler component that differs between the two answers, and by the labeler's margin.
 *
 * @module
 */
import type { CharTokenizer } from "../text/mod.ts";
import { END_TOKEN } from "../text/mod.ts";
import type { PoemScores } from "./labeler.ts";
import type { PreferencePair } from "./pairs.ts";
import { encodePairs, type RewardModel, rewardsOf } from "./reward_model.ts";

/** The four labeler components, in display order. */
export const COMPONENTS = Object.freeze(["form", "rhyme", "topic", "repetition"] as const);

/** One of {@link COMPONENTS}. */
export type Component = typeof COMPONENTS[number];

/** The component names in both languages, for tables. */
export const COMPONENT_LABELS: Readonly<Record<Component, { en: string; zh: string }>> = Object.freeze({
  form: { en: "form", zh: "格式" },
  rhyme: { en: "rhyme", zh: "押韵" },
  topic: { en: "topic", zh: "切题" },
  repetition: { en: "repetition", zh: "重复" },
});

/** Margin buckets of the labeler's total (the components weigh ¼ each: one rhyme is a margin of 0.25). */
export const MARGIN_BUCKETS: readonly { label: string; max: number }[] = Object.freeze([
  { label: "≤ 0.05", max: 0.05 },
  { label: "0.05–0.2", max: 0.2 },
  { label: "0.2–0.3", max: 0.3 },
  { label: "> 0.3", max: Infinity },
]);

/** An accuracy and how many pairs it is over. */
export interface Rate {
  /** Share of pairs where the chosen answer got the higher reward (NaN for none). */
  accuracy: number;
  /** Pairs counted. */
  pairs: number;
}

/** What {@link evaluatePairs} measures. */
export interface PairEvaluation {
  /** Rewards of the chosen answers. */
  chosen: number[];
  /** Rewards of the rejected answers. */
  rejected: number[];
  /** Per pair: the chosen answer got the higher reward. */
  correct: boolean[];
  /** Over every pair. */
  overall: Rate;
  /** Over the pairs in which this component differs and no other does. */
  only: Record<Component, Rate>;
  /** Over the pairs in which this component differs (others may too). */
  differs: Record<Component, Rate>;
  /** By margin bucket ({@link MARGIN_BUCKETS}, in order). */
  byMargin: (Rate & { label: string })[];
}

/**
 * The components in which two answers' scores differ.
 *
 * @param a Scores of one answer.
 * @param b Scores of the other.
 * @returns The components that differ, in {@link COMPONENTS} order.
 * @example
 * ```ts
 * import { differingComponents } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const a = { form: 1, rhyme: 1, topic: 1, repetition: 1, total: 1 };
 * assert.deepEqual(differingComponents(a, { ...a, rhyme: 0, total: 0.75 }), ["rhyme"]);
 * ```
 */
export function differingComponents(a: PoemScores, b: PoemScores): Component[] {
  return COMPONENTS.filter((c) => a[c] !== b[c]);
}

/**
 * Scores pairs' accuracy from their rewards, and breaks it down (no model needed: the rewards are given).
 *
 * @param pairs The labelled pairs.
 * @param chosen The reward of each chosen answer.
 * @param rejected The reward of each rejected answer.
 * @returns The accuracy overall, by component and by margin.
 * @throws {RangeError} When the rewards are not one per pair.
 * @example
 * ```ts
 * import { pairAccuracy } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const s = { form: 1, rhyme: 1, topic: 1, repetition: 1, total: 1 };
 * const pair = { prompt: "", topic: "月", chosen: "", rejected: "", margin: 0.25, chosenScores: s, rejectedScores: { ...s, rhyme: 0, total: 0.75 } };
 * const result = pairAccuracy([pair, pair], [1, 0], [0, 1]);
 * assert.equal(result.overall.accuracy, 0.5);
 * assert.deepEqual(result.only.rhyme, { accuracy: 0.5, pairs: 2 });
 * ```
 */
export function pairAccuracy(
  pairs: readonly PreferencePair[],
  chosen: readonly number[],
  rejected: readonly number[],
): PairEvaluation {
  if (chosen.length !== pairs.length || rejected.length !== pairs.length) {
    throw new RangeError(
      `Cannot score pair accuracy as there must be one reward per pair: got ${chosen.length} and ` +
        `${rejected.length} for ${pairs.length} pairs`,
    );
  }
  const correct = pairs.map((_, i) => chosen[i] > rejected[i]);
  const rate = (keep: (p: PreferencePair) => boolean): Rate => {
    const idx = pairs.map((_, i) => i).filter((i) => keep(pairs[i]));
    return { accuracy: idx.filter((i) => correct[i]).length / idx.length, pairs: idx.length };
  };
  const diff = (p: PreferencePair) => differingComponents(p.chosenScores, p.rejectedScores);
  const per = (f: (c: Component) => (p: PreferencePair) => boolean) =>
    Object.fromEntries(COMPONENTS.map((c) => [c, rate(f(c))])) as Record<Component, Rate>;
  let low = 0;
  const byMargin = MARGIN_BUCKETS.map(({ label, max }) => {
    const from = low;
    low = max;
    return { label, ...rate((p) => p.margin > from && p.margin <= max) };
  });
  return {
    chosen: [...chosen],
    rejected: [...rejected],
    correct,
    overall: rate(() => true),
    only: per((c) => (p) => diff(p).length === 1 && diff(p)[0] === c),
    differs: per((c) => (p) => diff(p).includes(c)),
    byMargin,
  };
}

/**
 * Rewards the chosen and rejected answer of every pair with the reward model, and measures its accuracy
 * ({@link pairAccuracy}).
 *
 * @param model The reward model.
 * @param tokenizer Its tokenizer.
 * @param pairs The labelled pairs.
 * @returns The rewards and the accuracy breakdown.
 */
export async function evaluatePairs(
  model: RewardModel,
  tokenizer: CharTokenizer,
  pairs: readonly PreferencePair[],
): Promise<PairEvaluation> {
  const pad = tokenizer.specialId(END_TOKEN);
  const encoded = encodePairs(tokenizer, pairs, model.config.blockSize);
  return pairAccuracy(
    pairs,
    await rewardsOf(model, encoded.chosen, pad),
    await rewardsOf(model, encoded.rejected, pad),
  );
}
