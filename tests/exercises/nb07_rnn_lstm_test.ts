import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { runCheck } from "@lib/exercises/check.ts";
import { KEEP_MEMORY, LSTM_STEP, memoryKept, memoryTest } from "@lib/exercises/nb07_rnn_lstm.ts";

const quiet = { log: () => {} };
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A learner's step, with a switch for each usual mistake. */
function step(mistake?: "forget" | "tanh" | "candidate") {
  return (z: number[], c: number[]) => {
    const H = c.length;
    const cNew = c.map((cj, j) => {
      const [i, f] = [sigmoid(z[j]), sigmoid(z[H + j])];
      const g = mistake === "candidate" ? sigmoid(z[2 * H + j]) : Math.tanh(z[2 * H + j]);
      return (mistake === "forget" ? cj : f * cj) + i * g;
    });
    return { h: cNew.map((cj, j) => sigmoid(z[3 * H + j]) * (mistake === "tanh" ? cj : Math.tanh(cj))), c: cNew };
  };
}

Deno.test("07-lstm-step: the reference (lib's lstmCell) matches the equations; each usual mistake gets its hint; no leaks", async () => {
  const before = tf.memory().numTensors;
  // all pre-activations 0: every gate ½, candidate 0, so the memory halves
  const zero = LSTM_STEP.reference([0, 0, 0, 0], [0.8]);
  assert.ok(Math.abs(zero.c[0] - 0.4) < 1e-6 && Math.abs(zero.h[0] - 0.5 * Math.tanh(0.4)) < 1e-6);
  assert.equal((await runCheck(LSTM_STEP, step(), quiet)).passed, true);
  assert.match((await runCheck(LSTM_STEP, step("forget"), quiet)).text(), /Your memory never forgets/);
  assert.match((await runCheck(LSTM_STEP, step("tanh"), quiet)).text(), /o times tanh of the memory/);
  assert.match(
    (await runCheck(LSTM_STEP, step("candidate"), quiet)).text(),
    /goes through tanh, so it can be negative/,
  );
  assert.equal((await runCheck(LSTM_STEP, () => ({ h: [0], c: [0] }), quiet)).reason, "check.wrong_value");
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("07-keep-memory: forget open and input shut keeps the memory; the opposite or a wrong length does not", async () => {
  const context = memoryTest();
  assert.deepEqual([context.hidden, context.steps, context.c0.length], [8, 100, 8]);
  assert.equal(
    (await runCheck(KEEP_MEMORY, (H: number) => [...Array(H).fill(-8), ...Array(H).fill(8), ...Array(2 * H).fill(0)], {
      ...quiet,
      context,
    }))
      .passed,
    true,
  );
  assert.ok(memoryKept(KEEP_MEMORY.reference(8), context) > 0.99);
  const zeros = (H: number) => Array(4 * H).fill(0); // every gate ½: the memory halves each step
  assert.ok(memoryKept(zeros(8), context) < 0.5);
  assert.equal((await runCheck(KEEP_MEMORY, zeros, { ...quiet, context })).reason, "check.below_threshold");
  const erase = (H: number) => [...Array(H).fill(-10), ...Array(H).fill(-10), ...Array(2 * H).fill(0)];
  assert.ok(memoryKept(erase(8), context) < 0.01, "a shut forget gate erases the memory");
  const short = await runCheck(KEEP_MEMORY, () => [1, 2, 3], { ...quiet, context });
  assert.match(short.text(), /the bias must be an array of 4 × 8 = 32 finite numbers/);
});
