import assert from "node:assert/strict";
import { cosineLr, linearLr } from "@lib/nn/mod.ts";

Deno.test("cosineLr: warmup, cosine, floor (nanoGPT's get_lr)", () => {
  const s = { lr: 1e-3, warmupIters: 100, decayIters: 2000, minLr: 1e-4 };
  assert.ok(Math.abs(cosineLr(0, s) - 1e-3 / 101) < 1e-15);
  assert.equal(cosineLr(100, s), 1e-3);
  assert.ok(Math.abs(cosineLr(1050, s) - 5.5e-4) < 1e-12);
  assert.equal(cosineLr(2000, s), 1e-4);
  for (let i = 101; i < 2000; i += 50) assert.ok(cosineLr(i, s) <= cosineLr(i - 1, s));
});

Deno.test("linearLr: warmup, straight line down, floor", () => {
  const s = { lr: 1e-3, warmupIters: 9, decayIters: 109, minLr: 1e-4 };
  assert.ok(Math.abs(linearLr(0, s) - 1e-4) < 1e-15);
  assert.equal(linearLr(9, s), 1e-3);
  assert.ok(Math.abs(linearLr(59, s) - 5.5e-4) < 1e-12);
  assert.equal(linearLr(500, s), 1e-4);
  for (let i = 10; i < 109; i++) assert.ok(linearLr(i, s) < linearLr(i - 1, s));
});
