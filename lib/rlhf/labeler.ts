/**
 * The programmatic labeler (标注员): a fixed rule that stands in for the human annotators of the article's Step 2.
 * It scores an answer to "write a poem about X" on four components, keeps each one, and prefers between two answers.
 *
 * | component | score in [0, 1] |
 * |-----------|-----------------|
 * | form | half for the line count (1 for four lines, −¼ per line more or less), half for the share of the first four lines that are all Han characters of one length, 5 or 7 (whichever more lines have) |
 * | rhyme | 1 when lines 2 and 4 rhyme under {@link linesRhyme} (pinyin finals, medials dropped), else 0 |
 * | topic | 1 when the answer contains the topic character, else 0 |
 * | repetition | the share of distinct character pairs (bigrams) within lines: 1 for no repeats, low for 明月明月明月 |
 *
 * The total is the weighted mean of the components (equal weights by default). Between two answers the one with the
 * higher total is preferred; equal totals (closer than `tolerance`, default 1e-9) are a tie — a rule the reward-model
 * notebook states: ties are dropped from the training pairs.
 *
 * Lines are split at "，", "。", other Chinese and ASCII punctuation and newlines; empty pieces are ignored.
 *
 * @module
 */
import { linesRhyme } from "./rhyme.ts";

/** The four components and their weighted mean. */
export interface PoemScores {
  /** Line count and line length. */
  form: number;
  /** Lines 2 and 4 rhyme. */
  rhyme: number;
  /** Contains the topic character. */
  topic: number;
  /** Share of distinct bigrams. */
  repetition: number;
  /** Weighted mean of the four. */
  total: number;
}

/** Weights of the components in the total; non-negative, not all zero. */
export interface LabelerWeights {
  form: number;
  rhyme: number;
  topic: number;
  repetition: number;
}

/** Equal weights. */
export const LABELER_WEIGHTS: Readonly<LabelerWeights> = Object.freeze({ form: 1, rhyme: 1, topic: 1, repetition: 1 });

/** Options of {@link scorePoem} and {@link preferPoem}. */
export interface LabelerOptions {
  /** Component weights, merged over {@link LABELER_WEIGHTS}. */
  weights?: Partial<LabelerWeights>;
  /** Totals closer than this are a tie (default 1e-9), ≥ 0. */
  tolerance?: number;
}

/** What {@link scorePoem} found, with the scores. */
export interface PoemLabel {
  /** The component scores and total. */
  scores: PoemScores;
  /** The lines the answer was split into. */
  lines: string[];
}

/** The verdict of {@link preferPoem}. */
export interface Preference {
  /** `"a"`, `"b"` or `"tie"`. */
  winner: "a" | "b" | "tie";
  /** `a.total − b.total`. */
  margin: number;
  /** The label of answer a. */
  a: PoemLabel;
  /** The label of answer b. */
  b: PoemLabel;
}

const HAN = /^\p{Script=Han}+$/u;
const SPLIT = /[，。、；：！？,.;:!?\s]+/u;

/**
 * Scores one answer to a prompt about `topic`.
 *
 * @param answer The generated text, e.g. "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。".
 * @param topic The topic: one Han character, e.g. 月.
 * @param options Component weights.
 * @returns The component scores, their total, and the lines.
 * @throws {TypeError} When `answer` is not a string.
 * @throws {RangeError} When `topic` is not one Han character or a weight is negative, not finite, or all are 0.
 * @example
 * ```ts
 * import { scorePoem } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const { scores } = scorePoem("床前明月光，疑是地上霜。\n举头望明月，低头思故乡。", "月");
 * assert.deepEqual([scores.form, scores.rhyme, scores.topic], [1, 1, 1]);
 * assert.equal(scores.repetition, 15 / 16); // 明月 twice
 * ```
 */
export function scorePoem(answer: string, topic: string, options: LabelerOptions = {}): PoemLabel {
  if (typeof answer !== "string") {
    throw new TypeError(`Cannot score a poem as the answer must be a string: got ${typeof answer}`);
  }
  checkTopic(topic);
  const weights = checkWeights(options.weights);
  const lines = answer.split(SPLIT).filter((l) => l.length > 0);
  const scores = {
    form: formScore(lines),
    rhyme: lines.length >= 4 && linesRhyme(lines[1], lines[3]) ? 1 : 0,
    topic: answer.includes(topic) ? 1 : 0,
    repetition: repetitionScore(lines),
  };
  const sum = weights.form + weights.rhyme + weights.topic + weights.repetition;
  const total = (weights.form * scores.form + weights.rhyme * scores.rhyme + weights.topic * scores.topic +
    weights.repetition * scores.repetition) / sum;
  return { scores: { ...scores, total }, lines };
}

/**
 * Prefers one of two answers to the same prompt: the higher total wins, equal totals are a tie.
 *
 * @param a The first answer.
 * @param b The second answer.
 * @param topic The prompt's topic character.
 * @param options Weights and tie tolerance.
 * @returns The winner, the margin and both labels.
 * @throws {TypeError | RangeError} As {@link scorePoem}, or for a negative or non-finite tolerance.
 * @example
 * ```ts
 * import { preferPoem } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const good = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。";
 * assert.equal(preferPoem(good, "明月明月明月明月", "月").winner, "a");
 * assert.equal(preferPoem(good, good, "月").winner, "tie");
 * ```
 */
export function preferPoem(a: string, b: string, topic: string, options: LabelerOptions = {}): Preference {
  const tolerance = options.tolerance ?? 1e-9;
  if (!(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new RangeError(
      `Cannot compare poems as tolerance must be a finite number ≥ 0: current value is ${tolerance}`,
    );
  }
  const la = scorePoem(a, topic, options), lb = scorePoem(b, topic, options);
  const margin = la.scores.total - lb.scores.total;
  const winner = Math.abs(margin) <= tolerance ? "tie" : margin > 0 ? "a" : "b";
  return { winner, margin, a: la, b: lb };
}

function formScore(lines: string[]): number {
  if (lines.length === 0) return 0;
  const count = Math.max(0, 1 - Math.abs(lines.length - 4) / 4);
  const first = lines.slice(0, 4);
  const fits = (n: number) => first.filter((l) => HAN.test(l) && [...l].length === n).length;
  const length = Math.max(fits(5), fits(7)) / 4;
  return 0.5 * count + 0.5 * length;
}

function repetitionScore(lines: string[]): number {
  const bigrams: string[] = [];
  for (const line of lines) {
    const chars = [...line];
    for (let i = 0; i + 1 < chars.length; i++) bigrams.push(chars[i] + chars[i + 1]);
  }
  return bigrams.length === 0 ? 1 : new Set(bigrams).size / bigrams.length;
}

function checkTopic(topic: string): void {
  if (typeof topic !== "string" || [...topic].length !== 1 || !HAN.test(topic)) {
    throw new RangeError(
      `Cannot score a poem as the topic must be one Han character: current value is ${JSON.stringify(topic)}`,
    );
  }
}

function checkWeights(overrides: Partial<LabelerWeights> = {}): LabelerWeights {
  const w = { ...LABELER_WEIGHTS, ...overrides };
  for (const key of ["form", "rhyme", "topic", "repetition"] as const) {
    if (!(w[key] >= 0) || !Number.isFinite(w[key])) {
      throw new RangeError(
        `Cannot score a poem as weights.${key} must be a finite number ≥ 0: current value is ${w[key]}`,
      );
    }
  }
  if (w.form + w.rhyme + w.topic + w.repetition === 0) {
    throw new RangeError("Cannot score a poem as the weights are all 0: at least one must be positive");
  }
  return w;
}
