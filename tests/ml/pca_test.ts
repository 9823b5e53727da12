import assert from "node:assert/strict";
import { PCA } from "@lib/ml/pca.ts";
import { loadIris } from "@lib/data/iris.ts";
import { Prng } from "@lib/core/random.ts";

const iris = await loadIris();

Deno.test("PCA components are orthonormal, variances descend and all of them reconstruct X", () => {
  const pca = new PCA().fit(iris.X);
  pca.components.forEach((a, i) =>
    pca.components.forEach((b, j) => {
      const d = a.reduce((s, v, k) => s + v * b[k], 0);
      assert.ok(Math.abs(d - (i === j ? 1 : 0)) < 1e-10, `<c${i}, c${j}> = ${d}`);
    })
  );
  assert.ok(pca.explainedVariance.every((v, i) => i === 0 || v <= pca.explainedVariance[i - 1]));
  assert.ok(Math.abs(pca.explainedVarianceRatio.reduce((s, v) => s + v, 0) - 1) < 1e-12);
  pca.inverseTransform(pca.transform(iris.X)).forEach((row, i) =>
    row.forEach((v, j) => assert.ok(Math.abs(v - iris.X[i][j]) < 1e-9))
  );
});

Deno.test("the variance along a component equals its eigenvalue", () => {
  const pca = new PCA({ nComponents: 2 }).fit(iris.X);
  const Z = pca.transform(iris.X);
  [0, 1].forEach((c) => {
    const variance = Z.reduce((s, z) => s + z[c] ** 2, 0) / (Z.length - 1);
    assert.ok(Math.abs(variance - pca.explainedVariance[c]) < 1e-9);
  });
  assert.ok(pca.explainedVarianceRatio[0] > 0.9, "iris is nearly one-dimensional");
});

Deno.test("PCA rejects too many components and too few rows", () => {
  assert.throws(() => new PCA({ nComponents: 5 }).fit(iris.X), {
    message: "Cannot fit PCA as nComponents must be at most the number of features (4): current value is 5",
  });
  assert.throws(() => new PCA().fit([[1, 2]]), {
    message: "Cannot fit PCA as X must have at least 2 rows: current count is 1",
  });
  assert.throws(() => new PCA({ nComponents: 0 }), {
    message: "Cannot create PCA as nComponents must be an integer >= 1: current value is 0",
  });
});

Deno.test("the iterative solver agrees with the full one on the top components", () => {
  const prng = new Prng(4);
  const scales = Array.from({ length: 30 }, (_, j) => 1 / (1 + j));
  const X = Array.from({ length: 300 }, () => scales.map((s) => s * prng.normal()));
  const full = new PCA({ nComponents: 3, solver: "full" }).fit(X);
  const iterative = new PCA({ nComponents: 3, solver: "iterative" }).fit(X);
  iterative.explainedVariance.forEach((v, c) => {
    assert.ok(Math.abs(v - full.explainedVariance[c]) < 1e-9 * full.explainedVariance[0], `variance ${c}`);
    assert.ok(Math.abs(iterative.explainedVarianceRatio[c] - full.explainedVarianceRatio[c]) < 1e-9, `ratio ${c}`);
    iterative.components[c].forEach((x, j) =>
      assert.ok(Math.abs(x - full.components[c][j]) < 1e-5, `component ${c}[${j}]`)
    );
  });
  assert.throws(() => new PCA({ solver: "svd" as "full" }), {
    message: 'Cannot create PCA as solver must be "auto", "full" or "iterative": current value is svd',
  });
});
