/**
 * The exercises of notebook 02 · Kinds of learning: the purity of a clustering, and a penguin classifier of the
 * learner's own, graded by its test accuracy.
 *
 * @module
 */
import { accuracy, SoftmaxRegression } from "../ml/mod.ts";
import type { CaseExercise, MetricExercise } from "./check.ts";

function majorityShare(clusters: readonly number[], labels: readonly number[]): number {
  const counts = new Map<number, Map<number, number>>();
  clusters.forEach((c, i) => {
    const m = counts.get(c) ?? new Map<number, number>();
    m.set(labels[i], (m.get(labels[i]) ?? 0) + 1);
    counts.set(c, m);
  });
  let majority = 0;
  for (const m of counts.values()) majority += Math.max(...m.values());
  return majority / labels.length;
}

function overallShare(labels: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return Math.max(...counts.values()) / labels.length;
}

type Purity = (clusters: number[], labels: number[]) => number;

/** The learner writes `purity(clusters, labels)`: the share of points in their cluster's majority label. */
export const PURITY: CaseExercise<Purity> = Object.freeze<CaseExercise<Purity>>({
  id: "02-purity",
  name: "purity",
  reference: majorityShare as Purity,
  cases: [
    { args: [[0, 0, 1, 1], [2, 2, 0, 1]] as [number[], number[]] },
    { args: [[0, 0, 0], [1, 1, 1]] as [number[], number[]] },
    { args: [[0, 1, 0, 1, 2, 2], [0, 0, 0, 1, 1, 1]] as [number[], number[]] },
    { args: [[5, 5, 5, 7, 7, 7, 7], [0, 1, 1, 1, 1, 0, 0]] as [number[], number[]] },
  ],
  tolerance: 1e-9,
  diagnose: (got, _expected, args) =>
    typeof got === "number" && Math.abs(got - overallShare(args[1])) < 1e-9 ? "overall" : undefined,
});

/** What the classifier exercise is graded on: the standardised split of notebook 02. */
export interface PenguinSplit {
  /** Training rows (standardised). */
  XTrain: number[][];
  /** Their species. */
  yTrain: number[];
  /** Test rows (standardised with the training statistics). */
  XTest: number[][];
  /** Their species. */
  yTest: number[];
}

/** A fitted classifier: anything with `predict`. */
export interface Predictor {
  /** Predicted class per row. */
  predict(X: number[][]): number[];
}

type FitClassifier = (X: number[][], y: number[]) => Predictor;

/** The learner writes `fitClassifier(X, y)`: a trained model that reaches 95% accuracy on the test penguins. */
export const PENGUIN_CLASSIFIER: MetricExercise<FitClassifier, PenguinSplit> = Object.freeze<
  MetricExercise<FitClassifier, PenguinSplit>
>({
  id: "02-classifier",
  name: "fitClassifier",
  reference: ((X: number[][], y: number[]) => new SoftmaxRegression({ epochs: 200 }).fit(X, y)) as FitClassifier,
  metric: "test accuracy",
  threshold: 0.95,
  label: "fitClassifier(the training penguins), graded on the test penguins",
  score: (fit: FitClassifier, data: PenguinSplit) => {
    const model = fit(data.XTrain, data.yTrain);
    if (typeof model?.predict !== "function") {
      throw new TypeError("the value fitClassifier returned has no predict method: return the fitted model");
    }
    return accuracy(data.yTest, model.predict(data.XTest));
  },
  timeoutMs: 30_000,
});
