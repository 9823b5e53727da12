import assert from "node:assert/strict";
import { runCheck } from "@lib/exercises/check.ts";
import { DIGIT_SCORES, ERROR_RATIO, PLATEAU_SIZE } from "@lib/exercises/nb04_traditional_vs_deep.ts";
import { SoftmaxRegression } from "@lib/ml/mod.ts";

const quiet = { log: () => {} };

Deno.test("04-error-ratio: hand values; dividing accuracies or the wrong way up gets its hint", async () => {
  assert.ok(Math.abs(ERROR_RATIO.reference(0.9, 0.97) - 10 / 3) < 1e-12);
  assert.equal(ERROR_RATIO.reference(0.5, 0.5), 1);
  assert.equal((await runCheck(ERROR_RATIO, (a: number, b: number) => (1 - a) / (1 - b), quiet)).passed, true);
  const accuracies = (a: number, b: number) => b / a;
  assert.match((await runCheck(ERROR_RATIO, accuracies, quiet)).text(), /divides the accuracies/);
  const inverted = (a: number, b: number) => (1 - b) / (1 - a);
  assert.match((await runCheck(ERROR_RATIO, inverted, quiet)).text(), /Upside down/);
});

Deno.test("04-plateau: the first size within `points` of the end; index, ≤ and fractions are diagnosed", async () => {
  const sizes = [100, 300, 1000, 3000, 8000], lr = [0.73, 0.83, 0.87, 0.898, 0.905];
  assert.equal(PLATEAU_SIZE.reference(sizes, lr, 2), 3000);
  assert.equal(PLATEAU_SIZE.reference(sizes, lr, 5), 1000);
  assert.equal(PLATEAU_SIZE.reference(sizes, lr, 0.1), 8000);
  const loop = (s: number[], a: number[], p: number) => {
    for (let i = 0; i < s.length; i++) if ((a.at(-1)! - a[i]) * 100 < p) return s[i];
    return s.at(-1)!;
  };
  assert.equal((await runCheck(PLATEAU_SIZE, loop, quiet)).passed, true);
  const index = (s: number[], a: number[], p: number) => s.indexOf(loop(s, a, p));
  assert.match((await runCheck(PLATEAU_SIZE, index, quiet)).text(), /return the size itself/);
  const orEqual = (s: number[], a: number[], p: number) => s[a.findIndex((v) => 100 * (a.at(-1)! - v) <= p)];
  assert.match((await runCheck(PLATEAU_SIZE, orEqual, quiet)).text(), /compare with </);
  const fraction = (s: number[], a: number[], p: number) => s[a.findIndex((v) => a.at(-1)! - v < p)];
  assert.match((await runCheck(PLATEAU_SIZE, fraction, quiet)).text(), /multiply the gain by 100/);
});

Deno.test("04-digit-scores: the reference gives SoftmaxRegression's decisions; a missing bias is diagnosed", async () => {
  const X = [[0, 0], [0, 1], [5, 0], [5, 1], [0, 5], [1, 5]], y = [0, 0, 1, 1, 2, 2];
  const model = new SoftmaxRegression().fit(X, y);
  for (const row of [[6, 0], [0, 6], [1, 1], [3, 3]]) {
    const scores = DIGIT_SCORES.reference(row, model.weights, model.bias);
    assert.equal(scores.indexOf(Math.max(...scores)), model.predict([row])[0]);
  }
  assert.deepEqual(DIGIT_SCORES.reference([1, 0, 0], [[1, 2], [3, 4], [5, 6]], [0.5, 0]), [1.5, 2]);
  const noBias = (x: number[], w: number[][], b: number[]) =>
    b.map((_, k) => x.reduce((s, v, j) => s + v * w[j][k], 0));
  assert.match((await runCheck(DIGIT_SCORES, noBias, quiet)).text(), /its own bias/);
  const right = (x: number[], w: number[][], b: number[]) =>
    b.map((bk, k) => x.reduce((s, v, j) => s + v * w[j][k], bk));
  assert.equal((await runCheck(DIGIT_SCORES, right, quiet)).passed, true);
});
