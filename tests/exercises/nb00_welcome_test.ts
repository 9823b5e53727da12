import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { runCheck } from "@lib/exercises/check.ts";
import { MEAN_SQUARED_ERROR, SLOPE_WITH_GRAD } from "@lib/exercises/nb00_welcome.ts";

const quiet = { log: () => {} };

Deno.test("00-mse: a learner's mean squared error passes; the sum of squares gets its own hint; no tensor leaks", async () => {
  const before = tf.memory().numTensors;
  const mine = (p: tf.Tensor, t: tf.Tensor) => p.sub(t).square().sum().div(p.size);
  assert.equal((await runCheck(MEAN_SQUARED_ERROR, mine, quiet)).passed, true);
  const summed = await runCheck(MEAN_SQUARED_ERROR, (p: tf.Tensor, t: tf.Tensor) => p.sub(t).square().sum(), quiet);
  assert.match(summed.text(), /did you add the squares up instead of averaging them\?/);
  const unsquared = await runCheck(MEAN_SQUARED_ERROR, (p: tf.Tensor, t: tf.Tensor) => p.sub(t).mean(), quiet);
  assert.equal(unsquared.reason, "check.wrong_value");
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("00-slope: the reference is g′(x) = 3x² − 2, and a hand-written slope passes", async () => {
  for (const x of [0, 1, -2, 0.5]) assert.ok(Math.abs((await SLOPE_WITH_GRAD.reference(x)) - (3 * x * x - 2)) < 1e-5);
  assert.equal((await runCheck(SLOPE_WITH_GRAD, (x: number) => Promise.resolve(3 * x * x - 2), quiet)).passed, true);
  const forgotAwait = await runCheck(SLOPE_WITH_GRAD, (x: number) => ({ then: undefined, x }), quiet);
  assert.equal(forgotAwait.reason, "check.wrong_type");
});
