import assert from "node:assert/strict";
import { KvCache } from "@lib/attention/mod.ts";
import { tf } from "@lib/core/mod.ts";

Deno.test("KvCache.reorder keeps the chosen batch rows of the chosen layers, frees the old tensors", () => {
  const cache = new KvCache();
  for (const i of [0, 1]) {
    cache.layer(i).k = tf.keep(tf.tensor4d([10 * i, 10 * i + 1, 10 * i + 2], [3, 1, 1, 1]));
    cache.layer(i).v = tf.keep(tf.tensor4d([-10 * i, -10 * i - 1, -10 * i - 2], [3, 1, 1, 1]));
  }
  const before = tf.memory().numTensors;
  cache.reorder([2, 0, 0], [0]);
  assert.deepEqual(Array.from(cache.layer(0).k!.dataSync()), [2, 0, 0]);
  assert.deepEqual(Array.from(cache.layer(0).v!.dataSync()), [-2, -0, -0]);
  assert.deepEqual(Array.from(cache.layer(1).k!.dataSync()), [10, 11, 12]); // not named: untouched
  cache.reorder([1, 1, 2]);
  assert.deepEqual(Array.from(cache.layer(1).k!.dataSync()), [11, 11, 12]);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => cache.reorder([0, 3, 1]), {
    message: "Cannot reorder the KV cache as row 3 is not an integer in [0, 3)",
  });
  cache.dispose();
  assert.equal(tf.memory().numTensors, before - 4);
});
