/**
 * Our lib/ml against scikit-learn on the same splits and features (bench/fixtures/sklearn_classic.json, written
 * by bench/reference/sklearn_classic.py; regenerate with `deno task ref:ml`).
 * Accuracy must be within 2 points or 2 test samples of scikit-learn's, whichever is larger.
 * Softmax regression on digits is compared with bench/fixtures/sklearn_digits.json (bench/reference/sklearn_digits.py).
 */
import assert from "node:assert/strict";
import {
  buildClassicFeatures,
  type ClassicFeatures,
  type Classifier,
  FEATURES_PATH,
  MODELS,
  SKLEARN_PATH,
  spamCounts,
  standardised,
  type TableSplit,
} from "../../bench/reference/classic_features.ts";
import {
  KMeans,
  LinearRegression,
  LinearSVM,
  LogisticRegression,
  MultinomialNB,
  PCA,
  SoftmaxRegression,
} from "../../lib/ml/mod.ts";
import { DIGITS_C, SKLEARN_DIGITS_PATH, type SklearnDigits } from "../../bench/reference/digits_export.ts";
import { loadDigits } from "../../lib/data/digits.ts";

const BINARY_MODELS: Record<string, () => Classifier> = {
  logistic_regression: () => new LogisticRegression({ C: 1, learningRate: 0.5, epochs: 2000 }),
  linear_svm: () => new LinearSVM({ C: 1 }),
};

interface SklearnFixture {
  sklearn: string;
  accuracy: Record<string, Record<string, number>>;
  test_size: Record<string, number>;
  pca_explained_variance_ratio: Record<string, number[]>;
  kmeans_inertia: Record<string, number>;
  cars_linear_regression: { coef: number[]; intercept: number };
}

const features: ClassicFeatures = JSON.parse(await Deno.readTextFile(FEATURES_PATH));
const sklearn: SklearnFixture = JSON.parse(await Deno.readTextFile(SKLEARN_PATH));

function assertClose(dataset: string, model: string, ours: number) {
  const theirs = sklearn.accuracy[dataset][model];
  const tolerance = Math.max(0.02, 2 / sklearn.test_size[dataset]);
  assert.ok(
    Math.abs(ours - theirs) <= tolerance + 1e-12,
    `${model} on ${dataset}: ours ${ours.toFixed(4)}, scikit-learn ${theirs.toFixed(4)}, tolerance ${
      tolerance.toFixed(4)
    }`,
  );
}

function binary(split: TableSplit): TableSplit {
  return { ...split, y: split.y.map((v) => (v === 0 ? 1 : 0)) };
}

Deno.test("the committed export matches what our loaders, split and scaler produce today", async () => {
  const fresh = await buildClassicFeatures();
  assert.deepEqual(JSON.parse(JSON.stringify(fresh)), features);
});

for (const name of ["penguins", "iris"] as const) {
  for (const [model, make] of Object.entries(MODELS)) {
    Deno.test(`${model} on ${name} is within 2 points of scikit-learn`, () => {
      const s = standardised(features[name]);
      const m = make();
      m.fit(s.XTrain, s.yTrain);
      assertClose(name, model, m.score(s.XTest, s.yTest));
    });
  }
  Deno.test(`k-means (k = 3, 10 starts) on ${name} reaches scikit-learn's inertia within 1%`, () => {
    const ours = new KMeans({ k: 3, nInit: 10 }).fit(standardised(features[name]).XTrain).inertia;
    const theirs = sklearn.kmeans_inertia[name];
    assert.ok(ours <= theirs * 1.01, `inertia ours ${ours}, scikit-learn ${theirs}`);
  });
  Deno.test(`PCA explained variance on ${name} matches scikit-learn to 1e-9`, () => {
    const ours = new PCA().fit(standardised(features[name]).XTrain).explainedVarianceRatio;
    sklearn.pca_explained_variance_ratio[name].forEach((v, i) =>
      assert.ok(Math.abs(ours[i] - v) < 1e-9, `component ${i}: ${ours[i]} vs ${v}`)
    );
  });
}

for (const [model, make] of Object.entries(BINARY_MODELS)) {
  Deno.test(`${model} on penguins (Adelie or not) is within 2 points of scikit-learn`, () => {
    const s = standardised(binary(features.penguins));
    const m = make();
    m.fit(s.XTrain, s.yTrain);
    assertClose("penguins_adelie", model, m.score(s.XTest, s.yTest));
  });
}

Deno.test("multinomial naive Bayes on SpamAssassin is within 2 points of scikit-learn", async () => {
  const { X, spam, indices } = await spamCounts();
  const nb = new MultinomialNB().fit(indices.train.map((i) => X[i]), indices.train.map((i) => spam.y[i]));
  assertClose("spam", "multinomial_nb", nb.score(indices.test.map((i) => X[i]), indices.test.map((i) => spam.y[i])));
});

Deno.test("closed-form linear regression on cars matches scikit-learn's coefficients", () => {
  const lr = new LinearRegression().fit(features.cars.X, features.cars.y);
  const { coef, intercept } = sklearn.cars_linear_regression;
  coef.forEach((c, j) =>
    assert.ok(Math.abs(lr.weights[j] - c) < 1e-6 * Math.max(1, Math.abs(c)), `weight ${j}: ${lr.weights[j]} vs ${c}`)
  );
  assert.ok(Math.abs(lr.bias - intercept) < 1e-6 * Math.abs(intercept), `bias ${lr.bias} vs ${intercept}`);
});

Deno.test("softmax regression on digits (100, 300, 1000 rows) matches scikit-learn's LogisticRegression", async () => {
  const fixture: SklearnDigits = JSON.parse(await Deno.readTextFile(SKLEARN_DIGITS_PATH));
  const digits = await loadDigits({ seed: fixture.seed });
  const XTest = digits.test.rows(), yTest = digits.test.labels;
  for (const row of fixture.rows.filter((r) => r.n <= 1000)) {
    const model = new SoftmaxRegression({ C: DIGITS_C, tol: fixture.tol }).fit(
      digits.train.rows(row.n),
      digits.train.labels.slice(0, row.n),
    );
    const acc = model.score(XTest, yTest), objective = model.lossHistory.at(-1)!;
    assert.ok(model.converged, `n = ${row.n}: not converged in ${model.iterations} iterations`);
    assert.ok(Math.abs(acc - row.accuracy) <= 0.005, `n = ${row.n}: accuracy ${acc}, scikit-learn ${row.accuracy}`);
    assert.ok(
      Math.abs(objective - row.objective) <= 2e-3 * row.objective,
      `n = ${row.n}: objective ${objective}, scikit-learn ${row.objective}`,
    );
  }
});
