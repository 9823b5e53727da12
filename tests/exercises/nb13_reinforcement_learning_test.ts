import assert from "node:assert/strict";
import { runCheck } from "@lib/exercises/check.ts";
import { DISCOUNTED_RETURNS, Q_UPDATE } from "@lib/exercises/nb13_reinforcement_learning.ts";
import { discountedReturns, QLearningAgent } from "@lib/rl/mod.ts";

const quiet = { log: () => {} };

Deno.test("13-discounted-returns: the reference is lib/rl's discountedReturns; a hand-written loop passes", async () => {
  assert.deepEqual(DISCOUNTED_RETURNS.reference([0, 0, 1], 0.5), [0.25, 0.5, 1]);
  const byHand = (rewards: number[], gamma: number) => {
    const out: number[] = [];
    let g = 0;
    for (let t = rewards.length - 1; t >= 0; t--) out[t] = g = rewards[t] + gamma * g;
    return out;
  };
  assert.equal((await runCheck(DISCOUNTED_RETURNS, byHand, quiet)).passed, true);
  // the sum over powers, written the other way round, passes too
  const powers = (rewards: number[], gamma: number) =>
    rewards.map((_, t) => rewards.slice(t).reduce((s, r, k) => s + gamma ** k * r, 0));
  assert.equal((await runCheck(DISCOUNTED_RETURNS, powers, quiet)).passed, true);
  assert.equal((await runCheck(DISCOUNTED_RETURNS, discountedReturns, quiet)).reason, "check.reference");
});

Deno.test("13-discounted-returns: undiscounted, forward and absolute-power returns get their own hints", async () => {
  const hint = async (f: (r: number[], g: number) => unknown) => (await runCheck(DISCOUNTED_RETURNS, f, quiet)).text();
  const undiscounted = (r: number[]) => r.map((_, t) => r.slice(t).reduce((s, v) => s + v, 0));
  assert.match(await hint(undiscounted), /multiply the later rewards by γ/);
  const forward = (r: number[], g: number) => {
    const out: number[] = [];
    r.forEach((v, t) => out.push(v + (t > 0 ? g * out[t - 1] : 0)));
    return out;
  };
  assert.match(await hint(forward), /rewards that came before each step/);
  const absolute = (r: number[], g: number) => r.map((_, t) => r.slice(t).reduce((s, v, k) => s + g ** (t + k) * v, 0));
  assert.match(await hint(absolute), /counts steps from t, not from the start/);
  assert.match(await hint((r: number[]) => r.reduce((s, v) => s + v, 0)), /Expected an array/);
});

Deno.test("13-q-update: the reference equals QLearningAgent.update; a hand-written update passes", async () => {
  const agent = new QLearningAgent(2, 4, { alpha: 0.5, gamma: 0.9, epsilon: 0 });
  agent.q.set([0.2, 0.8, 0.5, 0.1], 4);
  agent.update(0, 0, 0.1, 1, false);
  assert.ok(Math.abs(Q_UPDATE.reference(0, 0.1, [0.2, 0.8, 0.5, 0.1], false, 0.5, 0.9) - agent.value(0, 0)) < 1e-12);
  assert.ok(Math.abs(agent.value(0, 0) - 0.5 * (0.1 + 0.9 * 0.8)) < 1e-12);
  const byHand = (q: number, r: number, next: number[], terminal: boolean, alpha: number, gamma: number) =>
    q + alpha * (r + (terminal ? 0 : gamma * Math.max(...next)) - q);
  assert.equal((await runCheck(Q_UPDATE, byHand, quiet)).passed, true);
});

Deno.test("13-q-update: a future term after the end, no α, the TD error and a non-max next value get their hints", async () => {
  type F = (q: number, r: number, next: number[], terminal: boolean, alpha: number, gamma: number) => number;
  const hint = async (f: F) => (await runCheck(Q_UPDATE, f, quiet)).text();
  const alwaysFuture: F = (q, r, next, _t, alpha, gamma) => q + alpha * (r + gamma * Math.max(...next) - q);
  assert.match(await hint(alwaysFuture), /ended the episode \(the flag or a gap\)/);
  const noAlpha: F = (_q, r, next, t, _alpha, gamma) => r + (t ? 0 : gamma * Math.max(...next));
  assert.match(await hint(noAlpha), /You returned the target itself/);
  const tdError: F = (q, r, next, t, _alpha, gamma) => r + (t ? 0 : gamma * Math.max(...next)) - q;
  assert.match(await hint(tdError), /That is the TD error/);
  const mean: F = (q, r, next, t, alpha, gamma) =>
    q + alpha * (r + (t ? 0 : gamma * next.reduce((s, v) => s + v, 0) / next.length) - q);
  assert.match(await hint(mean), /use the largest of nextValues/);
  const first: F = (q, r, next, t, alpha, gamma) => q + alpha * (r + (t ? 0 : gamma * next[0]) - q);
  assert.match(await hint(first), /use the largest of nextValues/);
});
