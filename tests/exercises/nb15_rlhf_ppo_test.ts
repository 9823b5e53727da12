import assert from "node:assert/strict";
import { runCheck } from "@lib/exercises/check.ts";
import { CLIPPED_OBJECTIVE, GAE_ADVANTAGES } from "@lib/exercises/nb15_rlhf_ppo.ts";
import { gae } from "@lib/rlhf/mod.ts";

const quiet = { log: () => {} };

Deno.test("15-gae: the reference is lib/rlhf's gae; λ left out, the returns and a wrong length are diagnosed", async () => {
  assert.deepEqual(GAE_ADVANTAGES.reference([0, 0, 1], [0, 0, 0], 1, 1), gae([0, 0, 1], [0, 0, 0], 1, 1).advantages);
  const right = (r: number[], v: number[], g: number, l: number) => {
    const out: number[] = [];
    let next = 0;
    for (let t = r.length - 1; t >= 0; t--) out[t] = next = r[t] + g * (v[t + 1] ?? 0) - v[t] + g * l * next;
    return out;
  };
  assert.equal((await runCheck(GAE_ADVANTAGES, right, quiet)).passed, true);
  const noLambda = (r: number[], v: number[], g: number) => right(r, v, g, 1);
  assert.match((await runCheck(GAE_ADVANTAGES, noLambda, quiet)).text(), /multiply the carried A by γ·λ/);
  const returns = (r: number[], v: number[], g: number, l: number) => right(r, v, g, l).map((a, t) => a + v[t]);
  assert.match((await runCheck(GAE_ADVANTAGES, returns, quiet)).text(), /These are the returns/);
  const short = (r: number[], v: number[], g: number, l: number) => right(r, v, g, l).slice(1);
  assert.match((await runCheck(GAE_ADVANTAGES, short, quiet)).text(), /one advantage per step/);
});

Deno.test("15-clipped-objective: the max (or no clip) and the clip alone are diagnosed", async () => {
  const clip = (r: number, e: number) => Math.min(Math.max(r, 1 - e), 1 + e);
  const right = (r: number, a: number, e: number) => Math.min(r * a, clip(r, e) * a);
  assert.equal((await runCheck(CLIPPED_OBJECTIVE, right, quiet)).passed, true);
  assert.equal(CLIPPED_OBJECTIVE.reference(1.5, 2, 0.2), 2.4);
  assert.equal(CLIPPED_OBJECTIVE.reference(1.5, -2, 0.2), -3);
  const max = (r: number, a: number, e: number) => Math.max(r * a, clip(r, e) * a);
  assert.match((await runCheck(CLIPPED_OBJECTIVE, max, quiet)).text(), /larger of the two terms/);
  const clipOnly = (r: number, a: number, e: number) => clip(r, e) * a;
  assert.match((await runCheck(CLIPPED_OBJECTIVE, clipOnly, quiet)).text(), /The clipped term alone/);
  const noClip = (r: number, a: number) => r * a;
  assert.match((await runCheck(CLIPPED_OBJECTIVE, noClip, quiet)).text(), /larger of the two terms/);
});
