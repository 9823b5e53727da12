import assert from "node:assert/strict";
import {
  accuracy,
  confusionMatrix,
  meanSquaredError,
  precisionRecallF1,
  r2Score,
  rocAuc,
  rocCurve,
} from "@lib/ml/metrics.ts";
import { Prng } from "@lib/core/random.ts";

Deno.test("accuracy and confusion matrix match a hand count", () => {
  const t = [0, 0, 1, 1, 2, 2], p = [0, 1, 1, 1, 2, 0];
  assert.equal(accuracy(t, p), 4 / 6);
  assert.deepEqual(confusionMatrix(t, p), [[1, 1, 0], [0, 2, 0], [1, 0, 1]]);
  assert.deepEqual(confusionMatrix([0], [0], 2), [[1, 0], [0, 0]]);
});

Deno.test("precision, recall and F1 per class, zero where undefined", () => {
  const r = precisionRecallF1([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 2, 0]);
  assert.deepEqual(r.precision, [1 / 2, 2 / 3, 1]);
  assert.deepEqual(r.recall, [1 / 2, 1, 1 / 2]);
  assert.ok(Math.abs(r.f1[1] - 0.8) < 1e-12);
  assert.deepEqual(r.support, [2, 2, 2]);
  assert.equal(precisionRecallF1([0, 0], [0, 0], 2).precision[1], 0);
});

Deno.test("rocAuc equals the share of (positive, negative) pairs ranked right, ties half", () => {
  const prng = new Prng(3);
  const y = Array.from({ length: 60 }, () => prng.int(2));
  const s = y.map((v) => Math.round((v + prng.normal()) * 4) / 4); // rounding makes ties
  let pairs = 0, right = 0;
  y.forEach((a, i) =>
    y.forEach((b, j) => {
      if (a === 1 && b === 0) {
        pairs++;
        right += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
    })
  );
  assert.ok(Math.abs(rocAuc(y, s) - right / pairs) < 1e-12);
  assert.equal(rocAuc([0, 1], [1, 0]), 0);
});

Deno.test("rocCurve runs from (0, 0) to (1, 1)", () => {
  const { fpr, tpr } = rocCurve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]);
  assert.deepEqual([fpr[0], tpr[0]], [0, 0]);
  assert.deepEqual([fpr.at(-1), tpr.at(-1)], [1, 1]);
  assert.deepEqual(tpr, [0, 0.5, 0.5, 1, 1]);
});

Deno.test("mean squared error and R²", () => {
  assert.equal(meanSquaredError([0, 0], [1, 3]), 5);
  assert.equal(r2Score([1, 2, 3], [2, 2, 2]), 0);
  assert.equal(r2Score([1, 2, 3], [1, 2, 4]), 0.5);
});

Deno.test("metrics name the problem with bad input", () => {
  assert.throws(() => accuracy([0, 1], [0]), {
    name: "RangeError",
    message: "Cannot compute accuracy as yTrue and yPred must have the same length: 2 vs 1",
  });
  assert.throws(() => accuracy([], []), {
    message: "Cannot compute accuracy as yTrue is empty: need at least one value",
  });
  assert.throws(() => meanSquaredError([1, NaN], [1, 2]), {
    message: "Cannot compute mean squared error as yTrue[1] must be finite: current value is NaN",
  });
  assert.throws(() => rocAuc([1, 1], [0.2, 0.3]), {
    message: "Cannot compute ROC AUC as yTrue must hold both classes: it holds only class 1",
  });
  assert.throws(() => rocAuc([0, 2], [0.2, 0.3]), {
    message: "Cannot compute ROC AUC as yTrue must hold only 0 and 1: found 2",
  });
  assert.throws(() => confusionMatrix([0, 3], [0, 1], 2), {
    message: "Cannot compute confusion matrix as labels must be integers in 0..1: found 3",
  });
});
