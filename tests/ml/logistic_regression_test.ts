import assert from "node:assert/strict";
import { LogisticRegression, sigmoid } from "@lib/ml/logistic_regression.ts";
import { SoftmaxRegression } from "@lib/ml/softmax_regression.ts";
import { Prng } from "@lib/core/random.ts";

const prng = new Prng(11);
const X = Array.from({ length: 80 }, () => [prng.normal(), prng.normal()]);
const y = X.map(([a, b]) => (a + 0.5 * b + 0.7 * prng.normal() > 0 ? 1 : 0));

/** scikit-learn's LogisticRegression(C) objective divided by C·n, written independently of the lib. */
function objective(w: number[], b: number, C: number): number {
  const n = X.length;
  let loss = (w[0] ** 2 + w[1] ** 2) / (2 * C * n);
  X.forEach((x, i) => {
    const z = w[0] * x[0] + w[1] * x[1] + b;
    loss += Math.log(1 + Math.exp(-(y[i] ? 1 : -1) * z)) / n;
  });
  return loss;
}

Deno.test("LogisticRegression converges to the minimum of the regularised log-loss", () => {
  const C = 0.5;
  const model = new LogisticRegression({ C, epochs: 3000 }).fit(X, y);
  const best = objective(model.weights, model.bias, C);
  assert.ok(Math.abs(best - model.lossHistory.at(-1)!) < 1e-6, "recorded loss is the objective");
  for (const [dw0, dw1, db] of [[1, 0, 0], [-1, 0, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]]) {
    const h = 1e-3;
    const moved = objective([model.weights[0] + h * dw0, model.weights[1] + h * dw1], model.bias + h * db, C);
    assert.ok(
      moved >= best - 1e-10,
      `a step of ${h} along (${dw0}, ${dw1}, ${db}) lowers the loss: ${moved} < ${best}`,
    );
  }
  assert.ok(model.lossHistory.every((l, i) => i === 0 || l <= model.lossHistory[i - 1] + 1e-12));
  assert.ok(model.score(X, y) > 0.7, `training accuracy ${model.score(X, y)}`);
});

Deno.test("LogisticRegression probabilities are [1 − p, p] and match the decision rule", () => {
  const model = new LogisticRegression().fit(X, y);
  const proba = model.predictProba(X);
  proba.forEach(([p0, p1], i) => {
    assert.ok(Math.abs(p0 + p1 - 1) < 1e-12);
    assert.equal(model.predict([X[i]])[0], p1 > 0.5 ? 1 : 0);
  });
});

Deno.test("sigmoid is stable at extreme inputs", () => {
  assert.equal(sigmoid(1000), 1);
  assert.equal(sigmoid(-1000), 0);
  assert.equal(sigmoid(0), 0.5);
});

Deno.test("SoftmaxRegression: probabilities sum to 1, loss falls, two classes agree with LogisticRegression", () => {
  const soft = new SoftmaxRegression({ epochs: 2000 }).fit(X, y);
  soft.predictProba(X).forEach((p) => assert.ok(Math.abs(p[0] + p[1] - 1) < 1e-12));
  assert.ok(soft.lossHistory.at(-1)! < soft.lossHistory[0]);
  const logistic = new LogisticRegression({ epochs: 2000 }).fit(X, y);
  assert.deepEqual(soft.predict(X), logistic.predict(X));
});

Deno.test("SoftmaxRegression separates three blobs", () => {
  const centres = [[0, 0], [4, 0], [0, 4]];
  const Xs = Array.from({ length: 90 }, (_, i) => centres[i % 3].map((c) => c + 0.5 * prng.normal()));
  const ys = Xs.map((_, i) => i % 3);
  const model = new SoftmaxRegression().fit(Xs, ys);
  assert.ok(model.score(Xs, ys) > 0.95, `accuracy ${model.score(Xs, ys)}`);
  assert.deepEqual([model.weights.length, model.weights[0].length, model.bias.length], [2, 3, 3]);
});
