import assert from "node:assert/strict";
import { splitData, trainTestSplit } from "@lib/data/split.ts";

const labels = [...Array(50).fill(0), ...Array(30).fill(1), ...Array(20).fill(2)];

Deno.test("trainTestSplit is stratified: each class sends round(count × fraction) rows to test", () => {
  const { train, test } = trainTestSplit(labels, { testFraction: 0.2, seed: 1 });
  const count = (idx: number[], c: number) => idx.filter((i) => labels[i] === c).length;
  assert.deepEqual([0, 1, 2].map((c) => count(test, c)), [10, 6, 4]);
  assert.deepEqual([0, 1, 2].map((c) => count(train, c)), [40, 24, 16]);
});

Deno.test("trainTestSplit covers every row exactly once, sorted", () => {
  const { train, test } = trainTestSplit(labels, { seed: 2 });
  assert.deepEqual([...train, ...test].sort((a, b) => a - b), labels.map((_, i) => i));
  assert.deepEqual(train, [...train].sort((a, b) => a - b));
  assert.deepEqual(test, [...test].sort((a, b) => a - b));
});

Deno.test("trainTestSplit: same seed same split, other seed other split", () => {
  assert.deepEqual(trainTestSplit(labels, { seed: 5 }), trainTestSplit(labels, { seed: 5 }));
  assert.notDeepEqual(trainTestSplit(labels, { seed: 5 }).test, trainTestSplit(labels, { seed: 6 }).test);
});

Deno.test("trainTestSplit with a row count shuffles without strata", () => {
  const { train, test } = trainTestSplit(10, { testFraction: 0.3 });
  assert.equal(test.length, 3);
  assert.equal(train.length, 7);
});

Deno.test("trainTestSplit rejects a bad fraction or too few rows", () => {
  assert.throws(() => trainTestSplit(labels, { testFraction: 0 }), {
    name: "RangeError",
    message: "Cannot split data as testFraction must be in (0, 1): current value is 0",
  });
  assert.throws(() => trainTestSplit([1]), {
    name: "RangeError",
    message: "Cannot split data as it needs at least 2 rows: current value is 1",
  });
});

Deno.test("splitData cuts X and y with the same indices and rejects a length mismatch", () => {
  const X = labels.map((v, i) => [i, v]);
  const s = splitData(X, labels, { seed: 3 });
  s.XTrain.forEach((row, r) => assert.deepEqual(row, [s.indices.train[r], s.yTrain[r]]));
  s.XTest.forEach((row, r) => assert.deepEqual(row, [s.indices.test[r], s.yTest[r]]));
  assert.throws(() => splitData(X, labels.slice(1)), {
    name: "RangeError",
    message: "Cannot split data as X and y must have the same length: X has 100 rows, y has 99",
  });
});
