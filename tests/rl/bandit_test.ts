import assert from "node:assert/strict";
import { Bandit, banditTestbed, EpsilonGreedyAgent, movingAverage, runBandit, runningMean } from "@lib/rl/mod.ts";
import { Prng } from "@lib/core/mod.ts";

const MEANS = [0.2, -0.5, 1.5, 0.4, 1.0];

Deno.test("Bandit pays noisy rewards around each arm's mean", () => {
  const bandit = new Bandit(MEANS, { std: 1, seed: 3 });
  for (let arm = 0; arm < MEANS.length; arm++) {
    let sum = 0;
    for (let i = 0; i < 4000; i++) sum += bandit.pull(arm);
    assert.ok(Math.abs(sum / 4000 - MEANS[arm]) < 0.06, `arm ${arm}: mean ${sum / 4000} vs ${MEANS[arm]}`);
  }
  assert.equal(bandit.bestArm, 2);
});

Deno.test("Bandit is deterministic for a seed", () => {
  const a = new Bandit(MEANS, { seed: 9 }), b = new Bandit(MEANS, { seed: 9 }), c = new Bandit(MEANS, { seed: 10 });
  const pulls = (x: Bandit) => [0, 1, 2, 3, 4].map((arm) => x.pull(arm));
  const pa = pulls(a);
  assert.deepEqual(pa, pulls(b));
  assert.notDeepEqual(pa, pulls(c));
});

Deno.test("EpsilonGreedyAgent keeps the running average of each arm's rewards", () => {
  const agent = new EpsilonGreedyAgent(3, { epsilon: 0 });
  for (const r of [1, 2, 6]) agent.update(2, r);
  agent.update(0, -1);
  assert.deepEqual(agent.values, [-1, 0, 3]);
  assert.deepEqual(agent.counts, [1, 0, 3]);
  assert.equal(agent.act(), 2);
});

Deno.test("EpsilonGreedyAgent with epsilon 1 explores every arm about equally", () => {
  const agent = new EpsilonGreedyAgent(4, { epsilon: 1, seed: 5 });
  agent.update(0, 100);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 4000; i++) counts[agent.act()]++;
  for (const c of counts) assert.ok(Math.abs(c - 1000) < 120, `counts ${counts}`);
});

Deno.test("EpsilonGreedyAgent breaks ties at random", () => {
  const agent = new EpsilonGreedyAgent(3, { epsilon: 0, seed: 4 });
  const seen = new Set<number>();
  for (let i = 0; i < 100; i++) seen.add(agent.act());
  assert.deepEqual([...seen].sort(), [0, 1, 2]);
});

Deno.test("runBandit: epsilon-greedy learns the best arm and estimates its value", () => {
  const bandit = new Bandit(MEANS, { seed: 11 });
  const run = runBandit(bandit, new EpsilonGreedyAgent(MEANS.length, { epsilon: 0.1, seed: 12 }), 2000);
  const lateOptimal = runningMean(run.optimal.slice(-500)).at(-1)!;
  assert.ok(lateOptimal > 0.85, `optimal fraction in the last 500 steps: ${lateOptimal}`);
  assert.ok(Math.abs(run.values[2] - 1.5) < 0.15, `estimate of the best arm: ${run.values[2]}`);
  const avg = runningMean(run.rewards).at(-1)!;
  assert.ok(avg > 1.2, `average reward ${avg}`);
});

Deno.test("runBandit: a purely greedy agent can lock onto a worse arm, epsilon-greedy does better on average", () => {
  let greedy = 0, explorer = 0;
  const seeds = new Prng(21);
  for (let task = 0; task < 50; task++) {
    const means = Array.from({ length: 5 }, () => seeds.normal());
    const seedA = seeds.tfSeed(), seedB = seeds.tfSeed();
    greedy += runningMean(
      runBandit(new Bandit(means, { seed: seedA }), new EpsilonGreedyAgent(5, { epsilon: 0, seed: seedB }), 500)
        .optimal,
    ).at(-1)!;
    explorer += runningMean(
      runBandit(new Bandit(means, { seed: seedA }), new EpsilonGreedyAgent(5, { epsilon: 0.1, seed: seedB }), 500)
        .optimal,
    ).at(-1)!;
  }
  assert.ok(
    explorer > greedy + 5,
    `optimal-action rate summed over 50 tasks: greedy ${greedy}, epsilon 0.1 ${explorer}`,
  );
});

Deno.test("runningMean averages booleans and numbers", () => {
  assert.deepEqual(runningMean([true, false, false, true]), [1, 0.5, 1 / 3, 0.5]);
  assert.deepEqual(runningMean([]), []);
});

Deno.test("movingAverage averages the trailing window", () => {
  assert.deepEqual(movingAverage([1, 2, 3, 4, 5], 3), [1, 1.5, 2, 3, 4]);
  assert.deepEqual(movingAverage([1, 2, 3], 1), [1, 2, 3]);
  assert.deepEqual(movingAverage([4, 2], 10), [4, 3]);
});

Deno.test("banditTestbed: same problems for every epsilon, exploration beats greed, results repeat with the seed", () => {
  const greedy = banditTestbed({ epsilon: 0, tasks: 200, pulls: 500, seed: 5 });
  const explore = banditTestbed({ epsilon: 0.1, tasks: 200, pulls: 500, seed: 5 });
  assert.deepEqual(
    banditTestbed({ epsilon: 0.1, tasks: 20, pulls: 50, seed: 5 }),
    banditTestbed({ epsilon: 0.1, tasks: 20, pulls: 50, seed: 5 }),
  );
  // The first pull of a fresh agent has all estimates tied at 0: it is uniform, whatever epsilon is.
  assert.ok(
    Math.abs(greedy.optimal[0] - 0.1) < 0.06 && Math.abs(explore.optimal[0] - 0.1) < 0.06,
    `${greedy.optimal[0]} ${explore.optimal[0]}`,
  );
  const late = (c: number[]) => c.slice(-100).reduce((a, b) => a + b, 0) / 100;
  assert.ok(late(explore.optimal) > late(greedy.optimal) + 0.2, `${late(explore.optimal)} vs ${late(greedy.optimal)}`);
  assert.ok(late(explore.reward) > late(greedy.reward));
  assert.ok(greedy.optimal.every((v) => v >= 0 && v <= 1));
});

Deno.test("Bandit, agent and runBandit reject bad arguments with clear messages", () => {
  assert.throws(() => new Bandit([]), {
    name: "RangeError",
    message: "Cannot create a bandit as means must be a non-empty array: current value is ",
  });
  assert.throws(() => new Bandit([1, NaN]), {
    name: "RangeError",
    message: "Cannot create a bandit as every mean must be finite: means[1] is NaN",
  });
  assert.throws(() => new Bandit([1], { std: -1 }), {
    name: "RangeError",
    message: "Cannot create a bandit as std must be a finite number >= 0: current value is -1",
  });
  assert.throws(() => new Bandit([1, 2]).pull(2), {
    name: "RangeError",
    message: "Cannot pull an arm as arm must be an integer in [0, 2): current value is 2",
  });
  assert.throws(() => new EpsilonGreedyAgent(0), {
    name: "RangeError",
    message: "Cannot create an agent as arms must be a positive integer: current value is 0",
  });
  assert.throws(() => new EpsilonGreedyAgent(2, { epsilon: 1.5 }), {
    name: "RangeError",
    message: "Cannot create an agent as epsilon must be in [0, 1]: current value is 1.5",
  });
  assert.throws(() => new EpsilonGreedyAgent(2, { initialValue: Infinity }), {
    name: "RangeError",
    message: "Cannot create an agent as initialValue must be finite: current value is Infinity",
  });
  assert.throws(() => new EpsilonGreedyAgent(2).update(-1, 0), {
    name: "RangeError",
    message: "Cannot update an arm as arm must be an integer in [0, 2): current value is -1",
  });
  assert.throws(() => new EpsilonGreedyAgent(2).update(0, NaN), {
    name: "RangeError",
    message: "Cannot update an arm as the reward must be finite: current value is NaN",
  });
  assert.throws(() => runBandit(new Bandit([1, 2]), new EpsilonGreedyAgent(2), 0), {
    name: "RangeError",
    message: "Cannot run a bandit as steps must be a positive integer: current value is 0",
  });
  assert.throws(() => movingAverage([1], 0), {
    name: "RangeError",
    message: "Cannot smooth a series as window must be a positive integer: current value is 0",
  });
  assert.throws(() => banditTestbed({ tasks: 0 }), {
    name: "RangeError",
    message: "Cannot run the bandit testbed as tasks must be a positive integer: current value is 0",
  });
  assert.throws(() => banditTestbed({ arms: 2.5 }), {
    name: "RangeError",
    message: "Cannot run the bandit testbed as arms must be a positive integer: current value is 2.5",
  });
  assert.throws(() => runBandit(new Bandit([1, 2]), new EpsilonGreedyAgent(3), 5), {
    name: "RangeError",
    message: "Cannot run a bandit as the agent has 3 arms and the bandit 2: they must match",
  });
});
