import assert from "node:assert/strict";
import { bucketBatches, pairBatch } from "@lib/attention/mod.ts";
import { tf } from "@lib/core/mod.ts";

Deno.test("pairBatch pads sources and targets separately", () => {
  const pairs = [{ source: [5], target: [1, 7, 7, 2] }, { source: [6, 6, 6], target: [1, 2] }];
  const { x, y } = pairBatch(pairs, [1, 0], 0);
  assert.deepEqual(x.arraySync(), [[6, 6, 6], [5, 0, 0]]);
  assert.deepEqual(y.arraySync(), [[1, 2, 0, 0], [1, 7, 7, 2]]);
  tf.dispose([x, y]);
  assert.throws(() => pairBatch(pairs, [], 0), /indices is empty/);
  assert.throws(() => pairBatch(pairs, [0, 2], 0), { message: "Cannot make a pair batch as index 2 is not in [0, 2)" });
});

Deno.test("bucketBatches: every example once per epoch, similar lengths together, the same batches on resume", () => {
  const lengths = Array.from({ length: 1000 }, (_, i) => 2 + ((i * 7919) % 25));
  const b = bucketBatches(lengths, 32, { seed: 3 });
  assert.equal(b.stepsPerEpoch, 31);
  const epoch = Array.from({ length: 31 }, (_, i) => b.indices(i));
  assert.equal(new Set(epoch.flat()).size, 31 * 32);
  const spread = (ids: number[]) => Math.max(...ids.map((i) => lengths[i])) - Math.min(...ids.map((i) => lengths[i]));
  const mean = (xs: number[]) => xs.reduce((a, c) => a + c, 0) / xs.length;
  assert.ok(mean(epoch.map(spread)) < 4, "a pool of 20 batches sorted by length: little spread in a batch");
  assert.deepEqual(bucketBatches(lengths, 32, { seed: 3 }).indices(45), b.indices(45)); // a fresh one: same batch
  assert.notDeepEqual(b.indices(45), b.indices(45 - 31)); // another epoch, another order
  assert.throws(() => bucketBatches([3, 4], 3), /batchSize 3 is larger than the 2 examples/);
  assert.throws(() => bucketBatches([3, 4], 1, { pool: 0 }), /pool must be a positive integer/);
});
