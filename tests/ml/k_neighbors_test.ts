import assert from "node:assert/strict";
import { KNeighborsClassifier } from "@lib/ml/k_neighbors.ts";

const X = [[0, 0], [1, 0], [0, 1], [5, 5], [6, 5], [5, 6]];
const y = [0, 0, 0, 1, 1, 1];

Deno.test("kneighbors returns the nearest rows, nearest first", () => {
  const knn = new KNeighborsClassifier({ k: 3 }).fit(X, y);
  assert.deepEqual(knn.kneighbors([[0.9, 0.1]])[0], [1, 0, 2]);
  assert.deepEqual(knn.predictProba([[4, 4]]), [[0, 1]]);
});

Deno.test("k = 1 reproduces the training labels; a tied vote goes to the smaller class", () => {
  assert.deepEqual(new KNeighborsClassifier({ k: 1 }).fit(X, y).predict(X), y);
  const tie = new KNeighborsClassifier({ k: 2 }).fit([[0], [2]], [1, 0]);
  assert.deepEqual(tie.predict([[1]]), [0]);
});
