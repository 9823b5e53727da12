import assert from "node:assert/strict";
import { paddingMask, padIds } from "@lib/attention/mod.ts";
import { tf } from "@lib/core/mod.ts";

Deno.test("padIds pads at the end to the longest sequence or a given length; paddingMask reads it back", () => {
  const ids = padIds([[5, 6, 7], [8], [9, 10]], 0);
  assert.equal(ids.dtype, "int32");
  assert.deepEqual(ids.arraySync(), [[5, 6, 7], [8, 0, 0], [9, 10, 0]]);
  assert.deepEqual(paddingMask(ids, 0).reshape([3, 3]).arraySync(), [[1, 1, 1], [1, 0, 0], [1, 1, 0]]);
  assert.deepEqual(padIds([[3]], 1, 3).arraySync(), [[3, 1, 1]]);
  tf.dispose(ids);
});

Deno.test("padIds: errors name the sequence and the value", () => {
  assert.throws(() => padIds([], 0), /sequences must be a non-empty array/);
  assert.throws(() => padIds([[1, 2, 3]], 0, 2), {
    message: "Cannot pad token ids as sequence 0 has 3 ids, more than the length 2",
  });
  assert.throws(() => padIds([[1], [2, -1]], 0), {
    message: "Cannot pad token ids as sequence 1 holds -1 at 1: ids are integers ≥ 0",
  });
  assert.throws(() => padIds([[1]], 0.5), /padId must be an integer >= 0: current value is 0.5/);
});
