import assert from "node:assert/strict";
import { DecisionTreeClassifier, prepareColumns } from "@lib/ml/decision_tree.ts";
import { Prng } from "@lib/core/random.ts";

Deno.test("the root split is the midpoint that makes the children pure; impurity by hand", () => {
  const X = [[1, 7], [2, 3], [3, 7], [4, 3]], y = [0, 0, 1, 1];
  const gini = new DecisionTreeClassifier().fit(X, y);
  assert.deepEqual([gini.root!.feature, gini.root!.threshold, gini.root!.impurity], [0, 2.5, 0.5]);
  assert.deepEqual(gini.root!.left!.counts, [2, 0]);
  const entropy = new DecisionTreeClassifier({ criterion: "entropy" }).fit(X, y);
  assert.equal(entropy.root!.impurity, 1);
  assert.deepEqual(gini.featureImportances, [1, 0]);
});

Deno.test("depth and leaf-size limits are respected", () => {
  const prng = new Prng(5);
  const X = Array.from({ length: 200 }, () => [prng.normal(), prng.normal(), prng.normal()]);
  const y = X.map(([a, b]) => (a * b > 0 ? 1 : 0) ^ (prng.next() < 0.1 ? 1 : 0));
  const full = new DecisionTreeClassifier().fit(X, y);
  assert.equal(full.score(X, y), 1, "an unlimited tree fits its training set");
  const shallow = new DecisionTreeClassifier({ maxDepth: 3 }).fit(X, y);
  assert.ok(shallow.depth() <= 3 && shallow.leafCount() <= 8);
  const leafy = new DecisionTreeClassifier({ minSamplesLeaf: 20 }).fit(X, y);
  const leaves = (n = leafy.root!): number[] => (n.left ? [...leaves(n.left), ...leaves(n.right!)] : [n.samples]);
  assert.ok(leaves().every((s) => s >= 20), `leaf sizes ${leaves()}`);
  const sum = full.featureImportances.reduce((s, v) => s + v, 0);
  assert.ok(Math.abs(sum - 1) < 1e-12);
  assert.ok(full.featureImportances[2] < full.featureImportances[0], "the noise feature matters least");
});

Deno.test("rows of weight 0 are ignored; weights shift the leaf counts", () => {
  const X = [[1], [2], [3]], y = [0, 1, 1];
  const tree = new DecisionTreeClassifier().fit(X, y, [1, 0, 3]);
  assert.equal(tree.root!.samples, 2);
  assert.deepEqual(tree.root!.counts, [1, 3]);
  assert.equal(tree.root!.threshold, 2);
  assert.throws(() => new DecisionTreeClassifier().fit(X, y, [1, -1, 1]), {
    message: "Cannot fit DecisionTreeClassifier as sampleWeight must hold 3 finite numbers >= 0",
  });
});

Deno.test("predictProba gives the leaf's class shares; toText names features and classes", () => {
  const tree = new DecisionTreeClassifier({ maxDepth: 1 }).fit([[1], [2], [3], [4], [5]], [0, 0, 1, 1, 0]);
  assert.deepEqual(tree.predictProba([[1]]), [[1, 0]]);
  assert.deepEqual(tree.predictProba([[5]]), [[1 / 3, 2 / 3]]);
  assert.equal(
    tree.toText(["size"], ["small", "big"]),
    "size <= 2.5\n│ → small (2 rows)\nsize > 2.5\n│ → big (3 rows)",
  );
});

Deno.test("a tree fitted with shared prepareColumns equals one fitted without", () => {
  const prng = new Prng(8);
  const X = Array.from({ length: 60 }, () => [prng.int(4), prng.normal()]);
  const y = X.map(([a, b]) => (a + b > 2 ? 1 : 0));
  const plain = new DecisionTreeClassifier({ seed: 2 }).fit(X, y);
  const shared = new DecisionTreeClassifier({ seed: 2 }).fit(X, y, undefined, prepareColumns(X));
  assert.deepEqual(shared.root, plain.root);
});
