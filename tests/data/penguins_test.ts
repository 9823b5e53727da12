import assert from "node:assert/strict";
import { loadPenguins, PENGUIN_FEATURES } from "@lib/data/penguins.ts";

Deno.test("loadPenguins drops the 2 rows without measurements and never yields NaN", async () => {
  const p = await loadPenguins();
  assert.equal(p.size, 342);
  assert.equal(p.dropped, 2);
  assert.deepEqual(p.featureNames, [...PENGUIN_FEATURES]);
  assert.ok(p.X.every((row) => row.length === 4 && row.every(Number.isFinite)));
  assert.deepEqual(p.classCounts(), [151, 68, 123]);
  assert.deepEqual(p.X[0], [39.1, 18.7, 181, 3750]);
});

Deno.test("loadPenguins keeps island and sex beside the features, missing sex as unknown", async () => {
  const p = await loadPenguins();
  assert.equal(p.islands.length, 342);
  assert.deepEqual([...new Set(p.islands)].sort(), ["Biscoe", "Dream", "Torgersen"]);
  assert.equal(p.sexes.filter((s) => s === "unknown").length, 9);
  assert.deepEqual([...new Set(p.sexes)].sort(), ["FEMALE", "MALE", "unknown"]);
});
