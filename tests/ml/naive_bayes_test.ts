import assert from "node:assert/strict";
import { GaussianNB } from "@lib/ml/gaussian_nb.ts";
import { MultinomialNB } from "@lib/ml/multinomial_nb.ts";

Deno.test("GaussianNB estimates priors, means and (smoothed) variances by hand", () => {
  const X = [[1, 10], [3, 10], [5, 20], [7, 40], [9, 20]];
  const y = [0, 0, 1, 1, 1];
  const nb = new GaussianNB({ varSmoothing: 0 }).fit(X, y);
  assert.deepEqual(nb.means, [[2, 10], [7, 80 / 3]]);
  assert.ok(Math.abs(nb.variances[1][0] - 8 / 3) < 1e-12);
  assert.deepEqual(nb.classLogPrior, [Math.log(2 / 5), Math.log(3 / 5)]);
  const smoothed = new GaussianNB().fit(X, y);
  assert.ok(smoothed.variances[0][1] > 0, "a constant column within a class gets epsilon variance");
});

Deno.test("GaussianNB posteriors follow Bayes' rule with normal densities", () => {
  const nb = new GaussianNB({ varSmoothing: 0 }).fit([[0], [2], [4], [8]], [0, 0, 1, 1]);
  const normal = (x: number, m: number, v: number) => Math.exp(-((x - m) ** 2) / (2 * v)) / Math.sqrt(2 * Math.PI * v);
  const a = 0.5 * normal(3, 1, 1), b = 0.5 * normal(3, 6, 4);
  const [p] = nb.predictProba([[3]]);
  assert.ok(Math.abs(p[0] - a / (a + b)) < 1e-12, `${p[0]} vs ${a / (a + b)}`);
});

Deno.test("MultinomialNB: Laplace-smoothed word probabilities by hand", () => {
  const X = [[2, 1, 0], [3, 2, 0], [0, 0, 2], [0, 1, 3]];
  const nb = new MultinomialNB().fit(X, [1, 1, 0, 0]);
  assert.deepEqual(nb.featureLogProb[1], [6 / 11, 4 / 11, 1 / 11].map(Math.log));
  assert.deepEqual(nb.featureLogProb[0], [1 / 9, 2 / 9, 6 / 9].map(Math.log));
  const ll = nb.jointLogLikelihood([[1, 0, 1]])[0];
  assert.ok(Math.abs(ll[1] - (Math.log(0.5) + Math.log(6 / 11) + Math.log(1 / 11))) < 1e-12);
  nb.predictProba([[1, 0, 1]]).forEach((p) => assert.ok(Math.abs(p[0] + p[1] - 1) < 1e-12));
  assert.deepEqual(nb.mostIndicative(0, 3), [2, 1, 0]);
});
