import assert from "node:assert/strict";
import { HiddenMarkovModel } from "@lib/ml/hmm.ts";

const hmm = new HiddenMarkovModel({
  start: [0.6, 0.3, 0.1],
  transition: [[0.7, 0.2, 0.1], [0.3, 0.5, 0.2], [0.2, 0.3, 0.5]],
  emission: [[0.5, 0.4, 0.1], [0.1, 0.3, 0.6], [0.3, 0.3, 0.4]],
});

/** Every hidden path with its joint probability p(path, observations), by brute force. */
function allPaths(obs: number[]): [number[], number][] {
  let paths: number[][] = [[]];
  for (let t = 0; t < obs.length; t++) paths = paths.flatMap((p) => [0, 1, 2].map((s) => [...p, s]));
  return paths.map((p) => {
    let prob = hmm.start[p[0]] * hmm.emission[p[0]][obs[0]];
    for (let t = 1; t < obs.length; t++) prob *= hmm.transition[p[t - 1]][p[t]] * hmm.emission[p[t]][obs[t]];
    return [p, prob];
  });
}

const obs = [0, 2, 1, 2, 2, 0];

Deno.test("forward log-likelihood equals the sum over all hidden paths", () => {
  const total = allPaths(obs).reduce((s, [, p]) => s + p, 0);
  assert.ok(Math.abs(hmm.forward(obs).logLikelihood - Math.log(total)) < 1e-12);
  assert.equal(hmm.forward(obs).logAlpha.length, obs.length);
});

Deno.test("Viterbi finds the most probable path found by brute force", () => {
  const [bestPath, bestProb] = allPaths(obs).reduce((a, b) => (b[1] > a[1] ? b : a));
  const { path, logProbability } = hmm.viterbi(obs);
  assert.deepEqual(path, bestPath);
  assert.ok(Math.abs(logProbability - Math.log(bestProb)) < 1e-12);
});

Deno.test("long sequences do not underflow", () => {
  const { observations } = hmm.sample(5000, 1);
  const ll = hmm.forward(observations).logLikelihood;
  assert.ok(Number.isFinite(ll) && ll < -1000, `log-likelihood ${ll}`);
  assert.equal(hmm.viterbi(observations).path.length, 5000);
});

Deno.test("sample is reproducible by seed", () => {
  assert.deepEqual(hmm.sample(20, 4), hmm.sample(20, 4));
});

Deno.test("HiddenMarkovModel names bad parameters and bad sequences", () => {
  assert.throws(
    () => new HiddenMarkovModel({ start: [0.5, 0.6], transition: [[1, 0], [0, 1]], emission: [[1], [1]] }),
    {
      name: "RangeError",
      message:
        "Cannot create HiddenMarkovModel as start must hold probabilities >= 0 summing to 1: current value is [0.5,0.6]",
    },
  );
  assert.throws(() => new HiddenMarkovModel({ start: [1, 0], transition: [[1, 0]], emission: [[1], [1]] }), {
    message: "Cannot create HiddenMarkovModel as transition must be 2×2 (one row and column per state)",
  });
  assert.throws(() => hmm.forward([]), {
    message: "Cannot run the forward algorithm as observations is empty: need at least one symbol",
  });
  assert.throws(() => hmm.viterbi([0, 3]), {
    message: "Cannot run Viterbi as observations[1] must be a symbol index in 0..2: current value is 3",
  });
});
