import assert from "node:assert/strict";
import {
  LEVELS,
  MarioWorld,
  ReinforceAgent,
  reinforcePolicy,
  runEpisode,
  successRate,
  trainReinforce,
} from "@lib/rl/mod.ts";
import { tf } from "@lib/core/mod.ts";
import { DISPLAY } from "@lib/notebook/display.ts";

await tf.ready();

Deno.test("ReinforceAgent: the host forward used for acting equals the tensor forward", () => {
  const agent = new ReinforceAgent(5, 3, { hidden: 7, seed: 3 });
  const xs = [[1, 0, -1, 0.5, 2], [0, 0, 0, 0, 0], [0.3, -0.2, 1, 1, -1]];
  const { probs, values } = tf.tidy(() => {
    const out = agent.forward(tf.tensor2d(xs));
    return { probs: tf.softmax(out.logits).arraySync() as number[][], values: out.value.arraySync() as number[] };
  });
  xs.forEach((x, i) => {
    const p = agent.probabilities(x);
    p.forEach((v, a) => assert.ok(Math.abs(v - probs[i][a]) < 1e-5, `row ${i}: ${p} vs ${probs[i]}`));
    assert.ok(Math.abs(agent.value(x) - values[i]) < 1e-5);
  });
  assert.equal(agent.numParams, 5 * 7 + 7 + 7 * 3 + 3 + 7 + 1);
  agent.dispose();
});

Deno.test("ReinforceAgent starts near uniform and is seeded", () => {
  const a = new ReinforceAgent(4, 4, { seed: 5 }), b = new ReinforceAgent(4, 4, { seed: 5 });
  const x = [1, 0, 1, 0];
  for (const p of a.probabilities(x)) assert.ok(Math.abs(p - 0.25) < 0.02, `${a.probabilities(x)}`);
  assert.deepEqual(a.probabilities(x), b.probabilities(x));
  assert.deepEqual(Array.from({ length: 20 }, () => a.act(x)), Array.from({ length: 20 }, () => b.act(x)));
  a.dispose();
  b.dispose();
});

Deno.test("ReinforceAgent.update makes a rewarded action more likely and a punished one less", async () => {
  const agent = new ReinforceAgent(2, 3, { seed: 6, lr: 0.05, entropyCoef: 0, baseline: false });
  const x = new Float32Array([1, 0]);
  const before = agent.probabilities(x);
  const stats = await agent.update([{ features: [x, x], actions: [1, 2], rewards: [0, 1] }]);
  // plain REINFORCE: A = G = [γ·1, 1] = [0.99, 1]; policyLoss = −mean(A · log π(a))
  const expected = -(0.99 * Math.log(before[1]) + 1 * Math.log(before[2])) / 2;
  assert.ok(Math.abs(stats.policyLoss - expected) < 1e-6, `${stats.policyLoss} vs ${expected}`);
  assert.equal(stats.steps, 2);
  const after = agent.probabilities(x);
  assert.ok(after[2] > before[2] && after[1] > before[1] && after[0] < before[0], `${before} → ${after}`);
  const punished = await agent.update([{ features: [x], actions: [2], rewards: [-1] }]);
  assert.ok(agent.probabilities(x)[2] < after[2]);
  assert.ok(punished.entropy > 0 && punished.entropy <= Math.log(3));
  agent.dispose();
});

Deno.test("ReinforceAgent: the value head learns the return (the baseline)", async () => {
  const agent = new ReinforceAgent(1, 2, { seed: 7, lr: 0.05 });
  const x = new Float32Array([1]);
  for (let i = 0; i < 150; i++) await agent.update([{ features: [x], actions: [i % 2], rewards: [2] }]);
  assert.ok(Math.abs(agent.value(x) - 2) < 0.1, `V = ${agent.value(x)}`);
  agent.dispose();
});

Deno.test("ReinforceAgent.update leaves tf.memory().numTensors unchanged", async () => {
  const world = new MarioWorld(LEVELS.tiny, { seed: 1 });
  const agent = new ReinforceAgent(world.featureSize, world.numActions, { seed: 2 });
  const ep = runEpisode(world, (s) => agent.act(world.features(s)));
  const traj = {
    features: ep.states.slice(0, -1).map((s) => world.features(s)),
    actions: ep.actions,
    rewards: ep.rewards,
  };
  await agent.update([traj]); // the optimizer's first step allocates its moments
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) await agent.update([traj, traj]);
  assert.equal(tf.memory().numTensors, before);
  const n = tf.memory().numTensors;
  agent.dispose();
  assert.equal(tf.memory().numTensors, n - 6, "dispose frees the six parameters");
});

Deno.test("REINFORCE improves on the tiny map (seeded)", async () => {
  const world = new MarioWorld(LEVELS.tiny, { seed: 1 });
  const agent = new ReinforceAgent(world.featureSize, world.numActions, { seed: 2 });
  const before = successRate(world, reinforcePolicy(world, agent, false), { episodes: 100, seed: 9 }).rate;
  const h = await trainReinforce(world, agent, 150);
  const after = successRate(world, reinforcePolicy(world, agent, false), { episodes: 100, seed: 9 }).rate;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(h.totalRewards.slice(-30)) > mean(h.totalRewards.slice(0, 30)) + 0.3, "return per episode grows");
  assert.ok(before < 0.6 && after >= 0.9, `success ${before} → ${after}`);
  assert.equal(successRate(world, reinforcePolicy(world, agent), { episodes: 10 }).rate, 1, "greedy");
  agent.dispose();
});

Deno.test("ReinforceAgent shows a summary", () => {
  const agent = new ReinforceAgent(3, 4, { hidden: 8 });
  assert.equal(
    agent[DISPLAY]()["text/plain"],
    "ReinforceAgent: 3 features → tanh 8 → 4 action logits + 1 value; 77 parameters; γ 0.99, baseline V(s)",
  );
  agent.dispose();
});

Deno.test("ReinforceAgent and trainReinforce reject bad options and input", async () => {
  const msg = (m: string) => ({ message: m });
  assert.throws(
    () => new ReinforceAgent(0, 4),
    msg("Cannot create a REINFORCE agent as inputSize must be a positive integer: current value is 0"),
  );
  assert.throws(
    () => new ReinforceAgent(3, 4, { gamma: 2 }),
    msg("Cannot create a REINFORCE agent as gamma must be in [0, 1]: current value is 2"),
  );
  assert.throws(
    () => new ReinforceAgent(3, 4, { lr: 0 }),
    msg("Cannot create a REINFORCE agent as lr must be a finite number > 0: current value is 0"),
  );
  assert.throws(
    () => new ReinforceAgent(3, 4, { entropyCoef: -1 }),
    msg("Cannot create a REINFORCE agent as entropyCoef must be a finite number ≥ 0: current value is -1"),
  );
  const agent = new ReinforceAgent(2, 2, { hidden: 3 });
  assert.throws(
    () => agent.probabilities([1]),
    msg("Cannot compute action probabilities as the features must have length 2: current length is 1"),
  );
  assert.throws(
    () => agent.act([1, NaN]),
    msg("Cannot compute action probabilities as features[1] must be finite: current value is NaN"),
  );
  await assert.rejects(
    () => agent.update([]),
    msg("Cannot update the policy as episodes must be a non-empty array of trajectories"),
  );
  await assert.rejects(
    () => agent.update([{ features: [[1, 0] as never], actions: [0, 1], rewards: [1] }]),
    msg("Cannot update the policy as episode 0 has 1 feature vectors, 2 actions and 1 rewards: they must be equal"),
  );
  await assert.rejects(
    () => agent.update([{ features: [[1, 0] as never], actions: [2], rewards: [1] }]),
    msg("Cannot update the policy as an action must be an integer in [0, 2): current value is 2"),
  );
  await assert.rejects(
    () => agent.update([{ features: [], actions: [], rewards: [] }]),
    msg("Cannot update the policy as the episodes hold no steps"),
  );
  const world = new MarioWorld(LEVELS.tiny);
  await assert.rejects(
    () => trainReinforce(world, agent, 5),
    msg(
      "Cannot train a REINFORCE agent as it takes 2 features and 2 actions and the world has 34 features and 4 actions: they must match",
    ),
  );
  await assert.rejects(
    () => trainReinforce(world, agent, 5, { batch: 0 }),
    msg("Cannot train a REINFORCE agent as batch must be a positive integer: current value is 0"),
  );
  agent.dispose();
  assert.throws(() => agent.act([1, 0]), msg("Cannot compute action probabilities as the agent has been disposed"));
});

Deno.test("trainReinforce's evaluate option returns the greedy success curve, and the same training as without", async () => {
  const train = async (evaluate?: { every: number }) => {
    const world = new MarioWorld(LEVELS.tiny, { seed: 1 });
    const agent = new ReinforceAgent(world.featureSize, world.numActions, { seed: 2 });
    const h = await trainReinforce(world, agent, 60, { evaluate });
    const last = successRate(world, reinforcePolicy(world, agent), { episodes: 50 }).rate;
    agent.dispose();
    return { h, last };
  };
  const tested = await train({ every: 20 }), plain = await train();
  assert.deepEqual(tested.h.success!.episode, [20, 40, 60]);
  assert.equal(tested.h.success!.rate.at(-1), tested.last);
  assert.deepEqual(tested.h.totalRewards, plain.h.totalRewards, "greedy tests draw no random numbers");
  assert.equal(plain.h.success, undefined);
});
