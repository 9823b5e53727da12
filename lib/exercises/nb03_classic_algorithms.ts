/**
 * The exercises of notebook 03 · Classic algorithms: the Gini impurity of a node, the information gain of a split, and
 * the log-probability naive Bayes gives a message.
 *
 * @module
 */
import type { CaseExercise } from "./check.ts";

function giniOfCounts(counts: readonly number[]): number {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total === 0) return 0;
  return 1 - counts.reduce((s, c) => s + (c / total) ** 2, 0);
}

type Gini = (counts: number[]) => number;

/** The learner writes `gini(counts)`: 1 − Σ p², from the class counts of a node. */
export const GINI: CaseExercise<Gini> = Object.freeze<CaseExercise<Gini>>({
  id: "03-gini",
  name: "gini",
  reference: giniOfCounts as Gini,
  cases: [
    { args: [[5, 0]] as [number[]] },
    { args: [[3, 1]] as [number[]] },
    { args: [[1, 1, 1, 1]] as [number[]] },
    { args: [[50, 50, 0]] as [number[]] },
    { args: [[0, 0]] as [number[]] },
  ],
  tolerance: 1e-9,
  diagnose: (got, expected, args) => {
    if (args[0].every((c) => c === 0)) return "empty";
    return typeof got === "number" && Math.abs(got - (1 - (expected as number))) < 1e-9 ? "sum" : undefined;
  },
});

type Gain = (parent: number[], left: number[], right: number[]) => number;

function gainOfSplit(parent: readonly number[], left: readonly number[], right: readonly number[]): number {
  const n = (c: readonly number[]) => c.reduce((s, v) => s + v, 0);
  const total = n(parent);
  return giniOfCounts(parent) - (n(left) / total) * giniOfCounts(left) - (n(right) / total) * giniOfCounts(right);
}

/** The learner writes `informationGain(parent, left, right)`: the drop in Gini impurity a split achieves. */
export const INFORMATION_GAIN: CaseExercise<Gain> = Object.freeze<CaseExercise<Gain>>({
  id: "03-information-gain",
  name: "informationGain",
  reference: gainOfSplit as Gain,
  cases: [
    { args: [[4, 4], [4, 0], [0, 4]] as [number[], number[], number[]] },
    { args: [[4, 4], [2, 2], [2, 2]] as [number[], number[], number[]] },
    { args: [[6, 2], [5, 0], [1, 2]] as [number[], number[], number[]] },
    { args: [[10, 10, 10], [10, 9, 1], [0, 1, 9]] as [number[], number[], number[]] },
  ],
  tolerance: 1e-9,
  diagnose: (got, _expected, args) => {
    const [p, l, r] = args;
    const unweighted = giniOfCounts(p) - (giniOfCounts(l) + giniOfCounts(r)) / 2;
    return typeof got === "number" && Math.abs(got - unweighted) < 1e-9 ? "unweighted" : undefined;
  },
});

type LogScore = (counts: number[], logPrior: number, logProbs: number[]) => number;

function naiveBayesLogScore(counts: readonly number[], logPrior: number, logProbs: readonly number[]): number {
  return counts.reduce((s, c, j) => s + c * logProbs[j], logPrior);
}

/** The learner writes `logScore(counts, logPrior, logProbs)`: log P(class) + Σ count_j · log P(word_j | class). */
export const NB_LOG_SCORE: CaseExercise<LogScore> = Object.freeze<CaseExercise<LogScore>>({
  id: "03-nb-log-score",
  name: "logScore",
  reference: naiveBayesLogScore as LogScore,
  cases: [
    { args: [[1, 0, 0], Math.log(0.5), [Math.log(0.5), Math.log(0.3), Math.log(0.2)]] as [number[], number, number[]] },
    { args: [[2, 1, 0], Math.log(0.3), [Math.log(0.6), Math.log(0.3), Math.log(0.1)]] as [number[], number, number[]] },
    { args: [[0, 3, 1], Math.log(0.7), [Math.log(0.1), Math.log(0.2), Math.log(0.7)]] as [number[], number, number[]] },
  ],
  tolerance: 1e-9,
  diagnose: (got, expected, args) => {
    if (typeof got !== "number") return undefined;
    const [counts, prior, logProbs] = args;
    if (Math.abs(got - ((expected as number) - prior)) < 1e-9) return "prior";
    const once = logProbs.reduce((s, lp, j) => s + (counts[j] > 0 ? lp : 0), prior);
    return Math.abs(got - once) < 1e-9 ? "counts" : undefined;
  },
});
