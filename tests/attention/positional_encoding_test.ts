import assert from "node:assert/strict";
import { sinusoidalPositions } from "@lib/attention/mod.ts";

Deno.test("sinusoidalPositions: the paper's formula, one clock per pair of columns", () => {
  const pe = sinusoidalPositions(50, 8);
  assert.deepEqual(pe.shape, [50, 8]);
  const rows = pe.arraySync();
  for (const p of [0, 1, 7, 49]) {
    for (let i = 0; i < 4; i++) {
      const angle = p / 10000 ** (2 * i / 8);
      assert.ok(Math.abs(rows[p][2 * i] - Math.sin(angle)) < 1e-6, `sin at ${p}, ${i}`);
      assert.ok(Math.abs(rows[p][2 * i + 1] - Math.cos(angle)) < 1e-6, `cos at ${p}, ${i}`);
    }
  }
  // every row has the same norm (√(C/2)): positions differ by direction, not size
  for (const row of rows) assert.ok(Math.abs(Math.hypot(...row) - 2) < 1e-5);
  pe.dispose();
});

Deno.test("sinusoidalPositions: errors name the value", () => {
  assert.throws(() => sinusoidalPositions(0, 8), /length must be a positive integer/);
  assert.throws(() => sinusoidalPositions(4, 7), {
    message: "Cannot create sinusoidal positions as the width must be even: current value is 7",
  });
});
