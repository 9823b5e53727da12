import assert from "node:assert/strict";
import { cosineLr, linearLr, oneCycleLr } from "@lib/nn/mod.ts";

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

Deno.test("oneCycleLr: cosine rise to maxLr at pctStart, cosine fall to maxLr / 25 / 1e4 at the last step", () => {
  const s = { maxLr: 3e-3, totalIters: 1000 };
  assert.ok(Math.abs(oneCycleLr(0, s) - 3e-3 / 25) < 1e-15);
  const peak = Math.round(0.3 * 999);
  assert.equal(oneCycleLr(peak, s), 3e-3);
  for (let i = 1; i <= peak; i++) assert.ok(oneCycleLr(i, s) > oneCycleLr(i - 1, s));
  for (let i = peak + 1; i < 1000; i++) assert.ok(oneCycleLr(i, s) < oneCycleLr(i - 1, s));
  assert.ok(Math.abs(oneCycleLr(999, s) - 3e-3 / 25 / 1e4) < 1e-15);
  assert.equal(oneCycleLr(5000, s), oneCycleLr(999, s));
  const mid = Math.round((peak + 999) / 2); // half-way down the cosine: about the mean of peak and end
  assert.ok(Math.abs(oneCycleLr(mid, s) - (3e-3 + 3e-3 / 25 / 1e4) / 2) < 1e-5);
  assert.throws(() => oneCycleLr(0, { maxLr: 0, totalIters: 10 }), /maxLr must be > 0/);
  assert.throws(() => oneCycleLr(0, { maxLr: 1, totalIters: 10, pctStart: 1 }), /pctStart in \(0, 1\)/);
});
