/**
 * The exercises of notebook 08 · Attention: the weights of one query over its keys (scaled dot products, then a
 * softmax), and the weights of a whole sequence under a causal mask (each position sees itself and the earlier ones).
 *
 * @module
 */
import { attentionWithWeights, causalMask } from "../attention/scaled_dot_product.ts";
import { tf } from "../core/mod.ts";
import type { CaseExercise } from "./check.ts";

type Weights = (query: number[], keys: number[][]) => number[];
type Causal = (scores: number[][]) => number[][];

/** lib/attention's weights of one query over its keys: softmax(q · kᵢ / √d). */
function weightsOfLib(query: number[], keys: number[][]): number[] {
  return tf.tidy(() => {
    const q = tf.tensor2d([query]), k = tf.tensor2d(keys);
    return Array.from(attentionWithWeights(q, k, k).weights.dataSync());
  });
}

const softmax = (xs: number[]) => {
  const m = Math.max(...xs), e = xs.map((x) => Math.exp(x - m)), s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
const near = (got: unknown, want: number[]) =>
  Array.isArray(got) && got.length === want.length && got.every((g, i) => Math.abs(g - want[i]) < 1e-6);

/**
 * The learner writes `attentionWeights(query, keys)`: the score of each key is its dot product with the query divided
 * by √d (d = the length of the vectors), and the weights are the softmax of the scores. Checked against lib/attention's
 * `attentionWithWeights`.
 */
export const ATTENTION_WEIGHTS: CaseExercise<Weights> = Object.freeze<CaseExercise<Weights>>({
  id: "08-attention-weights",
  name: "attentionWeights",
  reference: weightsOfLib,
  cases: [
    { args: [[1, 0], [[1, 0], [0, 1]]] as [number[], number[][]] },
    { args: [[0, 0, 0, 0], [[1, 2, 3, 4], [-1, 0, 2, 5], [3, 3, 3, 3]]] as [number[], number[][]] },
    {
      args: [[2, -1, 0.5, 1], [[1, 1, 1, 1], [0.5, -2, 0, 1], [-1, 0, 3, 0.2], [2, 2, -1, 0]]] as [
        number[],
        number[][],
      ],
    },
    { args: [[40, 40], [[40, 40], [39, 40], [-40, 0]]] as [number[], number[][]], label: "scores in the thousands" },
  ],
  tolerance: 1e-5,
  diagnose: (got, _expected, [query, keys]) => {
    if (Array.isArray(got) && got.some((g) => !Number.isFinite(g))) return "overflow";
    if (near(got, softmax(keys.map((k) => dot(query, k))))) return "unscaled";
    if (near(got, softmax(keys.map((k) => dot(query, k) / query.length)))) return "by-d";
    return undefined;
  },
});

/** lib/attention's causal weights for a square matrix of scores: the causal mask added, then a softmax per row. */
function causalOfLib(scores: number[][]): number[][] {
  return tf.tidy(() => tf.softmax(tf.add(tf.tensor2d(scores), causalMask(scores.length))).arraySync() as number[][]);
}

const rows = (scores: number[][], keep: (i: number, j: number) => boolean, masked = -Infinity) =>
  scores.map((row, i) => softmax(row.map((s, j) => (keep(i, j) ? s : masked))));
const nearRows = (got: unknown, want: number[][]) =>
  Array.isArray(got) && got.length === want.length && got.every((row, i) => near(row, want[i]));

/**
 * The learner writes `causalWeights(scores)`: for a T × T matrix of scores (row i: query i, column j: key j), the
 * weights of each row after a causal mask: row i is a softmax over columns 0 … i only, and the later columns get
 * weight 0. Checked against lib/attention's `causalMask` and a softmax.
 */
export const CAUSAL_WEIGHTS: CaseExercise<Causal> = Object.freeze<CaseExercise<Causal>>({
  id: "08-causal-weights",
  name: "causalWeights",
  reference: causalOfLib,
  cases: [
    { args: [[[1, 2], [0, 0.5]]] as [number[][]] },
    { args: [[[1, 5, 2], [0.5, 1, 3], [2, -1, 0]]] as [number[][]] },
    { args: [[[0.3, -2, 4, 1], [1, 1, 1, 1], [-1, 2, 0.5, 3], [2, 0, -3, 1]]] as [number[][]] },
  ],
  tolerance: 1e-5,
  diagnose: (got, _expected, [scores]) => {
    if (nearRows(got, rows(scores, (i, j) => j >= i))) return "upper";
    if (nearRows(got, rows(scores, (i, j) => j <= i, 0))) return "zero";
    if (Array.isArray(got) && Array.isArray(got[0]) && !Number.isFinite(got[0][0])) return "strict";
    if (nearRows(got, rows(scores, () => true))) return "no-mask";
    return undefined;
  },
});
