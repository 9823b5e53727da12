import assert from "node:assert/strict";
import { backendName, tf, useBackend } from "@lib/core/mod.ts";
import { seededTensor } from "../../tools/backend_parity.ts";

type Case = () => tf.Tensor;

async function valuesOn(backend: "cpu" | "wasm", f: Case) {
  const before = backendName();
  await useBackend(backend);
  try {
    return tf.tidy(() => {
      const t = f();
      return { shape: t.shape, dtype: t.dtype, data: Array.from(t.dataSync()) };
    });
  } finally {
    await useBackend(before);
  }
}

const ids = (v: number[], shape = [v.length]) => tf.tensor(v, shape, "int32");

const CASES: Record<string, Case> = {
  "embedding rows [V, C] by [N]": () => tf.gather(seededTensor([50, 32], 1), ids([3, 0, 49, 3, 17])),
  "rows of a 3-D tensor by 2-D indices": () => tf.gather(seededTensor([6, 4, 5], 2), ids([5, 1, 0, 2], [2, 2])),
  "narrow rows (a loop, not set)": () => tf.gather(seededTensor([7, 3], 3), ids([6, 6, 0])),
  "int32 values": () => tf.gather(tf.range(0, 40, 1, "int32").reshape([10, 4]), ids([9, 2])),
  "a vector": () => tf.gather(seededTensor([9], 4), ids([8, 0, 4])),
  "axis 1 (tfjs's kernel)": () => tf.gather(seededTensor([3, 8, 2], 5), ids([7, 1]), 1),
  "batchDims 1 (tfjs's kernel)": () => tf.gather(seededTensor([2, 5, 3], 6), ids([4, 0, 1, 1], [2, 2]), 1, 1),
};

Deno.test("GatherV2 on wasm gives what the cpu backend gives", async () => {
  for (const [name, f] of Object.entries(CASES)) {
    const [cpu, wasm] = [await valuesOn("cpu", f), await valuesOn("wasm", f)];
    assert.deepEqual(wasm, cpu, name);
  }
});

Deno.test("GatherV2 on wasm: the embedding gradient still flows, and a bad row says which", () => {
  tf.tidy(() => {
    const table = seededTensor([5, 16], 7);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.gather(t, ids([1, 1, 4]))))(table);
    assert.deepEqual(tf.sum(g, 1).arraySync(), [0, 32, 0, 0, 16]);
    assert.throws(() => tf.gather(table, ids([0, 5])), {
      name: "RangeError",
      message: "Cannot gather row 5 (at position 1 of the indices): x has 5 rows, so indices must be in [0, 4]",
    });
  });
});
