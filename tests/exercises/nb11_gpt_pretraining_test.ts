import assert from "node:assert/strict";
import { runCheck } from "@lib/exercises/check.ts";
import { BIGRAM_LOSS, PARAM_COUNT, TOP_P } from "@lib/exercises/nb11_gpt_pretraining.ts";
import { BigramModel } from "@lib/ml/bigram.ts";
import { countParams, GPT, POEM_GPT, sampleLogits } from "@lib/gpt/mod.ts";
import { Prng } from "@lib/core/mod.ts";

const quiet = { log: () => {} };

Deno.test("11-bigram-loss: the reference equals BigramModel.loss; the usual slips get their hints", async () => {
  const stream = [0, 1, 2, 0, 1, 1, 0, 2, 2, 1, 0];
  const model = new BigramModel(3).fit(stream);
  const counts = [0, 1, 2].map((a) => [0, 1, 2].map((b) => model.count(a, b)));
  const heldOut = [1, 0, 2, 2, 0];
  for (const k of [0.01, 0.5, 1]) {
    assert.ok(Math.abs(BIGRAM_LOSS.reference(counts, heldOut, k) - model.loss(heldOut, k)) < 1e-12);
  }
  const row = (c: number[][], a: number) => c[a].reduce((s, x) => s + x, 0);
  const plusK = (c: number[][], ids: number[], k: number) =>
    -ids.slice(1).reduce((s, b, i) => s + Math.log((c[ids[i]][b] + k) / (row(c, ids[i]) + k)), 0) / (ids.length - 1);
  assert.match((await runCheck(BIGRAM_LOSS, plusK, quiet)).text(), /grows by k·V, not by k/);
  const total = (c: number[][], ids: number[], k: number) => BIGRAM_LOSS.reference(c, ids, k) * (ids.length - 1);
  assert.match((await runCheck(BIGRAM_LOSS, total, quiet)).text(), /divide by the number of pairs/);
  const bits = (c: number[][], ids: number[], k: number) => BIGRAM_LOSS.reference(c, ids, k) / Math.LN2;
  assert.match((await runCheck(BIGRAM_LOSS, bits, quiet)).text(), /in bits/);
  assert.ok((await runCheck(BIGRAM_LOSS, BIGRAM_LOSS.reference, quiet)).reason !== "");
  const own = (c: number[][], ids: number[], k: number) => BIGRAM_LOSS.reference(c, [...ids], k);
  assert.equal((await runCheck(BIGRAM_LOSS, own, quiet)).passed, true);
});

Deno.test("11-top-p: the reference is what sampleLogits draws from; slips are named", async () => {
  const probs = [0.1, 0.6, 0.05, 0.25];
  const nucleus = TOP_P.reference(probs, 0.9);
  assert.deepEqual(nucleus.map((p) => +p.toFixed(6)), [0.105263, 0.631579, 0, 0.263158]);
  const prng = new Prng(2), seen = new Set<number>();
  for (let i = 0; i < 500; i++) seen.add(sampleLogits(probs.map(Math.log), { topP: 0.9 }, prng));
  assert.deepEqual([...seen].sort(), [0, 1, 3]);
  const raw = (p: number[], top: number) => TOP_P.reference(p, top).map((x, i) => (x > 0 ? p[i] : 0));
  assert.match((await runCheck(TOP_P, raw, quiet)).text(), /divide them by their sum/);
  const strict = (p: number[], top: number) => {
    const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]), keep = new Set<number>();
    let sum = 0;
    for (const i of order) {
      if (sum + p[i] > top) break; // stops before crossing p: one too few
      keep.add(i), sum += p[i];
    }
    return p.map((x, i) => (keep.has(i) ? x / sum : 0));
  };
  assert.match((await runCheck(TOP_P, strict, quiet)).text(), /including the one that crosses it/);
  const mine = (p: number[], top: number) => {
    const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]), keep = new Set<number>();
    let sum = 0;
    for (const i of order) {
      if (sum >= top) break;
      keep.add(i), sum += p[i];
    }
    return p.map((x, i) => (keep.has(i) ? x / sum : 0));
  };
  assert.equal((await runCheck(TOP_P, mine, quiet)).passed, true);
});

Deno.test("11-param-count: the reference counts the tensors; untied head, positions, LayerNorms are diagnosed", async () => {
  const model = new GPT(POEM_GPT.full.config);
  assert.equal(PARAM_COUNT.reference(POEM_GPT.full.config), model.numParams());
  model.dispose();
  assert.equal(
    PARAM_COUNT.reference({ vocabSize: 50257, blockSize: 1024, nLayer: 12, nEmbd: 768, bias: true }),
    124_439_808,
  );
  const gpt3 = PARAM_COUNT.reference({ vocabSize: 50257, blockSize: 2048, nLayer: 96, nEmbd: 12288, bias: true });
  assert.ok(Math.abs(gpt3 / 175e9 - 1) < 0.01, `GPT-3: ${gpt3}`);
  type C = Parameters<typeof PARAM_COUNT.reference>[0];
  const untied = (c: C) => PARAM_COUNT.reference(c) + c.vocabSize * c.nEmbd;
  assert.match((await runCheck(PARAM_COUNT, untied, quiet)).text(), /weight tying/);
  const noPositions = (c: C) => PARAM_COUNT.reference(c) - c.blockSize * c.nEmbd;
  assert.match((await runCheck(PARAM_COUNT, noPositions, quiet)).text(), /position embedding is missing/);
  const byHand = (c: C) => {
    const { vocabSize: v, blockSize: t, nLayer: l, nEmbd: d, bias } = c;
    const block = 12 * d * d + (bias ? 13 * d : 2 * d);
    return v * d + t * d + l * block + (bias ? 2 * d : d);
  };
  assert.equal((await runCheck(PARAM_COUNT, byHand, quiet)).passed, true);
  const handedBack = (c: C) => countParams({ ...c, nHead: 1 });
  assert.equal((await runCheck(PARAM_COUNT, handedBack, quiet)).passed, true); // a new function is the learner's own
  assert.equal((await runCheck(PARAM_COUNT, countParams as unknown as (c: C) => number, quiet)).passed, false);
});
