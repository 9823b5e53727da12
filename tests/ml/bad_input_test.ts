/** Every classifier fails on bad input with a message that names the problem. */
import assert from "node:assert/strict";
import {
  AdaBoostClassifier,
  DecisionTreeClassifier,
  GaussianNB,
  KNeighborsClassifier,
  LinearSVM,
  LogisticRegression,
  MultinomialNB,
  RandomForestClassifier,
  SoftmaxRegression,
} from "@lib/ml/mod.ts";

interface Fittable {
  fit(X: number[][], y: number[]): unknown;
  predict(X: number[][]): number[];
}

const CLASSIFIERS: Record<string, () => Fittable> = {
  LogisticRegression: () => new LogisticRegression({ epochs: 5 }),
  SoftmaxRegression: () => new SoftmaxRegression({ epochs: 5 }),
  KNeighborsClassifier: () => new KNeighborsClassifier({ k: 1 }),
  GaussianNB: () => new GaussianNB(),
  MultinomialNB: () => new MultinomialNB(),
  DecisionTreeClassifier: () => new DecisionTreeClassifier(),
  RandomForestClassifier: () => new RandomForestClassifier({ nTrees: 3 }),
  LinearSVM: () => new LinearSVM({ epochs: 2 }),
  AdaBoostClassifier: () => new AdaBoostClassifier({ nEstimators: 2 }),
};

const X = [[1, 2], [2, 1], [3, 4], [4, 3]];
const y = [0, 0, 1, 1];

for (const [name, make] of Object.entries(CLASSIFIERS)) {
  Deno.test(`${name} rejects X and y of different lengths`, () => {
    assert.throws(() => make().fit(X, [0, 1, 1]), {
      name: "RangeError",
      message: `Cannot fit ${name} as X and y must have the same length: X has 4 rows, y has 3`,
    });
  });
  Deno.test(`${name} rejects NaN features`, () => {
    assert.throws(() => make().fit([[1, 2], [2, NaN], [3, 4], [4, 3]], y), {
      name: "RangeError",
      message: `Cannot fit ${name} as X[1][1] must be a finite number: current value is NaN`,
    });
  });
  Deno.test(`${name} rejects empty data`, () => {
    assert.throws(() => make().fit([], []), {
      name: "RangeError",
      message: `Cannot fit ${name} as X is empty: need at least one row`,
    });
  });
  Deno.test(`${name} rejects a single class`, () => {
    assert.throws(() => make().fit(X, [1, 1, 1, 1]), {
      name: "RangeError",
      message: `Cannot fit ${name} as y must hold at least 2 classes: it holds only class 1`,
    });
  });
  Deno.test(`${name} rejects non-integer labels`, () => {
    assert.throws(() => make().fit(X, [0, 0.5, 1, 1]), {
      name: "RangeError",
      message: `Cannot fit ${name} as y[1] must be a class index (integer >= 0): current value is 0.5`,
    });
  });
  Deno.test(`${name} rejects ragged rows`, () => {
    assert.throws(() => make().fit([[1, 2], [2], [3, 4], [4, 3]], y), {
      name: "RangeError",
      message: `Cannot fit ${name} as every row of X must have 2 features: row 1 has 1`,
    });
  });
  Deno.test(`${name} refuses to predict before fit, and rows of the wrong width after`, () => {
    assert.throws(() => make().predict(X), {
      message: `Cannot predict with ${name} as it is not fitted: call fit first`,
    });
    const model = make();
    model.fit(X, y);
    assert.throws(() => model.predict([[1, 2, 3]]), {
      name: "RangeError",
      message: `Cannot predict with ${name} as every row of X must have 2 features: row 0 has 3`,
    });
  });
}

Deno.test("KNeighborsClassifier rejects k larger than the data", () => {
  assert.throws(() => new KNeighborsClassifier({ k: 5 }).fit(X, y), {
    name: "RangeError",
    message: "Cannot fit KNeighborsClassifier as k must be at most the number of training rows (4): current value is 5",
  });
});

Deno.test("LogisticRegression sends more than two classes to SoftmaxRegression", () => {
  assert.throws(() => new LogisticRegression().fit(X, [0, 1, 2, 2]), {
    name: "RangeError",
    message:
      "Cannot fit LogisticRegression as y must hold only classes 0 and 1: found 2 (use SoftmaxRegression for more classes)",
  });
});

Deno.test("options are validated when the model is created", () => {
  assert.throws(() => new KNeighborsClassifier({ k: 0 }), {
    message: "Cannot create KNeighborsClassifier as k must be an integer >= 1: current value is 0",
  });
  assert.throws(() => new DecisionTreeClassifier({ maxDepth: -1 }), {
    message: "Cannot create DecisionTreeClassifier as maxDepth must be an integer >= 0: current value is -1",
  });
  assert.throws(() => new DecisionTreeClassifier({ criterion: "mse" as "gini" }), {
    message: 'Cannot create DecisionTreeClassifier as criterion must be "gini" or "entropy": current value is mse',
  });
  assert.throws(() => new RandomForestClassifier({ nTrees: 0 }), {
    message: "Cannot create RandomForestClassifier as nTrees must be an integer >= 1: current value is 0",
  });
  assert.throws(() => new LogisticRegression({ C: 0 }), {
    message: "Cannot create LogisticRegression as C must be a positive number: current value is 0",
  });
  assert.throws(() => new LinearSVM({ epochs: 1.5 }), {
    message: "Cannot create LinearSVM as epochs must be an integer >= 1: current value is 1.5",
  });
  assert.throws(() => new AdaBoostClassifier({ learningRate: -1 }), {
    message: "Cannot create AdaBoostClassifier as learningRate must be a positive number: current value is -1",
  });
  assert.throws(() => new MultinomialNB({ alpha: -1 }), {
    message: "Cannot create MultinomialNB as alpha must be a finite number >= 0: current value is -1",
  });
  assert.throws(() => new GaussianNB({ varSmoothing: NaN }), {
    message: "Cannot create GaussianNB as varSmoothing must be a finite number >= 0: current value is NaN",
  });
});

Deno.test("MultinomialNB rejects negative counts", () => {
  assert.throws(() => new MultinomialNB().fit([[1, -1], [0, 2]], [0, 1]), {
    name: "RangeError",
    message: "Cannot fit MultinomialNB as counts must be >= 0: X[0][1] is -1",
  });
});
