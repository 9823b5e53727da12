import assert from "node:assert/strict";
import {
  FLAG_ONLY_REWARD,
  greedyPolicy,
  LEVELS,
  type MarioState,
  MarioWorld,
  QLearningAgent,
  stateValueGrid,
  successRate,
  trainQLearning,
} from "@lib/rl/mod.ts";

/** Q* by value iteration over the deterministic rules: the fixed point Q-learning should reach. */
function optimalQ(world: MarioWorld, gamma: number): Map<number, number[]> {
  const states: MarioState[] = [];
  for (let rise = 0; rise <= world.jumpHeight; rise++) {
    for (let y = 0; y < world.height - 1; y++) {
      for (let x = 0; x < world.width; x++) {
        if (!world.isSolid(x, y) && !world.isFlag(x, y)) states.push({ x, y, rise });
      }
    }
  }
  const q = new Map(states.map((s) => [world.stateIndex(s), [0, 0, 0, 0]]));
  const r = world.reward;
  for (let sweep = 0; sweep < 200; sweep++) {
    for (const s of states) {
      const row = q.get(world.stateIndex(s))!;
      for (let a = 0; a < 4; a++) {
        const { state, outcome } = world.transition(s, a);
        const reward = r.progress * (state.x - s.x) + r.step + (outcome === "fell" ? r.fall : 0) +
          (outcome === "flag" ? r.flag : 0);
        row[a] = reward + (outcome === "running" ? gamma * Math.max(...q.get(world.stateIndex(state))!) : 0);
      }
    }
  }
  return q;
}

Deno.test("QLearningAgent.update is the Q-learning rule, by hand", () => {
  const agent = new QLearningAgent(3, 2, { alpha: 0.5, gamma: 0.9, epsilon: 0 });
  agent.update(1, 0, 2, 2, false);
  assert.equal(agent.value(1, 0), 0.5 * 2);
  agent.update(0, 1, 0, 1, false); // target 0 + 0.9 · max(1, 0)
  assert.equal(agent.value(0, 1), 0.5 * 0.9);
  const error = agent.update(0, 1, 1, 1, true); // terminal: no future term
  assert.ok(Math.abs(error - (1 - 0.45)) < 1e-12);
  assert.ok(Math.abs(agent.value(0, 1) - (0.45 + 0.5 * 0.55)) < 1e-12);
  assert.deepEqual(agent.values(1), [1, 0]);
});

Deno.test("QLearningAgent: ε = 1 explores uniformly, ε = 0 is greedy, ties break at random", () => {
  const agent = new QLearningAgent(1, 4, { epsilon: 1, seed: 3 });
  agent.update(0, 2, 1, 0, true);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 4000; i++) counts[agent.act(0)]++;
  for (const c of counts) assert.ok(Math.abs(c - 1000) < 120, `${counts}`);
  agent.epsilon = 0;
  for (let i = 0; i < 50; i++) assert.equal(agent.act(0), 2);
  const tie = new QLearningAgent(1, 4, { epsilon: 0, seed: 4 });
  const seen = new Set(Array.from({ length: 100 }, () => tie.greedy(0)));
  assert.equal(seen.size, 4);
});

Deno.test("Q-learning converges to Q* on the tiny map and always reaches the flag", () => {
  const world = new MarioWorld(LEVELS.tiny, { seed: 1 });
  const agent = new QLearningAgent(world.numStates, world.numActions, { alpha: 0.5, gamma: 0.9, seed: 2 });
  trainQLearning(world, agent, 2000, { epsilonStart: 0.5, epsilonEnd: 0.1 });
  const qStar = optimalQ(world, 0.9);
  const start = world.stateIndex(world.starts[0]);
  const best = Math.max(...agent.values(start));
  const bestStar = Math.max(...qStar.get(start)!);
  assert.ok(Math.abs(best - bestStar) < 1e-6, `learned ${best} vs Q* ${bestStar}`);
  // Along the greedy path every chosen action is optimal under Q*.
  const ep = successRate(world, greedyPolicy(world, agent), { episodes: 20 });
  assert.equal(ep.rate, 1);
  assert.equal(ep.meanSteps, 3, "the shortest path: run, run (over the one-cell gap), run");
});

Deno.test("Q-learning: dense reward learns 1-3 in 300 episodes, flag-only does not (seeded)", () => {
  const rate = (reward?: typeof FLAG_ONLY_REWARD) => {
    const world = new MarioWorld(LEVELS["1-3"], { seed: 1337, reward });
    const agent = new QLearningAgent(world.numStates, world.numActions, { alpha: 0.5, gamma: 0.95, seed: 1338 });
    trainQLearning(world, agent, 300, { epsilonStart: 0.3, epsilonEnd: 0.05 });
    return successRate(world, greedyPolicy(world, agent), { episodes: 100, seed: 7 }).rate;
  };
  const dense = rate(), flagOnly = rate(FLAG_ONLY_REWARD);
  assert.ok(dense >= 0.9, `dense ${dense}`);
  assert.ok(flagOnly < 0.2, `flag-only ${flagOnly}`);
});

Deno.test("trainQLearning: the ε schedule, the callback and the history", () => {
  const world = new MarioWorld(LEVELS.tiny, { seed: 1 });
  const agent = new QLearningAgent(world.numStates, world.numActions, { seed: 2 });
  const seen: number[] = [];
  const h = trainQLearning(world, agent, 11, { epsilonStart: 1, epsilonEnd: 0, onEpisode: (e) => seen.push(e) });
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(agent.epsilon, 0);
  assert.equal(h.totalRewards.length, 11);
  assert.ok(h.steps.every((n) => n >= 1 && n <= world.maxSteps));
});

Deno.test("QLearningAgent and trainQLearning reject bad options, states and actions", () => {
  const msg = (m: string) => ({ name: "RangeError", message: m });
  assert.throws(
    () => new QLearningAgent(0, 4),
    msg("Cannot create a Q-learning agent as numStates must be a positive integer: current value is 0"),
  );
  assert.throws(
    () => new QLearningAgent(4, 4, { alpha: 0 }),
    msg("Cannot create a Q-learning agent as alpha must be in (0, 1]: current value is 0"),
  );
  assert.throws(
    () => new QLearningAgent(4, 4, { gamma: 1.1 }),
    msg("Cannot create a Q-learning agent as gamma must be in [0, 1]: current value is 1.1"),
  );
  assert.throws(
    () => new QLearningAgent(4, 4, { epsilon: -0.1 }),
    msg("Cannot set epsilon as it must be in [0, 1]: current value is -0.1"),
  );
  assert.throws(
    () => new QLearningAgent(4, 4, { initialValue: NaN }),
    msg("Cannot create a Q-learning agent as initialValue must be finite: current value is NaN"),
  );
  const agent = new QLearningAgent(4, 2);
  assert.throws(() => agent.act(4), msg("Cannot act as state must be an integer in [0, 4): current value is 4"));
  assert.throws(
    () => agent.value(0, 2),
    msg("Cannot read a Q-value as action must be an integer in [0, 2): current value is 2"),
  );
  assert.throws(
    () => agent.update(0, 0, NaN, 1, false),
    msg("Cannot update a Q-value as the reward must be finite: current value is NaN"),
  );
  const world = new MarioWorld(LEVELS.tiny);
  assert.throws(
    () => trainQLearning(world, agent, 10),
    msg(
      "Cannot train a Q-learning agent as its table is 4×2 and the world has 84 states and 4 actions: they must match",
    ),
  );
  assert.throws(
    () => trainQLearning(world, new QLearningAgent(84, 4), 0),
    msg("Cannot train a Q-learning agent as episodes must be a positive integer: current value is 0"),
  );
});

Deno.test("stateValueGrid maps max Q of each standing cell; blocked cells get the map's minimum", () => {
  const world = new MarioWorld(LEVELS.tiny, { seed: 1, reward: FLAG_ONLY_REWARD });
  const agent = new QLearningAgent(world.numStates, world.numActions, { alpha: 0.5, gamma: 0.9, seed: 2 });
  trainQLearning(world, agent, 2000, { epsilonStart: 0.5, epsilonEnd: 0.1 });
  const grid = stateValueGrid(world, agent);
  assert.equal(grid.length, 3);
  assert.equal(grid[0].length, 7);
  assert.equal(grid[1][0], Math.max(...agent.values(world.stateIndex({ x: 0, y: 1, rise: 0 }))));
  const low = Math.min(...grid.flat());
  assert.deepEqual([grid[0][6], grid[2][0], grid[2][3]], [low, low, low], "flag, ground and gap");
  assert.ok(grid[1][4] > grid[1][0], "with the flag-only reward, closer to the flag is worth more (γ^steps)");
  assert.throws(() => stateValueGrid(world, new QLearningAgent(4, 4)), {
    message: "Cannot map state values as the agent's table is 4×4 and the world has 84 states and 4 actions: " +
      "they must match",
  });
});

Deno.test("trainQLearning reports every step to onStep: the state it left, the action, what the step returned", () => {
  const world = new MarioWorld(LEVELS.tiny, { seed: 3 });
  const agent = new QLearningAgent(world.numStates, world.numActions, { epsilon: 0.3, seed: 4 });
  const seen: { from: MarioState; action: number; to: MarioState; done: boolean }[] = [];
  const history = trainQLearning(world, agent, 20, {
    onStep: (from, action, step) => seen.push({ from, action, to: step.state, done: step.done }),
  });
  assert.equal(seen.length, history.steps.reduce((a, b) => a + b, 0));
  assert.equal(seen.filter((s) => s.done).length, 20);
  for (const { from, action, to } of seen) assert.deepEqual(world.transition(from, action).state, to);
  seen.forEach((s, i) => {
    if (i > 0 && !seen[i - 1].done) assert.deepEqual(s.from, seen[i - 1].to, `step ${i} starts where ${i - 1} ended`);
  });
});

Deno.test("trainQLearning's evaluate option returns the greedy success curve in the history", () => {
  const world = new MarioWorld(LEVELS["1-3"], { seed: 5 });
  const agent = new QLearningAgent(world.numStates, world.numActions, { seed: 6 });
  const h = trainQLearning(world, agent, 110, { epsilonStart: 0.3, epsilonEnd: 0.05, evaluate: { every: 50 } });
  assert.deepEqual(h.success!.episode, [50, 100, 110]);
  assert.equal(h.success!.rate.at(-1), successRate(world, greedyPolicy(world, agent), { episodes: 50 }).rate);
  assert.equal(trainQLearning(world, agent, 2).success, undefined);
});
