/**
 * The two tasks of notebook 10, and how each model does them: fill-in-the-blank (完形填空, one character of a sentence
 * hidden) and continuation (文字接龙, the second half of a saying from the first). The scoring is the same for both
 * models, and stated here once:
 *
 * - **Fill-in-the-blank.** Top-1 accuracy over the whole vocabulary (special tokens left out): the model's single best
 *   character must be the hidden one. The encoder reads the sentence with the mask token at the blank, both sides
 *   ({@link encoderFill}). The decoder can read only what comes before a position, so it fills the blank from the left
 *   context alone ({@link decoderFillLeft}), or, second variant, it scores whole sentences: each of its likeliest
 *   candidates from the left context put into the blank, the sentence's log-probability summed over every token
 *   (so the right side counts too), the best sentence wins ({@link decoderFillByScoring}).
 * - **Continuation.** Both models know how many characters to write. The decoder writes them left to right, each the
 *   likeliest next character (greedy, {@link decoderContinue}). The encoder was never trained to write: it reads the
 *   first half, the mask token at every position of the second half and the final "。", and fills one mask at a time,
 *   the one it is surest of, until none is left (iterated unmasking, {@link encoderContinue}). Scored per character:
 *   the share of positions where the written character is the reference's ({@link charAccuracy}).
 *
 * Every function batches the items of the same length into one forward pass.
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import type { Bert } from "../attention/bert.ts";
import type { GPT } from "./model.ts";

/** A sentence with one character to fill. */
export interface ClozeItem {
  /** The whole sentence's token ids, the answer in place (the models are shown it hidden). */
  ids: number[];
  /** Where the blank is. */
  position: number;
}

/** The first half of a saying and the second half to write. */
export interface ContinuationItem {
  /** What the model reads first, e.g. the ids of "\n\n不听老人言，". */
  prompt: number[];
  /** The reference continuation, e.g. the ids of "吃亏在眼前". */
  answer: number[];
  /** What follows the continuation, e.g. the ids of "。": the encoder reads it (the decoder cannot). */
  suffix: number[];
}

/** What every function here needs to know of the vocabulary. */
export interface ClozeVocabulary {
  /** The encoder's mask token. */
  maskId: number;
  /** Tokens a model may never answer (the mask token, `<unk>`, …). */
  exclude?: readonly number[];
}

/**
 * One blank per sentence, at a seeded random position among those `eligible` allows.
 *
 * @param sentences Token ids of each sentence.
 * @param pick Draws an index below n (e.g. `(n) => prng.int(n)`).
 * @param eligible Whether position i of a sentence may be the blank (e.g. a Han character, not the prompt).
 * @returns One item per sentence that has an eligible position, in order.
 * @example
 * ```ts
 * import { clozeItems } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const items = clozeItems([[0, 5, 6, 1]], () => 1, (ids, i) => ids[i] > 1);
 * assert.deepEqual(items, [{ ids: [0, 5, 6, 1], position: 2 }]);
 * ```
 */
export function clozeItems(
  sentences: readonly number[][],
  pick: (n: number) => number,
  eligible: (ids: readonly number[], i: number) => boolean,
): ClozeItem[] {
  return sentences.flatMap((ids) => {
    const places = ids.flatMap((_, i) => eligible(ids, i) ? [i] : []);
    return places.length === 0 ? [] : [{ ids: [...ids], position: places[pick(places.length)] }];
  });
}

/**
 * The log-probability a decoder gives a sequence: the sum over t ≥ 1 of log P(ids[t] | ids[0..t−1]), read from the
 * rows of its next-token log-probabilities (row t is the prediction after reading ids[0..t]).
 *
 * @param logProbs Next-token log-probabilities, one row per position (at least ids.length − 1 rows).
 * @param ids The sequence.
 * @returns The sum (0 for a sequence of one token: the first token is given, not predicted).
 * @throws {RangeError} When there are fewer rows than ids.length − 1.
 * @example
 * ```ts
 * import { sequenceLogProb } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const rows = [[Math.log(0.5), Math.log(0.5)], [Math.log(0.9), Math.log(0.1)]];
 * assert.equal(sequenceLogProb(rows, [0, 1, 0]), Math.log(0.5) + Math.log(0.9));
 * ```
 */
export function sequenceLogProb(logProbs: ArrayLike<ArrayLike<number>>, ids: readonly number[]): number {
  if (logProbs.length < ids.length - 1) {
    throw new RangeError(
      `Cannot score a sequence of ${ids.length} tokens with ${logProbs.length} rows of log-probabilities: it needs ` +
        `${ids.length - 1}`,
    );
  }
  let sum = 0;
  for (let t = 1; t < ids.length; t++) sum += logProbs[t - 1][ids[t]];
  return sum;
}

/**
 * Share of positions where the written token is the reference's (sequences compared position by position; a
 * missing position counts as wrong).
 *
 * @param written What a model wrote, one sequence per item.
 * @param reference The references.
 * @returns Right positions ÷ reference positions.
 * @throws {RangeError} When the two lists differ in length or are empty.
 * @example
 * ```ts
 * import { charAccuracy } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(charAccuracy([[1, 2, 3], [4]], [[1, 9, 3], [5]]), 0.5);
 * ```
 */
export function charAccuracy(written: readonly number[][], reference: readonly number[][]): number {
  if (written.length !== reference.length || reference.length === 0) {
    throw new RangeError(
      `Cannot score continuations as there must be one per reference, at least one: current lengths are ` +
        `${written.length} and ${reference.length}`,
    );
  }
  let right = 0, total = 0;
  reference.forEach((ref, i) => {
    total += ref.length;
    ref.forEach((id, t) => right += written[i][t] === id ? 1 : 0);
  });
  return right / total;
}

/**
 * The most frequent token of a text among the allowed ones: the character-frequency baseline, which answers every
 * blank, and every position of every continuation, with it.
 *
 * @param ids Token ids of the training text.
 * @param allowed Whether a token may be the answer (e.g. a Han character).
 * @returns The most frequent allowed token (the smallest id on ties).
 * @throws {RangeError} When no token of the text is allowed.
 * @example
 * ```ts
 * import { mostFrequent } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(mostFrequent([0, 3, 3, 0, 0, 2], (id) => id > 0), 3);
 * ```
 */
export function mostFrequent(ids: ArrayLike<number>, allowed: (id: number) => boolean): number {
  const counts = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) if (allowed(ids[i])) counts.set(ids[i], (counts.get(ids[i]) ?? 0) + 1);
  if (counts.size === 0) {
    throw new RangeError(`Cannot find the most frequent token as none of ${ids.length} is allowed`);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0][0];
}

/** Indices of the items grouped by a key (their length): each group runs as one batch. */
function groups<T>(items: readonly T[], key: (item: T) => string): number[][] {
  const out = new Map<string, number[]>();
  items.forEach((item, i) => out.set(key(item), [...(out.get(key(item)) ?? []), i]));
  return [...out.values()];
}

/** Log-softmax of a model's logits for rows of equal length: `[B, T, V]` as nested arrays (one read). */
async function logProbsOf(model: Bert | GPT, rows: number[][]): Promise<{ data: Float32Array; t: number; v: number }> {
  const t = rows[0].length;
  const idx = tf.tensor2d(rows.flat(), [rows.length, t], "int32");
  const { logits } = model.forward(idx);
  const lp = tf.logSoftmax(logits);
  const data = await lp.data() as Float32Array;
  const v = logits.shape[2];
  tf.dispose([idx, logits, lp]);
  return { data, t, v };
}

/** The best token of one row of log-probabilities, leaving out `exclude`. */
function best(data: Float32Array, offset: number, v: number, exclude: ReadonlySet<number>): [number, number] {
  let arg = -1, max = -Infinity;
  for (let j = 0; j < v; j++) if (!exclude.has(j) && data[offset + j] > max) [arg, max] = [j, data[offset + j]];
  return [arg, max];
}

/** The k best tokens of one row, best first, leaving out `exclude`. */
function topK(data: Float32Array, offset: number, v: number, k: number, exclude: ReadonlySet<number>): number[] {
  const ids = Array.from({ length: v }, (_, j) => j).filter((j) => !exclude.has(j));
  return ids.sort((a, b) => data[offset + b] - data[offset + a] || a - b).slice(0, k);
}

/**
 * The encoder fills each blank: the sentence with the mask token at the blank, both sides read; its best token there.
 *
 * @param model The encoder.
 * @param items The blanks.
 * @param vocab The mask token and the tokens never answered.
 * @returns The predicted token of each item.
 * @example
 * ```ts
 * import { Bert, BERT_TINY } from "@lib/attention/mod.ts";
 * import { encoderFill } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new Bert(BERT_TINY);
 * const got = await encoderFill(model, [{ ids: [2, 3, 4], position: 1 }], { maskId: 11, exclude: [0, 11] });
 * assert.equal(got.length, 1);
 * assert.ok(got[0] > 0 && got[0] < 11);
 * model.dispose();
 * ```
 */
export async function encoderFill(model: Bert, items: readonly ClozeItem[], vocab: ClozeVocabulary): Promise<number[]> {
  const exclude = new Set([vocab.maskId, ...(vocab.exclude ?? [])]), out = new Array<number>(items.length);
  for (const group of groups(items, (it) => String(it.ids.length))) {
    const rows = group.map((i) => items[i].ids.map((id, t) => t === items[i].position ? vocab.maskId : id));
    const { data, t, v } = await logProbsOf(model, rows);
    group.forEach((i, r) => out[i] = best(data, (r * t + items[i].position) * v, v, exclude)[0]);
  }
  return out;
}

/**
 * The decoder fills each blank from the left context alone: its best next token after the characters before the blank.
 *
 * @param model The decoder.
 * @param items The blanks (the position must be ≥ 1: something must come before it).
 * @param vocab The tokens never answered (the mask token too).
 * @returns The predicted token of each item.
 * @throws {RangeError} When a blank is at position 0.
 * @example
 * ```ts
 * import { decoderFillLeft, GPT, GPT_TINY } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const got = await decoderFillLeft(model, [{ ids: [2, 3, 4], position: 2 }], { maskId: 10, exclude: [0, 10] });
 * assert.ok(got[0] > 0 && got[0] < 10);
 * model.dispose();
 * ```
 */
export async function decoderFillLeft(
  model: GPT,
  items: readonly ClozeItem[],
  vocab: ClozeVocabulary,
): Promise<number[]> {
  checkLeft(items);
  const exclude = new Set([vocab.maskId, ...(vocab.exclude ?? [])]), out = new Array<number>(items.length);
  for (const group of groups(items, (it) => String(it.position))) {
    const rows = group.map((i) => items[i].ids.slice(0, items[i].position));
    const { data, t, v } = await logProbsOf(model, rows);
    group.forEach((i, r) => out[i] = best(data, (r * t + t - 1) * v, v, exclude)[0]);
  }
  return out;
}

/** What {@link decoderFillByScoring} returns. */
export interface ScoredFill {
  /** The token of the best sentence, per item. */
  predictions: number[];
  /** Whether the answer was among the candidates scored, per item (an upper bound on this variant's accuracy). */
  covered: boolean[];
}

/**
 * The decoder fills each blank by scoring whole sentences: its `shortlist` likeliest tokens after the left context
 * are each put into the blank, every sentence's log-probability is summed over all its tokens
 * ({@link sequenceLogProb}: the characters after the blank count too), and the best sentence's token wins.
 *
 * @param model The decoder.
 * @param items The blanks (position ≥ 1).
 * @param vocab The tokens never answered.
 * @param shortlist How many candidates per blank (default 64; the whole vocabulary would cost V forward passes).
 * @returns The predictions and, per item, whether the answer was a candidate.
 * @throws {RangeError} When a blank is at position 0 or shortlist is not a positive integer.
 * @example
 * ```ts
 * import { decoderFillByScoring, GPT, GPT_TINY } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const { predictions, covered } = await decoderFillByScoring(model, [{ ids: [2, 3, 4], position: 1 }], { maskId: 10 }, 4);
 * assert.equal(predictions.length, 1);
 * assert.equal(typeof covered[0], "boolean");
 * model.dispose();
 * ```
 */
export async function decoderFillByScoring(
  model: GPT,
  items: readonly ClozeItem[],
  vocab: ClozeVocabulary,
  shortlist = 64,
): Promise<ScoredFill> {
  checkLeft(items);
  if (!Number.isInteger(shortlist) || shortlist < 1) {
    throw new RangeError(
      `Cannot score candidates as shortlist must be a positive integer: current value is ${shortlist}`,
    );
  }
  const exclude = new Set([vocab.maskId, ...(vocab.exclude ?? [])]);
  const predictions = new Array<number>(items.length), covered = new Array<boolean>(items.length);
  for (const group of groups(items, (it) => String(it.position))) {
    const { data, t, v } = await logProbsOf(model, group.map((i) => items[i].ids.slice(0, items[i].position)));
    const candidates = group.map((_, r) => topK(data, (r * t + t - 1) * v, v, shortlist, exclude));
    group.forEach((i, r) => covered[i] = candidates[r].includes(items[i].ids[items[i].position]));
    for (const [r, i] of group.entries()) {
      const { ids, position } = items[i];
      const rows = candidates[r].map((c) => ids.map((id, j) => j === position ? c : id));
      const scored = await logProbsOf(model, rows);
      const n = ids.length,
        rowsOf = (k: number) =>
          Array.from({ length: n - 1 }, (_, j) => scored.data.subarray((k * n + j) * v, (k * n + j + 1) * v));
      const scores = rows.map((row, k) => sequenceLogProb(rowsOf(k), row));
      predictions[i] = candidates[r][scores.indexOf(Math.max(...scores))];
    }
  }
  return { predictions, covered };
}

/**
 * The decoder writes each continuation: `answer.length` tokens after the prompt, each its likeliest next one.
 *
 * @param model The decoder.
 * @param items The prompts (the answers give only the length to write).
 * @param vocab The tokens never written.
 * @returns What it wrote, per item.
 * @example
 * ```ts
 * import { decoderContinue, GPT, GPT_TINY } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const [out] = await decoderContinue(model, [{ prompt: [1, 2], answer: [3, 4, 5], suffix: [6] }], { maskId: 10 });
 * assert.equal(out.length, 3);
 * model.dispose();
 * ```
 */
export async function decoderContinue(
  model: GPT,
  items: readonly ContinuationItem[],
  vocab: ClozeVocabulary,
): Promise<number[][]> {
  const exclude = new Set([vocab.maskId, ...(vocab.exclude ?? [])]);
  const out: number[][] = items.map(() => []);
  for (const group of groups(items, (it) => `${it.prompt.length}/${it.answer.length}`)) {
    const rows = group.map((i) => [...items[i].prompt]);
    for (let step = 0; step < items[group[0]].answer.length; step++) {
      const { data, t, v } = await logProbsOf(model, rows);
      group.forEach((i, r) => {
        const next = best(data, (r * t + t - 1) * v, v, exclude)[0];
        rows[r].push(next);
        out[i].push(next);
      });
    }
  }
  return out;
}

/**
 * The encoder writes each continuation by iterated unmasking: it reads the prompt, the mask token at each position
 * to write, and the suffix; at every step it fills the one masked position it is surest of (the highest
 * log-probability of its best token) and reads the whole again, until nothing is masked.
 *
 * @param model The encoder.
 * @param items The prompts, the lengths to write and the suffixes.
 * @param vocab The mask token and the tokens never written.
 * @returns What it wrote, per item, in reading order.
 * @example
 * ```ts
 * import { Bert, BERT_TINY } from "@lib/attention/mod.ts";
 * import { encoderContinue } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new Bert(BERT_TINY);
 * const [out] = await encoderContinue(model, [{ prompt: [1, 2], answer: [3, 4, 5], suffix: [6] }], { maskId: 11 });
 * assert.equal(out.length, 3);
 * assert.ok(!out.includes(11));
 * model.dispose();
 * ```
 */
export async function encoderContinue(
  model: Bert,
  items: readonly ContinuationItem[],
  vocab: ClozeVocabulary,
): Promise<number[][]> {
  const exclude = new Set([vocab.maskId, ...(vocab.exclude ?? [])]);
  const out: number[][] = items.map(() => []);
  for (const group of groups(items, (it) => `${it.prompt.length}/${it.answer.length}/${it.suffix.length}`)) {
    const { prompt, answer } = items[group[0]], start = prompt.length, n = answer.length;
    const rows = group.map((i) => [...items[i].prompt, ...answer.map(() => vocab.maskId), ...items[i].suffix]);
    for (let step = 0; step < n; step++) {
      const { data, t, v } = await logProbsOf(model, rows);
      rows.forEach((row, r) => {
        let pick: [number, number, number] = [-1, -1, -Infinity]; // position, token, log-probability
        for (let p = start; p < start + n; p++) {
          if (row[p] !== vocab.maskId) continue;
          const [id, lp] = best(data, (r * t + p) * v, v, exclude);
          if (lp > pick[2]) pick = [p, id, lp];
        }
        row[pick[0]] = pick[1];
      });
    }
    group.forEach((i, r) => out[i] = rows[r].slice(start, start + n));
  }
  return out;
}

function checkLeft(items: readonly ClozeItem[]): void {
  const bad = items.find((it) => !(it.position >= 1 && it.position < it.ids.length));
  if (bad) {
    throw new RangeError(
      `Cannot fill a blank from the left as its position must be in [1, ${bad.ids.length}): current value is ` +
        `${bad.position}`,
    );
  }
}
