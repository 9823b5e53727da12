import assert from "node:assert/strict";
import { BigramModel, tuneAddK } from "@lib/ml/bigram.ts";

Deno.test("BigramModel counts adjacent pairs and smooths them with add-k", () => {
  const m = new BigramModel(3).fit([0, 1, 0, 1, 0, 2]);
  assert.equal(m.count(0, 1), 2);
  assert.equal(m.count(1, 0), 2);
  assert.equal(m.count(2, 0), 0);
  assert.equal(m.rowCount(0), 3);
  assert.equal(m.distinctPairs, 3);
  assert.equal(m.prob(0, 2, 0), 1 / 3);
  assert.equal(m.prob(2, 0, 0.5), 0.5 / 1.5); // a row never seen: uniform
  for (const k of [0.01, 1]) {
    for (const a of [0, 1, 2]) {
      const p = m.probs(a, k);
      assert.ok(Math.abs(p.reduce((s, x) => s + x, 0) - 1) < 1e-12);
      p.forEach((x, b) => assert.ok(Math.abs(x - m.prob(a, b, k)) < 1e-15));
    }
  }
});

Deno.test("BigramModel.loss is the mean negative log-probability of the pairs, by hand", () => {
  const m = new BigramModel(3).fit([0, 1, 0, 1, 0, 2]);
  const k = 0.1;
  const byHand =
    -(Math.log((2 + k) / (3 + 3 * k)) + Math.log((2 + k) / (2 + 3 * k)) + Math.log((0 + k) / (3 + 3 * k))) /
    3;
  assert.ok(Math.abs(m.loss([0, 1, 0, 0], k) - byHand) < 1e-12);
  assert.equal(m.loss([1, 2], 0), Infinity); // an unseen pair without smoothing
});

Deno.test("tuneAddK finds the smallest held-out loss; too little and too much smoothing both lose", () => {
  const train = Array.from({ length: 400 }, (_, i) => i % 10); // 0 1 2 … 9 0 1 …
  const val = [...Array.from({ length: 50 }, (_, i) => i % 10), 5, 3, 8, 1]; // mostly seen pairs, a few new ones
  const m = new BigramModel(10).fit(train);
  const t = tuneAddK(m, val, [1e-4, 1e-2, 1, 100]);
  assert.deepEqual(t.curve.map((c) => c.k), [1e-4, 1e-2, 1, 100]);
  assert.equal(t.loss, Math.min(...t.curve.map((c) => c.loss)));
  assert.ok(t.k > 1e-4 && t.k < 100, `best k ${t.k}`);
  assert.equal(tuneAddK(m, val).curve.length, 17);
});

Deno.test("BigramModel.sample draws from the smoothed rows, seeded, never a banned id", () => {
  const m = new BigramModel(4).fit([0, 1, 2, 3, 0, 1, 2, 3]);
  const a = m.sample(0, 20, 1e-3, 7, [0]);
  assert.deepEqual(a, m.sample(0, 20, 1e-3, 7, [0]));
  assert.ok(!a.includes(0));
  assert.deepEqual(m.sample(3, 3, 1e-9, 1), [0, 1, 2]);
});

Deno.test("BigramModel rejects bad input with messages that say what is wrong", () => {
  assert.throws(() => new BigramModel(0), /vocabSize must be a positive integer: current value is 0/);
  const m = new BigramModel(3);
  assert.throws(() => m.loss([0, 1], 1), /before fit\(\)/);
  assert.throws(() => m.fit([0, 3]), /token 1 is 3: ids must be integers in \[0, 3\)/);
  m.fit([0, 1, 2]);
  assert.throws(() => m.loss([0], 1), /fewer than 2 tokens: current length is 1/);
  assert.throws(() => m.prob(0, 1, -1), /k must be a finite number >= 0: current value is -1/);
  assert.throws(() => tuneAddK(m, [0, 1], []), /no values/);
});
