import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { setKernelDisplay } from "@lib/notebook/mod.ts";
import {
  type Batch,
  epochBatches,
  evaluateLoss,
  type LoopOptions,
  type LoopState,
  SGD,
  type SgdState,
  train,
  TrainingStopped,
  trainStep,
} from "@lib/nn/mod.ts";

/** y = x·w + b with one input and one output: the smallest model that follows the convention's Trainable part. */
function lineModel() {
  const w = tf.variable(tf.zeros([1, 1])), b = tf.variable(tf.zeros([1]));
  const params = new Map([["w", w], ["b", b]]);
  return {
    params,
    forward(x: tf.Tensor, y?: tf.Tensor) {
      return tf.tidy(() => {
        const logits = tf.add(tf.matMul(x as tf.Tensor2D, w), b);
        return { logits, loss: y ? tf.losses.meanSquaredError(y, logits) as tf.Scalar : undefined };
      });
    },
    dispose: () => tf.dispose([w, b]),
  };
}

/** Points of y = 2x + 1 (slope sign −1 makes a split the model gets worse on). */
const line = (sign = 1) => (_: number, prng: Prng): Batch => {
  const xs = Array.from({ length: 16 }, () => prng.uniform(-1, 1));
  return { x: tf.tensor2d(xs, [16, 1]), y: tf.tensor2d(xs.map((v) => sign * 2 * v + 1), [16, 1]) };
};

Deno.test("train: fits a line; every step reported; no tensor leak after the first step", async () => {
  const model = lineModel();
  const opt = new SGD(model.params, { momentum: 0.9 });
  const counts: number[] = [], steps: number[] = [];
  const run = await train({
    model,
    optimizer: opt,
    batches: line(),
    steps: 200,
    lr: 0.05,
    progress: false,
    onStep: (s) => void [counts.push(tf.memory().numTensors), steps.push(s.iter)],
  });
  assert.deepEqual(steps, Array.from({ length: 200 }, (_, i) => i));
  assert.ok(counts.every((n) => n === counts[0]), `tensor counts ${counts[0]} … ${counts.at(-1)}`);
  assert.ok(Math.abs(model.params.get("w")!.dataSync()[0] - 2) < 0.02);
  assert.ok(Math.abs(model.params.get("b")!.dataSync()[0] - 1) < 0.02);
  assert.equal(run.losses.length, 200);
  assert.equal(run.stoppedEarly, false);
  assert.equal(run.optimizer.t, 200);
  opt.dispose();
  model.dispose();
});

Deno.test("train: epochs of shuffled examples, an estimate per epoch on named splits, chart and onEval", async () => {
  const n = 40, xs = Array.from({ length: n }, (_, i) => i / n - 0.5);
  const epochs = epochBatches(n, 8, 3);
  const seen: number[][] = [];
  const batches = (iter: number): Batch => {
    const idx = epochs.indices(iter);
    seen.push(idx);
    return { x: tf.tensor2d(idx.map((i) => xs[i]), [8, 1]), y: tf.tensor2d(idx.map((i) => 2 * xs[i] + 1), [8, 1]) };
  };
  const model = lineModel();
  const opt = new SGD(model.params);
  const chart: [number, string[]][] = [], evals: number[] = [];
  const run = await train({
    model,
    optimizer: opt,
    batches,
    epochs: 3,
    stepsPerEpoch: epochs.stepsPerEpoch,
    lr: 0.3,
    evalSplits: { train: line(), val: line() },
    evalIters: 2,
    chart: { push: (x, v) => chart.push([x, Object.keys(v)]) },
    chartEvery: 5,
    onEval: (e) => void evals.push(e.iter),
    progress: false,
  });
  assert.equal(run.iter, 15);
  for (let e = 0; e < 3; e++) {
    assert.equal(new Set(seen.slice(e * 5, e * 5 + 5).flat()).size, 40, `epoch ${e} sees every example once`);
  }
  assert.notDeepEqual(seen[0], seen[5], "each epoch has its own order");
  assert.deepEqual(evals, [0, 5, 10, 15]);
  assert.deepEqual(run.evals.map((e) => Object.keys(e)), Array(4).fill(["iter", "train", "val"]));
  assert.deepEqual(chart.filter(([, k]) => k[0] === "batch").map(([x]) => x), [5, 10, 15]);
  assert.deepEqual(chart.filter(([, k]) => k[0] === "train").map(([x]) => x), [0, 5, 10, 15]);
  assert.ok(run.evals.at(-1)!.val < run.evals[0].val / 4);
  opt.dispose();
  model.dispose();
});

Deno.test("train: early stopping ends the run when the watched split stops improving", async () => {
  const model = lineModel();
  const opt = new SGD(model.params);
  const run = await train({
    model,
    optimizer: opt,
    batches: line(),
    steps: 500,
    lr: 0.1,
    evalSplits: { val: line(-1) }, // the opposite slope: fitting the train line makes it worse
    evalInterval: 10,
    evalIters: 1,
    earlyStopping: { split: "val", patience: 3 },
    progress: false,
  });
  assert.equal(run.stoppedEarly, true);
  assert.equal(run.evals.length, 4, "the first estimate, then three without improvement");
  assert.equal(run.iter, 30);
  opt.dispose();
  model.dispose();
});

Deno.test("train: a stop from the notebook throws TrainingStopped whose state resumes on the same curve", async () => {
  const options = (model: ReturnType<typeof lineModel>, optimizer: SGD): LoopOptions<SgdState> => ({
    model,
    optimizer,
    batches: line(),
    steps: 30,
    lr: 0.05,
    evalSplits: { val: line() },
    evalInterval: 10,
    evalIters: 1,
    progress: false,
  });
  const a = lineModel(), optA = new SGD(a.params, { momentum: 0.9 });
  const full = await train(options(a, optA));
  // the same run, interrupted at step 12 as Kernel ▸ Interrupt does in the kernel
  const listeners = new Set<() => void>();
  const [add, remove] = [Deno.addSignalListener, Deno.removeSignalListener];
  Object.assign(Deno, {
    addSignalListener: (signal: string, fn: () => void) => signal === "SIGINT" && listeners.add(fn),
    removeSignalListener: (_signal: string, fn: () => void) => listeners.delete(fn),
  });
  setKernelDisplay(() => Promise.resolve());
  const b = lineModel(), optB = new SGD(b.params, { momentum: 0.9 });
  let state: LoopState<SgdState> | undefined;
  try {
    await assert.rejects(
      train({ ...options(b, optB), onStep: ({ iter }) => void (iter === 11 && [...listeners].forEach((f) => f())) }),
      (e: Error) => {
        assert.ok(e instanceof TrainingStopped);
        assert.equal(
          e.message,
          "Training stopped at step 12: no checkpoint is kept, but the model in memory keeps what it learned so far",
        );
        state = e.state as LoopState<SgdState>;
        return true;
      },
    );
  } finally {
    Object.assign(Deno, { addSignalListener: add, removeSignalListener: remove });
    setKernelDisplay(null);
  }
  assert.equal(listeners.size, 0);
  assert.equal(state!.iter, 12);
  const resumed = await train({ ...options(b, optB), resumeFrom: state });
  assert.deepEqual(resumed.losses, full.losses);
  assert.deepEqual(resumed.evals, full.evals);
  assert.deepEqual(b.params.get("w")!.dataSync(), a.params.get("w")!.dataSync());
  [optA, optB, a, b].forEach((x) => x.dispose());
});

Deno.test("train: checkpoints every checkpointInterval steps and at the end, with the optimizer state", async () => {
  const model = lineModel();
  const opt = new SGD(model.params, { momentum: 0.5 });
  const saved: [number, number][] = [];
  await train({
    model,
    optimizer: opt,
    batches: line(),
    steps: 25,
    lr: 0.05,
    checkpointInterval: 10,
    onCheckpoint: (s) => void saved.push([s.iter, s.optimizer.t]),
    progress: false,
  });
  assert.deepEqual(saved, [[10, 10], [20, 20], [25, 25]]);
  opt.dispose();
  model.dispose();
});

Deno.test("trainStep and evaluateLoss: no tensor leak; evaluation is deterministic for a seed", async () => {
  const model = lineModel();
  const opt = new SGD(model.params, { momentum: 0.9 });
  const prng = new Prng(1);
  const step = async () => {
    const { x, y } = line()(0, prng);
    await trainStep(model, opt, x, y, { lr: 0.1, gradClip: 1 });
    tf.dispose([x, y]);
  };
  await step(); // creates the velocities
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) await step();
  assert.equal(tf.memory().numTensors, before);
  const a = await evaluateLoss(model, { val: line() }, { iters: 3 });
  assert.deepEqual(await evaluateLoss(model, { val: line() }, { iters: 3 }), a);
  assert.equal(tf.memory().numTensors, before);
  await assert.rejects(() => evaluateLoss(model, { val: line() }, { iters: 0 }), {
    message: "Cannot estimate the loss as iters must be a positive integer: current value is 0",
  });
  opt.dispose();
  model.dispose();
});

Deno.test("train and epochBatches: bad options get clear messages", async () => {
  const model = lineModel();
  const opt = new SGD(model.params);
  const base = { model, optimizer: opt, batches: line(), lr: 0.1, progress: false };
  await assert.rejects(() => train({ ...base }), {
    name: "RangeError",
    message:
      "Cannot train as exactly one of steps and epochs must be given: current values are undefined and undefined",
  });
  await assert.rejects(() => train({ ...base, steps: 0 }), {
    message: "Cannot train as steps must be a positive integer: current value is 0",
  });
  await assert.rejects(() => train({ ...base, epochs: 2 }), {
    message: "Cannot train as stepsPerEpoch must be a positive integer: current value is undefined",
  });
  await assert.rejects(() => train({ ...base, steps: 5, lr: -1 }), {
    message: "Cannot train as lr must be a positive number: current value is -1",
  });
  await assert.rejects(() => train({ ...base, steps: 5, evalIters: 1.5 }), {
    message: "Cannot train as evalIters must be an integer >= 0: current value is 1.5",
  });
  await assert.rejects(() => train({ ...base, steps: 5, earlyStopping: { split: "val", patience: 2 } }), {
    message: 'Cannot train as early stopping watches split "val", which is never estimated: give it in evalSplits ' +
      "(current splits: none) and an evalInterval > 0 (current value is 0)",
  });
  assert.throws(() => epochBatches(5, 8), {
    message: "Cannot cut epochs into batches as batchSize 8 is larger than the 5 examples",
  });
  assert.throws(() => epochBatches(0, 1), {
    message: "Cannot cut epochs into batches as n must be a positive integer: current value is 0",
  });
  opt.dispose();
  model.dispose();
});

Deno.test("train: a resumed run draws its history on the chart first, so the chart is the uninterrupted run's", async () => {
  const recorder = () => {
    const points: [number, Record<string, number>][] = [];
    return { points, push: (x: number, v: Record<string, number>) => void points.push([x, v]) };
  };
  const options = (model: ReturnType<typeof lineModel>, optimizer: SGD, steps: number) => ({
    model,
    optimizer,
    batches: line(),
    steps,
    lr: 0.05,
    evalSplits: { val: line() },
    evalInterval: 10,
    evalIters: 1,
    chartEvery: 4,
    progress: false,
  });
  const a = lineModel(), optA = new SGD(a.params, { momentum: 0.9 }), whole = recorder();
  await train({ ...options(a, optA, 30), chart: whole });
  const b = lineModel(), optB = new SGD(b.params, { momentum: 0.9 });
  // stopped after 13 steps: mid-group (13 = 3·4 + 1), past an estimate
  const first = await train({ ...options(b, optB, 30), onStep: ({ iter }) => iter < 12 });
  const resumed = recorder();
  await train({ ...options(b, optB, 30), chart: resumed, resumeFrom: first });
  assert.deepEqual(
    resumed.points.map(([x, v]) => [x, Object.keys(v)]),
    whole.points.map(([x, v]) => [x, Object.keys(v)]),
  );
  resumed.points.forEach(([, v], i) => {
    for (const [k, value] of Object.entries(v)) assert.ok(Math.abs(value - whole.points[i][1][k]) < 1e-6, `${i} ${k}`);
  });
  [optA, optB, a, b].forEach((x) => x.dispose());
});
