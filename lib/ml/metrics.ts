/**
 * Scores for predictions: accuracy, confusion matrix, precision/recall/F1, ROC AUC, mean squared error, R².
 *
 * @module
 */

function checkPair(yTrue: number[], yPred: number[], what: string): void {
  if (yTrue.length !== yPred.length) {
    throw new RangeError(
      `Cannot compute ${what} as yTrue and yPred must have the same length: ${yTrue.length} vs ${yPred.length}`,
    );
  }
  if (yTrue.length === 0) throw new RangeError(`Cannot compute ${what} as yTrue is empty: need at least one value`);
  for (const [name, ys] of [["yTrue", yTrue], ["yPred", yPred]] as const) {
    ys.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        throw new RangeError(`Cannot compute ${what} as ${name}[${i}] must be finite: current value is ${v}`);
      }
    });
  }
}

/**
 * Share of predictions equal to the truth.
 * @throws {RangeError} When the lists are empty, differ in length or hold non-finite values.
 * @example
 * ```ts
 * import { accuracy } from "@lib/ml/metrics.ts";
 * import assert from "node:assert/strict";
 * assert.equal(accuracy([0, 1, 1, 0], [0, 1, 0, 0]), 0.75);
 * ```
 */
export function accuracy(yTrue: number[], yPred: number[]): number {
  checkPair(yTrue, yPred, "accuracy");
  return yTrue.reduce((s, v, i) => s + (v === yPred[i] ? 1 : 0), 0) / yTrue.length;
}

/**
 * Confusion matrix: entry [t][p] counts rows of true class t predicted as p.
 * @param numClasses Number of classes (default: largest label + 1).
 * @throws {RangeError} As {@link accuracy}, or when a label is not an integer in 0..numClasses-1.
 * @example
 * ```ts
 * import { confusionMatrix } from "@lib/ml/metrics.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(confusionMatrix([0, 1, 1], [0, 0, 1]), [[1, 0], [1, 1]]);
 * ```
 */
export function confusionMatrix(yTrue: number[], yPred: number[], numClasses?: number): number[][] {
  checkPair(yTrue, yPred, "confusion matrix");
  const k = numClasses ?? [...yTrue, ...yPred].reduce((m, v) => Math.max(m, v), 0) + 1;
  const matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  yTrue.forEach((t, i) => {
    const p = yPred[i];
    for (const v of [t, p]) {
      if (!Number.isInteger(v) || v < 0 || v >= k) {
        throw new RangeError(`Cannot compute confusion matrix as labels must be integers in 0..${k - 1}: found ${v}`);
      }
    }
    matrix[t][p]++;
  });
  return matrix;
}

/** Per-class precision, recall, F1 and support, with their macro averages. */
export interface ClassificationReport {
  precision: number[];
  recall: number[];
  f1: number[];
  support: number[];
  macro: { precision: number; recall: number; f1: number };
}

/**
 * Precision, recall and F1 of every class (0 where undefined, as scikit-learn's `zero_division=0`).
 * @throws {RangeError} As {@link confusionMatrix}.
 * @example
 * ```ts
 * import { precisionRecallF1 } from "@lib/ml/metrics.ts";
 * import assert from "node:assert/strict";
 * const r = precisionRecallF1([0, 1, 1, 1], [0, 1, 0, 1]);
 * assert.equal(r.precision[1], 1);
 * assert.equal(r.recall[1], 2 / 3);
 * ```
 */
export function precisionRecallF1(yTrue: number[], yPred: number[], numClasses?: number): ClassificationReport {
  const m = confusionMatrix(yTrue, yPred, numClasses);
  const safe = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const precision = m.map((_, c) => safe(m[c][c], m.reduce((s, row) => s + row[c], 0)));
  const recall = m.map((row, c) => safe(row[c], row.reduce((s, v) => s + v, 0)));
  const f1 = precision.map((p, c) => safe(2 * p * recall[c], p + recall[c]));
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  return {
    precision,
    recall,
    f1,
    support: m.map((row) => row.reduce((s, v) => s + v, 0)),
    macro: { precision: mean(precision), recall: mean(recall), f1: mean(f1) },
  };
}

/**
 * Area under the ROC curve of a binary problem: the chance that a random positive scores above a random negative
 * (ties count one half).
 * @param yTrue Labels 0 or 1, both present.
 * @param scores Higher means "more likely 1".
 * @throws {RangeError} When lengths differ, labels are not 0/1, or one class is missing.
 * @example
 * ```ts
 * import { rocAuc } from "@lib/ml/metrics.ts";
 * import assert from "node:assert/strict";
 * assert.equal(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
 * ```
 */
export function rocAuc(yTrue: number[], scores: number[]): number {
  checkPair(yTrue, scores, "ROC AUC");
  if (yTrue.some((v) => v !== 0 && v !== 1)) {
    throw new RangeError(
      `Cannot compute ROC AUC as yTrue must hold only 0 and 1: found ${yTrue.find((v) => v !== 0 && v !== 1)}`,
    );
  }
  const nPos = yTrue.filter((v) => v === 1).length, nNeg = yTrue.length - nPos;
  if (nPos === 0 || nNeg === 0) {
    throw new RangeError(`Cannot compute ROC AUC as yTrue must hold both classes: it holds only class ${yTrue[0]}`);
  }
  const order = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let rankSumPos = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j < order.length && order[j][0] === order[i][0]) j++;
    const meanRank = (i + 1 + j) / 2;
    for (let t = i; t < j; t++) if (yTrue[order[t][1]] === 1) rankSumPos += meanRank;
    i = j;
  }
  return (rankSumPos - nPos * (nPos + 1) / 2) / (nPos * nNeg);
}

/**
 * The points of the ROC curve (false positive rate, true positive rate), one per distinct score threshold.
 * @throws {RangeError} As {@link rocAuc}.
 */
export function rocCurve(yTrue: number[], scores: number[]): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  rocAuc(yTrue, scores);
  const order = scores.map((s, i) => [s, yTrue[i]] as const).sort((a, b) => b[0] - a[0]);
  const nPos = yTrue.filter((v) => v === 1).length, nNeg = yTrue.length - nPos;
  const fpr = [0], tpr = [0], thresholds = [Infinity];
  let tp = 0, fp = 0;
  order.forEach(([s, label], i) => {
    if (label === 1) tp++;
    else fp++;
    if (i === order.length - 1 || order[i + 1][0] !== s) {
      fpr.push(fp / nNeg);
      tpr.push(tp / nPos);
      thresholds.push(s);
    }
  });
  return { fpr, tpr, thresholds };
}

/**
 * Mean of squared differences.
 * @throws {RangeError} As {@link accuracy}.
 * @example
 * ```ts
 * import { meanSquaredError } from "@lib/ml/metrics.ts";
 * import assert from "node:assert/strict";
 * assert.equal(meanSquaredError([1, 2], [1, 4]), 2);
 * ```
 */
export function meanSquaredError(yTrue: number[], yPred: number[]): number {
  checkPair(yTrue, yPred, "mean squared error");
  return yTrue.reduce((s, v, i) => s + (v - yPred[i]) ** 2, 0) / yTrue.length;
}

/**
 * Coefficient of determination R² = 1 − SS_res / SS_tot (1 is perfect, 0 is "predict the mean").
 * @throws {RangeError} As {@link accuracy}.
 * @example
 * ```ts
 * import { r2Score } from "@lib/ml/metrics.ts";
 * import assert from "node:assert/strict";
 * assert.equal(r2Score([1, 2, 3], [1, 2, 3]), 1);
 * ```
 */
export function r2Score(yTrue: number[], yPred: number[]): number {
  checkPair(yTrue, yPred, "R²");
  const mean = yTrue.reduce((s, v) => s + v, 0) / yTrue.length;
  const ssTot = yTrue.reduce((s, v) => s + (v - mean) ** 2, 0);
  const ssRes = yTrue.reduce((s, v, i) => s + (v - yPred[i]) ** 2, 0);
  return ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot;
}
