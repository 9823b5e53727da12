import assert from "node:assert/strict";
import { pairBatch } from "@lib/attention/mod.ts";
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
