import assert from "node:assert/strict";
import { applyMlmMask, maskTokens, MLM_RATES, mlmBatch } from "@lib/attention/mod.ts";
import { Prng, tf } from "@lib/core/mod.ts";

Deno.test("applyMlmMask: 80/10/10 by the draws, every chosen position a target", () => {
  const { input, targets } = applyMlmMask([5, 6, 7, 8, 9], [4, 0, 2], [0.79, 0.8, 0.9], [3, 3, 3], 1);
  assert.deepEqual(input, [3, 6, 7, 8, 1]); // 4: masked (0.79), 0: random (0.8), 2: unchanged (0.9)
  assert.deepEqual(targets, [5, -1, 7, -1, 9]);
  const other = applyMlmMask([5, 6], [0, 1], [0.5, 0.5], [3, 3], 1, { maskShare: 0.4, randomShare: 0.2 });
  assert.deepEqual(other.input, [3, 3]);
});

Deno.test("applyMlmMask: mismatched or repeated positions say so", () => {
  assert.throws(() => applyMlmMask([5, 6], [0], [0.5, 0.1], [3], 1), {
    message: "Cannot mask tokens as positions, draws and randomIds must have one entry each per chosen position: " +
      "current lengths are 1, 2 and 1",
  });
  assert.throws(() => applyMlmMask([5, 6], [1, 1], [0.5, 0.1], [3, 3], 1), {
    message: "Cannot mask tokens as each position must be a distinct index in [0, 2): current value is 1",
  });
  assert.throws(() => applyMlmMask([5, 6], [2], [0.5], [3], 1), /distinct index in \[0, 2\)/);
});

Deno.test("maskTokens: 15% chosen, and over many draws 80% masked, 10% random, 10% kept", () => {
  const ids = Array.from({ length: 100 }, (_, i) => 2 + (i % 50));
  const prng = new Prng(3);
  let chosen = 0, masked = 0, kept = 0, random = 0;
  for (let r = 0; r < 400; r++) {
    const { input, targets } = maskTokens(ids, prng, { maskId: 1, vocabSize: 60, never: [0] });
    targets.forEach((t, i) => {
      if (t < 0) return assert.equal(input[i], ids[i]);
      assert.equal(t, ids[i]);
      chosen++;
      if (input[i] === 1) masked++;
      else if (input[i] === ids[i]) kept++;
      else random++;
      assert.ok(input[i] !== 0, "never drawn as a replacement");
    });
  }
  assert.equal(chosen, 400 * 15);
  assert.ok(Math.abs(masked / chosen - MLM_RATES.maskShare) < 0.02, `masked ${masked / chosen}`);
  // a random draw can hit the token itself (1 in 58), which then counts as kept
  assert.ok(Math.abs(random / chosen - 0.1) < 0.015, `random ${random / chosen}`);
  assert.ok(Math.abs(kept / chosen - 0.1) < 0.015, `kept ${kept / chosen}`);
  // same seed, same masks
  assert.deepEqual(
    maskTokens(ids, new Prng(9), { maskId: 1, vocabSize: 60 }),
    maskTokens(ids, new Prng(9), { maskId: 1, vocabSize: 60 }),
  );
});

Deno.test("maskTokens: tokens in never are not chosen; at least one target; bad options", () => {
  const { targets } = maskTokens([0, 0, 5, 0], new Prng(1), { maskId: 1, vocabSize: 6, never: [0] });
  assert.deepEqual(targets, [-1, -1, 5, -1]);
  assert.throws(() => maskTokens([0, 1], new Prng(1), { maskId: 1, vocabSize: 6, never: [0] }), {
    message: "Cannot mask tokens as no position is eligible: the 2 token(s) are all in never",
  });
  assert.throws(() => maskTokens([2], new Prng(1), { maskId: 1, vocabSize: 6, rate: 0 }), {
    message: "Cannot mask tokens as rate must be in (0, 1]: current value is 0",
  });
  assert.throws(
    () => maskTokens([2], new Prng(1), { maskId: 1, vocabSize: 0 }),
    /vocabSize must be a positive integer/,
  );
  assert.throws(() => maskTokens([2], new Prng(1), { maskId: 1, vocabSize: 2, never: [0] }), /every token/);
});

Deno.test("mlmBatch: windows of the data, masked; the right shapes; no tensor left behind", () => {
  const data = Array.from({ length: 200 }, (_, i) => 2 + (i % 20));
  const before = tf.memory().numTensors;
  const { x, y } = mlmBatch(data, 20, 3, new Prng(5), { maskId: 1, vocabSize: 22 });
  assert.deepEqual([x.shape, y.shape, x.dtype, y.dtype], [[3, 20], [3, 20], "int32", "int32"]);
  const [xs, ys] = [x.arraySync() as number[][], y.arraySync() as number[][]];
  for (let b = 0; b < 3; b++) {
    assert.equal(ys[b].filter((t) => t >= 0).length, 3);
    // the targets and the unmasked inputs are consecutive tokens of the data
    const row = xs[b].map((id, t) => ys[b][t] >= 0 ? ys[b][t] : id);
    row.forEach((id, t) => t > 0 && assert.equal(id, 2 + ((row[t - 1] - 2 + 1) % 20)));
  }
  tf.dispose([x, y]);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => mlmBatch([1, 2], 5, 1, new Prng(1), { maskId: 1, vocabSize: 3 }), {
    message: "Cannot draw a masked batch as the data has 2 tokens: it needs at least blockSize = 5",
  });
});
