/**
 * The exercises of notebook 10 · BERT vs GPT: BERT's 80/10/10 masking rule on chosen positions, and the
 * log-probability a decoder gives a whole sentence (how it scores a candidate for a blank).
 *
 * @module
 */
import { applyMlmMask } from "../attention/mlm.ts";
import { sequenceLogProb } from "../gpt/cloze.ts";
import type { CaseExercise } from "./check.ts";

type MaskRule = (
  ids: number[],
  positions: number[],
  draws: number[],
  randomIds: number[],
  maskId: number,
) => { input: number[]; targets: number[] };
type SentenceScore = (logProbs: number[][], ids: number[]) => number;

const MASK_CASES: Parameters<MaskRule>[] = [
  [[5, 6, 7, 8], [1], [0.3], [9], 1],
  [[5, 6, 7, 8, 9], [4, 0, 2], [0.79, 0.8, 0.9], [3, 3, 3], 1],
  [[10, 11, 12, 13, 14, 15, 16, 17], [7, 2, 5, 0], [0.85, 0.95, 0.05, 0.5], [4, 8, 6, 2], 3],
  [[2, 2, 2], [0, 1, 2], [0.999, 0.0, 0.8999], [7, 7, 5], 1],
];

/** The usual slips of the masking rule: targets everywhere, the random and kept shares swapped, targets only where masked. */
function diagnoseMask(got: unknown, expected: unknown, args: Parameters<MaskRule>): string | undefined {
  const g = got as { input?: number[]; targets?: number[] }, e = expected as { input: number[]; targets: number[] };
  if (!g || !Array.isArray(g.input) || !Array.isArray(g.targets)) return "shape";
  const [ids, positions] = args;
  if (g.targets.every((t, i) => t === ids[i])) return "all-targets";
  if (positions.some((p, k) => g.input![p] === ids[p] && e.input[p] !== ids[p] && args[2][k] >= 0.8)) return "swapped";
  if (positions.some((p) => g.targets![p] === -1)) return "only-masked";
  return undefined;
}

/**
 * The learner writes `maskRule(ids, positions, draws, randomIds, maskId)`: for the k-th chosen position, a draw below
 * 0.8 puts the mask token there, below 0.9 the k-th random id, else the token stays; every chosen position is a
 * target (its original token), every other target is −1.
 */
export const MLM_MASK_RULE: CaseExercise<MaskRule> = Object.freeze<CaseExercise<MaskRule>>({
  id: "10-mlm-mask",
  name: "maskRule",
  reference: (ids, positions, draws, randomIds, maskId) => applyMlmMask(ids, positions, draws, randomIds, maskId),
  equivalents: [applyMlmMask],
  cases: MASK_CASES.map((args) => ({ args })),
  diagnose: diagnoseMask,
});

const L = Math.log;
const SCORE_CASES: Parameters<SentenceScore>[] = [
  [[[L(0.5), L(0.5)]], [0, 1]],
  [[[L(0.5), L(0.25), L(0.25)], [L(0.1), L(0.1), L(0.8)], [L(0.2), L(0.3), L(0.5)]], [1, 2, 2, 0]],
  [[[L(0.6), L(0.4)], [L(0.7), L(0.3)], [L(0.9), L(0.1)]], [1, 0, 1]], // one row more than needed: the last is unused
  [[], [2]],
];

/** The usual slips: the first token scored too, rows read one position late, probabilities multiplied instead of logs added. */
function diagnoseScore(got: unknown, _expected: unknown, args: Parameters<SentenceScore>): string | undefined {
  if (typeof got !== "number") return undefined;
  const [rows, ids] = args, close = (a: number, b: number) => Math.abs(a - b) < 1e-9;
  const late = ids.slice(1).reduce((s, id, t) => s + (rows[t + 1]?.[id] ?? NaN), 0);
  if (close(got, late)) return "late";
  const product = ids.slice(1).reduce((s, id, t) => s * Math.exp(rows[t][id]), 1);
  if (ids.length > 1 && close(got, product)) return "product";
  return undefined;
}

/**
 * The learner writes `sentenceScore(logProbs, ids)`: the sum over t ≥ 1 of `logProbs[t − 1][ids[t]]`, the decoder's
 * log-probability of a sentence whose first token is given.
 */
export const SENTENCE_SCORE: CaseExercise<SentenceScore> = Object.freeze<CaseExercise<SentenceScore>>({
  id: "10-sentence-score",
  name: "sentenceScore",
  reference: (logProbs, ids) => sequenceLogProb(logProbs, ids),
  equivalents: [sequenceLogProb],
  cases: SCORE_CASES.map((args) => ({ args })),
  tolerance: 1e-9,
  diagnose: diagnoseScore,
});
