import assert from "node:assert/strict";
import { runCheck } from "@lib/exercises/check.ts";
import { GINI, INFORMATION_GAIN, NB_LOG_SCORE } from "@lib/exercises/nb03_classic_algorithms.ts";
import { MultinomialNB } from "@lib/ml/mod.ts";

const quiet = { log: () => {} };

Deno.test("03-gini: hand values, and the slips (sum of squares, 0/0 on an empty node) get their hints", async () => {
  assert.equal(GINI.reference([3, 1]), 0.375);
  assert.equal(GINI.reference([5, 0]), 0);
  assert.equal(GINI.reference([1, 1, 1, 1]), 0.75);
  const noGuard = (c: number[]) => 1 - c.reduce((s, v) => s + (v / c.reduce((a, b) => a + b, 0)) ** 2, 0);
  const v = await runCheck(GINI, noGuard, quiet);
  assert.equal(v.reason, "check.nan");
  assert.match(v.text(), /return 0 there instead of dividing by zero/);
  const sumOfSquares = (c: number[]) => 1 - GINI.reference(c);
  assert.match((await runCheck(GINI, sumOfSquares, quiet)).text(), /one minus that/);
});

Deno.test("03-information-gain: a perfect split gains the parent's impurity, a useless one nothing; unweighted is diagnosed", async () => {
  assert.equal(INFORMATION_GAIN.reference([4, 4], [4, 0], [0, 4]), 0.5);
  assert.equal(INFORMATION_GAIN.reference([4, 4], [2, 2], [2, 2]), 0);
  const unweighted = (p: number[], l: number[], r: number[]) =>
    GINI.reference(p) - (GINI.reference(l) + GINI.reference(r)) / 2;
  assert.match((await runCheck(INFORMATION_GAIN, unweighted, quiet)).text(), /weight each by its share of the rows/);
});

Deno.test("03-nb-log-score: the reference equals MultinomialNB's joint log-likelihood", async () => {
  const X = [[2, 1, 0], [3, 2, 0], [0, 0, 2], [0, 1, 3]], y = [1, 1, 0, 0];
  const model = new MultinomialNB().fit(X, y);
  const row = [1, 2, 1];
  const joint = model.jointLogLikelihood([row])[0];
  for (const c of [0, 1]) {
    const ours = NB_LOG_SCORE.reference(row, model.classLogPrior[c], model.featureLogProb[c]);
    assert.ok(Math.abs(ours - joint[c]) < 1e-9);
  }
  const noPrior = (counts: number[], _p: number, lp: number[]) => counts.reduce((s, k, j) => s + k * lp[j], 0);
  assert.match((await runCheck(NB_LOG_SCORE, noPrior, quiet)).text(), /add log P\(class\) once/);
  const once = (counts: number[], p: number, lp: number[]) => counts.reduce((s, k, j) => s + (k > 0 ? lp[j] : 0), p);
  assert.match((await runCheck(NB_LOG_SCORE, once, quiet)).text(), /multiply its log-probability by its count/);
});
