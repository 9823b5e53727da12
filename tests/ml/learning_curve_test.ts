import assert from "node:assert/strict";
import { cpuSeconds, curvePoints, learningCurve, runKey, trainingSubset } from "@lib/ml/learning_curve.ts";

Deno.test("trainingSubset: distinct indices in range, seeded, all of them in order at the full size", () => {
  const a = trainingSubset(1000, 100, 7);
  assert.equal(new Set(a).size, 100);
  assert.ok(a.every((i) => Number.isInteger(i) && i >= 0 && i < 1000));
  assert.deepEqual(trainingSubset(1000, 100, 7), a);
  assert.notDeepEqual(trainingSubset(1000, 100, 8), a);
  assert.deepEqual(trainingSubset(4, 4, 99), [0, 1, 2, 3]);
  assert.throws(() => trainingSubset(10, 11, 1), {
    name: "RangeError",
    message: "Cannot draw a training subset as n must be at most total 10: current value is 11",
  });
});

Deno.test("learningCurve: every model, size and seed once; resumes from done; times each fit", async () => {
  const calls: string[] = [];
  const models = {
    a: (idx: number[], seed: number) => (calls.push(`a${idx.length}/${seed}`), idx.length / 10),
    b: async (idx: number[], seed: number) => (calls.push(`b${idx.length}/${seed}`), await Promise.resolve(seed / 10)),
  };
  const done = new Map();
  done.set(runKey("a", 2, 1), { model: "a", n: 2, seed: 1, accuracy: 0.5, cpuSeconds: 0, wallSeconds: 0 });
  const seeds = (n: number) => (n < 10 ? [1, 2] : [1]);
  const runs = await learningCurve({ models, sizes: [2, 10], total: 10, seeds, done, progress: false });
  assert.deepEqual(calls, ["a2/2", "a10/1", "b2/1", "b2/2", "b10/1"]); // a@2#1 was done already
  assert.equal(runs.length, 6);
  assert.equal(runs[0].accuracy, 0.5);
  assert.equal(done.size, 6);
  assert.ok(runs.every((r) => r.cpuSeconds >= 0 && r.wallSeconds >= 0));
  const points = curvePoints(runs);
  assert.deepEqual(points.map((p) => [p.model, p.n, p.runs]), [["a", 2, 2], ["a", 10, 1], ["b", 2, 2], ["b", 10, 1]]);
  assert.ok(Math.abs(points[0].mean - 0.35) < 1e-12);
  assert.ok(Math.abs(points[0].std - Math.sqrt(2 * 0.15 ** 2)) < 1e-12);
  assert.equal(points[1].std, 0);
  const again = await learningCurve({ models, sizes: [2, 10], total: 10, seeds, done, progress: false });
  assert.equal(calls.length, 5, "a second call with the same done map trains nothing");
  assert.deepEqual(again, runs);
});

Deno.test("learningCurve refuses a size beyond the data or an accuracy outside [0, 1]", async () => {
  await assert.rejects(
    learningCurve({ models: { a: () => 1 }, sizes: [20], total: 10, seeds: () => [1], progress: false }),
    { name: "RangeError", message: "Cannot draw a training subset as n must be at most total 10: current value is 20" },
  );
  await assert.rejects(
    learningCurve({ models: { a: () => 57 }, sizes: [5], total: 10, seeds: () => [1], progress: false }),
    {
      name: "RangeError",
      message: 'Cannot record a learning curve as model "a" returned an accuracy outside [0, 1]: current value is 57',
    },
  );
});

Deno.test("cpuSeconds grows with work", () => {
  const t0 = cpuSeconds();
  let s = 0;
  for (let i = 0; i < 2e7; i++) s += Math.sqrt(i);
  assert.ok(s > 0 && cpuSeconds() > t0);
});
