import assert from "node:assert/strict";
import { AdaBoostClassifier } from "@lib/ml/adaboost.ts";

Deno.test("AdaBoost's first vote follows the SAMME formula; later stumps fix its mistakes", () => {
  const X = [[1], [2], [3], [4], [5], [6], [7], [8]], y = [0, 0, 1, 1, 0, 0, 1, 1];
  const model = new AdaBoostClassifier({ nEstimators: 20 }).fit(X, y);
  const wrong = model.stumps[0].predict(X).filter((p, i) => p !== y[i]).length;
  const error = wrong / X.length;
  assert.equal(model.errors[0], error);
  assert.ok(Math.abs(model.alphas[0] - Math.log((1 - error) / error)) < 1e-12, "log(k − 1) = 0 for two classes");
  assert.ok(model.stumps.length > 1);
  assert.deepEqual(model.predict(X), y);
});

Deno.test("a perfect first stump ends boosting", () => {
  const model = new AdaBoostClassifier().fit([[1], [2], [3], [4]], [0, 0, 1, 1]);
  assert.equal(model.stumps.length, 1);
});
