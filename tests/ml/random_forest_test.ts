import assert from "node:assert/strict";
import { RandomForestClassifier } from "@lib/ml/random_forest.ts";
import { loadPenguins } from "@lib/data/penguins.ts";

const penguins = await loadPenguins();

Deno.test("RandomForestClassifier is reproducible by seed and scores well out of bag on penguins", () => {
  const a = new RandomForestClassifier({ nTrees: 20, seed: 3 }).fit(penguins.X, penguins.y);
  const b = new RandomForestClassifier({ nTrees: 20, seed: 3 }).fit(penguins.X, penguins.y);
  assert.deepEqual(a.predictProba(penguins.X.slice(0, 50)), b.predictProba(penguins.X.slice(0, 50)));
  assert.equal(a.trees.length, 20);
  assert.ok(a.oobScore > 0.95 && a.oobScore <= 1, `OOB ${a.oobScore}`);
  assert.ok(Math.abs(a.featureImportances.reduce((s, v) => s + v, 0) - 1) < 1e-9);
  a.predictProba(penguins.X.slice(0, 5)).forEach((p) => assert.ok(Math.abs(p.reduce((s, v) => s + v, 0) - 1) < 1e-9));
});

Deno.test("without bootstrap there is no out-of-bag score", () => {
  const forest = new RandomForestClassifier({ nTrees: 3, bootstrap: false }).fit(penguins.X, penguins.y);
  assert.ok(Number.isNaN(forest.oobScore));
});

Deno.test("tree options are validated when the forest is created", () => {
  assert.throws(() => new RandomForestClassifier({ minSamplesLeaf: 0 }), {
    message: "Cannot create DecisionTreeClassifier as minSamplesLeaf must be an integer >= 1: current value is 0",
  });
});

Deno.test("the forest's defaults are scikit-learn's: the tree defaults with sqrt features, 100 bootstrapped trees", () => {
  assert.deepEqual(new RandomForestClassifier().options, {
    criterion: "gini",
    maxDepth: Infinity,
    minSamplesSplit: 2,
    minSamplesLeaf: 1,
    maxFeatures: "sqrt",
    nTrees: 100,
    bootstrap: true,
    seed: 1337,
  });
});
