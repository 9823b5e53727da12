/**
 * The exercises of notebook 04 · Traditional vs deep: the ratio of two models' errors, the size where a learning
 * curve levels off, and the class scores of logistic regression computed by hand (the white box opened).
 *
 * @module
 */
import { SoftmaxRegression } from "../ml/mod.ts";
import type { CaseExercise } from "./check.ts";

type ErrorRatio = (accuracySimple: number, accuracyDeep: number) => number;

function ratioOfErrors(accuracySimple: number, accuracyDeep: number): number {
  return (1 - accuracySimple) / (1 - accuracyDeep);
}

/** The learner writes `errorRatio(accuracySimple, accuracyDeep)`: (1 − simple) / (1 − deep). */
export const ERROR_RATIO: CaseExercise<ErrorRatio> = Object.freeze<CaseExercise<ErrorRatio>>({
  id: "04-error-ratio",
  name: "errorRatio",
  reference: ratioOfErrors,
  cases: [
    { args: [0.9, 0.97] as [number, number] },
    { args: [0.75, 0.8] as [number, number] },
    { args: [0.5, 0.5] as [number, number] },
    { args: [0.92, 0.98] as [number, number] },
  ],
  tolerance: 1e-9,
  diagnose: (got, _expected, [simple, deep]) => {
    if (typeof got !== "number") return undefined;
    if (Math.abs(got - simple / deep) < 1e-9 || Math.abs(got - deep / simple) < 1e-9) return "accuracies";
    if (Math.abs(got - (1 - deep) / (1 - simple)) < 1e-9) return "inverted";
    return undefined;
  },
});

type PlateauSize = (sizes: number[], accuracies: number[], points: number) => number;

function firstSizeNearTheEnd(sizes: readonly number[], accuracies: readonly number[], points: number): number {
  const last = accuracies[accuracies.length - 1];
  const i = accuracies.findIndex((a) => 100 * (last - a) < points);
  return sizes[i];
}

const LR = [0.73, 0.83, 0.87, 0.898, 0.905],
  CNN = [0.79, 0.89, 0.923, 0.958, 0.975],
  SIZES = [100, 300, 1000, 3000, 8000];

/**
 * The learner writes `plateauSize(sizes, accuracies, points)`: the smallest training-set size from which the model
 * gains less than `points` percentage points by the largest size.
 */
export const PLATEAU_SIZE: CaseExercise<PlateauSize> = Object.freeze<CaseExercise<PlateauSize>>({
  id: "04-plateau",
  name: "plateauSize",
  reference: firstSizeNearTheEnd,
  cases: [
    { args: [SIZES, LR, 2] as [number[], number[], number] },
    { args: [SIZES, LR, 5] as [number[], number[], number] },
    { args: [SIZES, CNN, 1] as [number[], number[], number] },
    { args: [[10, 20, 40], [0.5, 0.75, 1], 25] as [number[], number[], number] }, // a gain of exactly 25 is not < 25
    { args: [[10, 20, 40, 80], [0.6, 0.9, 0.85, 0.88], 2] as [number[], number[], number] },
  ],
  diagnose: (got, expected, [sizes, accuracies, points]) => {
    if (typeof got !== "number") return undefined;
    if (got === sizes.indexOf(expected as number)) return "index";
    const last = accuracies[accuracies.length - 1];
    const orEqual = accuracies.findIndex((a) => 100 * (last - a) <= points);
    if (got === sizes[orEqual]) return "strict";
    const fraction = accuracies.findIndex((a) => last - a < points);
    if (got === sizes[fraction]) return "percent";
    return undefined;
  },
});

type DigitScores = (pixels: number[], weights: number[][], bias: number[]) => number[];

function linearScores(pixels: readonly number[], weights: readonly number[][], bias: readonly number[]): number[] {
  return bias.map((b, k) => pixels.reduce((s, x, j) => s + x * weights[j][k], b));
}

/** A small softmax regression (4 "pixels", 3 classes) whose weights and biases make the cases. */
function tinyModel(): SoftmaxRegression {
  const X = [[1, 0, 0, 0.5], [0.9, 0.1, 0, 0], [0, 1, 0.2, 0], [0, 0.8, 0, 0.3], [0, 0, 1, 1], [0.2, 0, 0.9, 0.8]];
  return new SoftmaxRegression({ C: 10 }).fit(X, [0, 0, 1, 1, 2, 2]);
}

/**
 * The learner writes `digitScores(pixels, weights, bias)`: logistic regression's score of each class,
 * Σ_j pixels[j] · weights[j][k] + bias[k] (weights stored `[pixel][class]`, as `SoftmaxRegression.weights`).
 */
export const DIGIT_SCORES: CaseExercise<DigitScores> = Object.freeze<CaseExercise<DigitScores>>({
  id: "04-digit-scores",
  name: "digitScores",
  reference: linearScores as DigitScores,
  cases: () => {
    const m = tinyModel();
    return [
      { args: [[1, 0, 0], [[1, 2], [3, 4], [5, 6]], [0, 0]] as [number[], number[][], number[]] },
      { args: [[0.5, 0.5, 1], [[1, -1], [2, 0], [0, 3]], [0.1, -0.2]] as [number[], number[][], number[]] },
      {
        args: [[0, 1, 0.2, 0], m.weights, m.bias] as [number[], number[][], number[]],
        label: "digitScores([0, 1, 0.2, 0], fitted.weights, fitted.bias)",
      },
      {
        args: [[0, 0, 0, 0], m.weights, m.bias] as [number[], number[][], number[]],
        label: "digitScores([0, 0, 0, 0], fitted.weights, fitted.bias)",
      },
    ];
  },
  tolerance: 1e-9,
  diagnose: (got, _expected, [pixels, weights, bias]) => {
    if (!Array.isArray(got) || got.length !== bias.length) return undefined;
    const noBias = linearScores(pixels, weights, bias.map(() => 0));
    return got.every((g, k) => Math.abs(g - noBias[k]) < 1e-9) ? "bias" : undefined;
  },
});
