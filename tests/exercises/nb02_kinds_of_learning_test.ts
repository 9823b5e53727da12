import assert from "node:assert/strict";
import { runCheck } from "@lib/exercises/check.ts";
import { PENGUIN_CLASSIFIER, type PenguinSplit, PURITY } from "@lib/exercises/nb02_kinds_of_learning.ts";
import { loadPenguins } from "@lib/data/penguins.ts";
import { splitData } from "@lib/data/split.ts";
import { StandardScaler } from "@lib/data/standard_scaler.ts";
import { clusterPurity, KNeighborsClassifier } from "@lib/ml/mod.ts";

const quiet = { log: () => {} };

Deno.test("02-purity: the reference equals lib/ml's clusterPurity on every case; the overall majority is diagnosed", async () => {
  const cases = PURITY.cases as { args: [number[], number[]] }[];
  for (const { args: [clusters, labels] } of cases) {
    assert.equal(PURITY.reference(clusters, labels), clusterPurity(labels, clusters));
  }
  assert.equal((await runCheck(PURITY, (c: number[], l: number[]) => clusterPurity(l, c), quiet)).passed, true);
  const overall = (_c: number[], l: number[]) =>
    Math.max(...[0, 1, 2].map((k) => l.filter((v) => v === k).length)) / l.length;
  assert.match((await runCheck(PURITY, overall, quiet)).text(), /take the majority inside each cluster/);
});

Deno.test("02-classifier: the reference and k-nearest neighbours reach 95% on the test penguins; a constant guess does not", async () => {
  const penguins = await loadPenguins();
  const split = splitData(penguins.X, penguins.y, { testFraction: 0.2, seed: 1337 });
  const scaler = new StandardScaler().fit(split.XTrain);
  const context: PenguinSplit = {
    XTrain: scaler.transform(split.XTrain),
    yTrain: split.yTrain,
    XTest: scaler.transform(split.XTest),
    yTest: split.yTest,
  };
  const knn = (X: number[][], y: number[]) => new KNeighborsClassifier({ k: 5 }).fit(X, y);
  assert.equal((await runCheck(PENGUIN_CLASSIFIER, knn, { ...quiet, context })).passed, true);
  const refScore = await PENGUIN_CLASSIFIER.score(PENGUIN_CLASSIFIER.reference, context);
  assert.ok(refScore >= 0.95, `reference: ${refScore}`);
  const constant = () => ({ predict: (X: number[][]) => X.map(() => 0) });
  assert.equal((await runCheck(PENGUIN_CLASSIFIER, constant, { ...quiet, context })).reason, "check.below_threshold");
  const noModel = await runCheck(PENGUIN_CLASSIFIER, () => 1, { ...quiet, context });
  assert.match(noModel.text(), /has no predict method: return the fitted model/);
});
