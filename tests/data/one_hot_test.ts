import assert from "node:assert/strict";
import { oneHot } from "@lib/data/one_hot.ts";

Deno.test("oneHot puts a single 1 at the label's column", () => {
  assert.deepEqual(oneHot([1, 0, 2]), [[0, 1, 0], [1, 0, 0], [0, 0, 1]]);
  assert.deepEqual(oneHot([0], 4), [[1, 0, 0, 0]]);
});

Deno.test("oneHot rejects labels out of range and a bad class count", () => {
  assert.throws(() => oneHot([0, 3], 3), {
    name: "RangeError",
    message: "Cannot one-hot encode label 1 as it must be an integer in 0..2: current value is 3",
  });
  assert.throws(() => oneHot([0.5], 2), {
    name: "RangeError",
    message: "Cannot one-hot encode label 0 as it must be an integer in 0..1: current value is 0.5",
  });
  assert.throws(() => oneHot([], 0), {
    name: "RangeError",
    message: "Cannot one-hot encode as numClasses must be a positive integer: current value is 0",
  });
});

Deno.test("oneHot handles label lists longer than the engine's argument limit", () => {
  const labels = Array.from({ length: 300_000 }, (_, i) => i % 10);
  const rows = oneHot(labels);
  assert.equal(rows.length, 300_000);
  assert.deepEqual(rows[13], [0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
});
