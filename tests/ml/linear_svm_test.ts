import assert from "node:assert/strict";
import { LinearSVM } from "@lib/ml/linear_svm.ts";
import { Prng } from "@lib/core/random.ts";

const prng = new Prng(9);
const X = Array.from({ length: 60 }, (_, i) => [prng.normal() + (i % 2 ? 3 : -3), prng.normal()]);
const y = X.map((_, i) => i % 2);

Deno.test("LinearSVM separates separable data with margin and its objective falls", () => {
  const svm = new LinearSVM({ C: 10 }).fit(X, y);
  assert.equal(svm.score(X, y), 1);
  assert.equal(svm.weights.length, 1);
  assert.ok(svm.weights[0][0] > 0, "class 1 lies to the right");
  const history = svm.lossHistory[0];
  assert.ok(history.at(-1)! < history[0], `objective ${history[0]} → ${history.at(-1)}`);
  assert.deepEqual(new LinearSVM({ C: 10 }).fit(X, y).weights, svm.weights, "same seed, same weights");
});

Deno.test("LinearSVM with more classes trains one-vs-rest", () => {
  const centres = [[0, 0], [5, 0], [0, 5]];
  const Xs = Array.from({ length: 60 }, (_, i) => centres[i % 3].map((c) => c + 0.4 * prng.normal()));
  const ys = Xs.map((_, i) => i % 3);
  const svm = new LinearSVM().fit(Xs, ys);
  assert.equal(svm.weights.length, 3);
  assert.ok(svm.score(Xs, ys) > 0.95);
});
