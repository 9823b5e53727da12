import assert from "node:assert/strict";
import { discountedReturns } from "@lib/rl/mod.ts";

Deno.test("discountedReturns: G[t] = r[t] + γ·G[t+1], by hand", () => {
  assert.deepEqual(discountedReturns([1, 2, 3], 1), [6, 5, 3]);
  assert.deepEqual(discountedReturns([1, 2, 3], 0), [1, 2, 3]);
  const g = discountedReturns([0.1, 0.1, -1], 0.9);
  const expected = [0.1 + 0.9 * 0.1 + 0.81 * -1, 0.1 + 0.9 * -1, -1];
  g.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `${g} vs ${expected}`));
  assert.deepEqual(discountedReturns([0, 0], 0.5, 4), [1, 2], "the bootstrap value is discounted like a reward");
  assert.deepEqual(discountedReturns([], 0.9), []);
});

Deno.test("discountedReturns: the flag-only return halves every step back with γ = 0.5", () => {
  assert.deepEqual(discountedReturns([0, 0, 0, 1], 0.5), [0.125, 0.25, 0.5, 1]);
});

Deno.test("discountedReturns rejects bad input", () => {
  assert.throws(() => discountedReturns([1], 1.5), {
    message: "Cannot compute returns as gamma must be in [0, 1]: current value is 1.5",
  });
  assert.throws(() => discountedReturns([1, NaN], 0.9), {
    message: "Cannot compute returns as every reward must be finite: rewards[1] is NaN",
  });
  assert.throws(() => discountedReturns([1], 0.9, Infinity), {
    message: "Cannot compute returns as bootstrap must be finite: current value is Infinity",
  });
});
