import assert from "node:assert/strict";
import { LEVELS, MarioWorld, runEpisode, standingCells, successCurve, successRate } from "@lib/rl/mod.ts";
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

Deno.test("standingCells: every air cell with ground below, left of the flag; successRate can start from them", () => {
  const world = new MarioWorld(LEVELS.tiny);
  const cells = standingCells(world);
  assert.deepEqual(cells, [0, 1, 2, 4, 5].map((x) => ({ x, y: 1, rise: 0 })));
  const level = new MarioWorld(LEVELS["1-1"]);
  const all = standingCells(level);
  assert.ok(all.length > level.starts.length);
  for (const s of all) assert.ok(level.isSolid(s.x, s.y + 1) && s.x < level.flagColumn);
  // running two cells at a time hops over the gap from columns 0, 2, 4 and 5; from column 1 it lands over it
  const report = successRate(world, () => "run", { episodes: 50, seed: 1, starts: cells });
  assert.equal(report.outcomes.flag + report.outcomes.fell, 50);
  assert.ok(report.outcomes.flag > 0 && report.outcomes.fell > 0, JSON.stringify(report.outcomes));
  assert.equal(successRate(world, () => "run", { episodes: 5, starts: [{ x: 1, y: 1, rise: 0 }] }).rate, 0);
  assert.equal(successRate(world, () => "run", { episodes: 5, starts: [{ x: 2, y: 1, rise: 0 }] }).rate, 1);
});

Deno.test("successRate rejects empty or invalid starts", () => {
  const world = new MarioWorld(LEVELS.tiny);
  assert.throws(() => successRate(world, hop, { starts: [] }), {
    message: "Cannot measure a success rate as starts must be a non-empty array of states: current value is []",
  });
  assert.throws(() => successRate(world, hop, { starts: [{ x: 3, y: 2, rise: 0 }] }), {
    message: "Cannot measure a success rate from starts[0] as y must be an integer in [0, 2) (the bottom row is " +
      "ground): current value is 2",
  });
});

Deno.test("successCurve tests the policy as it is at each test, every `every` episodes and after the last", () => {
  const world = new MarioWorld(LEVELS.tiny);
  let good = false; // the "training": the policy becomes the hop after episode 3
  const { curve, afterEpisode } = successCurve(world, (s) => (good ? hop(s) : "left"), 7, { every: 3, episodes: 4 });
  for (let e = 0; e < 7; e++) {
    if (e === 3) good = true;
    afterEpisode(e);
  }
  assert.deepEqual(curve, { episode: [3, 6, 7], rate: [0, 1, 1] });
  const fromCell = successCurve(world, () => "run", 1, { every: 1, starts: [{ x: 1, y: 1, rise: 0 }] });
  fromCell.afterEpisode(0);
  assert.deepEqual(fromCell.curve.rate, [0]);
});

Deno.test("successCurve rejects bad counts", () => {
  const world = new MarioWorld(LEVELS.tiny);
  assert.throws(() => successCurve(world, hop, 10, { every: 0 }), {
    message: "Cannot record a success curve as every must be a positive integer: current value is 0",
  });
  assert.throws(() => successCurve(world, hop, 1.5, { every: 1 }), {
    message: "Cannot record a success curve as total must be a positive integer: current value is 1.5",
  });
  assert.throws(() => successCurve(world, hop, 10, { every: 2, episodes: -1 }), {
    message: "Cannot record a success curve as episodes must be a positive integer: current value is -1",
  });
});
