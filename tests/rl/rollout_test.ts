import assert from "node:assert/strict";
import { LEVELS, MarioWorld, runEpisode, successRate } from "@lib/rl/mod.ts";
import { Prng } from "@lib/core/mod.ts";

const hop = (s: { x: number; y: number }) => (s.x === 2 && s.y === 1 ? "jump" : "run");

Deno.test("runEpisode records states, actions and rewards until the end", () => {
  const world = new MarioWorld(LEVELS.tiny);
  const ep = runEpisode(world, hop, 0);
  assert.equal(ep.outcome, "flag");
  assert.equal(ep.states.length, ep.actions.length + 1);
  assert.deepEqual(ep.actions, [2, 3, 2, 2]);
  assert.equal(ep.rewards.length, 4);
  assert.ok(Math.abs(ep.totalReward - (0.6 + 1)) < 1e-12, `${ep.totalReward}`);
  assert.deepEqual(ep.states[0], { x: 0, y: 1, rise: 0 });
});

Deno.test("runEpisode stops at the time limit and accepts a start state", () => {
  const world = new MarioWorld(LEVELS.tiny, { maxSteps: 5 });
  const ep = runEpisode(world, () => "left", { x: 1, y: 1, rise: 0 });
  assert.equal(ep.outcome, "timeout");
  assert.equal(ep.actions.length, 5);
});

Deno.test("successRate: a random policy sometimes reaches the flag, seeded", () => {
  const world = new MarioWorld(LEVELS["1-1"]);
  const rate = (seed: number) => {
    const rng = new Prng(seed);
    return successRate(world, () => rng.int(4), { episodes: 200, seed });
  };
  const a = rate(3);
  assert.deepEqual(a, rate(3));
  assert.ok(a.rate > 0.05 && a.rate < 0.6, `random success ${a.rate}`);
  assert.equal(a.outcomes.flag + a.outcomes.fell + a.outcomes.timeout, 200);
  assert.ok(Number.isNaN(successRate(world, () => "left", { episodes: 3 }).meanSteps));
});

Deno.test("runEpisode and successRate reject bad policies and counts", () => {
  const world = new MarioWorld(LEVELS.tiny);
  assert.throws(() => runEpisode(world, () => "duck" as never), {
    message: "Cannot run an episode as action must be one of left, right, run, jump or an index in [0, 4): " +
      'current value is "duck"',
  });
  assert.throws(() => runEpisode(world, "right" as never), {
    name: "TypeError",
    message: "Cannot run an episode as the policy must be a function: current value is right",
  });
  assert.throws(() => successRate(world, hop, { episodes: 0 }), {
    message: "Cannot measure a success rate as episodes must be a positive integer: current value is 0",
  });
});
