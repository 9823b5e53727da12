/** SoftmaxRegression's two solvers and the L-BFGS minimiser behind the default one. */
import assert from "node:assert/strict";
import { SoftmaxRegression } from "@lib/ml/softmax_regression.ts";
import { lbfgs } from "@lib/ml/_lbfgs.ts";
import { Prng } from "@lib/core/random.ts";

const prng = new Prng(5);
const centres = [[0, 0], [3, 0], [0, 3], [3, 3]];
const X = Array.from({ length: 120 }, (_, i) => centres[i % 4].map((c) => c + prng.normal()));
const y = X.map((_, i) => i % 4);

/** The objective written out independently of the lib: mean cross-entropy + ‖W‖²/(2·C·n). */
function objective(model: SoftmaxRegression, C: number): number {
  const n = X.length, proba = model.predictProba(X);
  const penalty = model.weights.flat().reduce((s, w) => s + w * w, 0) / (2 * C * n);
  return proba.reduce((s, p, i) => s - Math.log(p[y[i]]) / n, 0) + penalty;
}

Deno.test("lbfgs minimises the Rosenbrock valley to 1e-6", () => {
  const fg = (x: Float64Array, g: Float64Array) => {
    const [a, b] = x;
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  };
  const result = lbfgs(fg, Float64Array.from([-1.2, 1]), { maxIter: 500, tol: 1e-8 });
  assert.ok(result.converged, `not converged after ${result.iterations} iterations`);
  assert.ok(Math.abs(result.x[0] - 1) < 1e-6 && Math.abs(result.x[1] - 1) < 1e-6, `minimum at ${result.x}`);
  assert.ok(result.history.every((f, i) => i === 0 || f <= result.history[i - 1]), "f never rises");
  assert.ok(result.iterations < 100, `${result.iterations} iterations`);
});

Deno.test("lbfgs stops at maxIter without claiming convergence", () => {
  const fg = (x: Float64Array, g: Float64Array) => (g[0] = 2 * x[0], g[1] = 200 * x[1], x[0] ** 2 + 100 * x[1] ** 2);
  const result = lbfgs(fg, Float64Array.from([5, 5]), { maxIter: 1, tol: 1e-12 });
  assert.deepEqual([result.iterations, result.converged, result.history.length], [1, false, 2]);
});

Deno.test("SoftmaxRegression (lbfgs) reaches the minimum: the objective is recorded and no nudge lowers it", () => {
  const C = 0.5;
  const model = new SoftmaxRegression({ C, tol: 1e-8 }).fit(X, y);
  assert.ok(model.converged && model.iterations < 200, `${model.iterations} iterations`);
  const best = objective(model, C);
  assert.ok(Math.abs(best - model.lossHistory.at(-1)!) < 1e-12, `recorded ${model.lossHistory.at(-1)}, actual ${best}`);
  for (const [j, c] of [[0, 0], [1, 2], [0, 3]]) {
    for (const h of [1e-3, -1e-3]) {
      model.weights[j][c] += h;
      assert.ok(objective(model, C) >= best - 1e-12, `moving W[${j}][${c}] by ${h} lowers the objective`);
      model.weights[j][c] -= h;
    }
  }
  assert.ok(model.lossHistory.every((l, i) => i === 0 || l <= model.lossHistory[i - 1]), "the objective never rises");
});

Deno.test("SoftmaxRegression: gradient descent run long enough lands where L-BFGS does, in far more steps", () => {
  const exact = new SoftmaxRegression({ tol: 1e-8 }).fit(X, y);
  const gd = new SoftmaxRegression({ solver: "gd", learningRate: 0.5, epochs: 5000 }).fit(X, y);
  assert.equal(gd.iterations, 5000);
  assert.equal(gd.converged, false);
  assert.ok(gd.lossHistory.at(-1)! - exact.lossHistory.at(-1)! < 1e-6, `gd ${gd.lossHistory.at(-1)}`);
  assert.ok(exact.iterations < 5000 / 20, `lbfgs took ${exact.iterations} iterations`);
  assert.deepEqual(gd.predict(X), exact.predict(X));
});

Deno.test("SoftmaxRegression with C = Infinity has no penalty", () => {
  const model = new SoftmaxRegression({ C: Infinity, epochs: 50 }).fit(X, y);
  assert.ok(Math.abs(objective(model, Infinity) - model.lossHistory.at(-1)!) < 1e-12);
});

Deno.test("SoftmaxRegression rejects an unknown solver or a bad tol", () => {
  assert.throws(() => new SoftmaxRegression({ solver: "newton" as "gd" }), {
    name: "RangeError",
    message: 'Cannot create SoftmaxRegression as solver must be "lbfgs" or "gd": current value is newton',
  });
  assert.throws(() => new SoftmaxRegression({ tol: 0 }), {
    name: "RangeError",
    message: /^Cannot create SoftmaxRegression as tol must be/,
  });
});
