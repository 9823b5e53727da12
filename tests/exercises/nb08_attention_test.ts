import assert from "node:assert/strict";
import { runCheck } from "@lib/exercises/check.ts";
import { ATTENTION_WEIGHTS, CAUSAL_WEIGHTS } from "@lib/exercises/nb08_attention.ts";

const quiet = { log: () => {} };

const softmax = (xs: number[], shift = true) => {
  const m = shift ? Math.max(...xs) : 0, e = xs.map((x) => Math.exp(x - m)), s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
};
const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

Deno.test("08-attention-weights: a softmax of scaled scores passes; unscaled, by d and overflowing get their hints", async () => {
  const mine = (q: number[], keys: number[][]) => softmax(keys.map((k) => dot(q, k) / Math.sqrt(q.length)));
  assert.equal((await runCheck(ATTENTION_WEIGHTS, mine, quiet)).passed, true);
  const unscaled = (q: number[], keys: number[][]) => softmax(keys.map((k) => dot(q, k)));
  assert.match((await runCheck(ATTENTION_WEIGHTS, unscaled, quiet)).text(), /divide each score by √d first/);
  const byD = (q: number[], keys: number[][]) => softmax(keys.map((k) => dot(q, k) / q.length));
  assert.match((await runCheck(ATTENTION_WEIGHTS, byD, quiet)).text(), /square root of d/);
  const noShift = (q: number[], keys: number[][]) => softmax(keys.map((k) => dot(q, k) / Math.sqrt(q.length)), false);
  assert.match((await runCheck(ATTENTION_WEIGHTS, noShift, quiet)).text(), /Subtract the largest/);
});

Deno.test("08-causal-weights: row-wise softmax over j ≤ i passes; the usual slips get their hints", async () => {
  const masked = (keep: (i: number, j: number) => boolean, fill = -Infinity) => (scores: number[][]) =>
    scores.map((row, i) => softmax(row.map((s, j) => (keep(i, j) ? s : fill))));
  assert.equal((await runCheck(CAUSAL_WEIGHTS, masked((i, j) => j <= i), quiet)).passed, true);
  assert.match((await runCheck(CAUSAL_WEIGHTS, masked((i, j) => j >= i), quiet)).text(), /wrong way round/);
  assert.match((await runCheck(CAUSAL_WEIGHTS, masked((i, j) => j <= i, 0), quiet)).text(), /must be −∞/);
  assert.match((await runCheck(CAUSAL_WEIGHTS, masked((i, j) => j < i), quiet)).text(), /the diagonal/);
  assert.match((await runCheck(CAUSAL_WEIGHTS, masked(() => true), quiet)).text(), /Block the columns/);
});
