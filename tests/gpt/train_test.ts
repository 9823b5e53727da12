import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { setKernelDisplay } from "@lib/notebook/mod.ts";
import { estimateLoss, getBatch, GPT, GPT_TINY, trainGpt, type TrainState, trainStep } from "@lib/gpt/mod.ts";
import { AdamW } from "@lib/nn/mod.ts";

/** Synthetic text: a repeating pattern with a little noise, over the tiny vocabulary. */
function corpus(n: number, seed = 1): number[] {
  const prng = new Prng(seed);
  return Array.from({ length: n }, (_, i) => (prng.next() < 0.1 ? prng.int(11) : (i * 3) % 11));
}

Deno.test("getBatch: y is x shifted by one; same generator, same batch", () => {
  const data = Array.from({ length: 40 }, (_, i) => i);
  const { x, y } = getBatch(data, 5, 3, new Prng(2));
  assert.deepEqual(x.shape, [3, 5]);
  assert.equal(x.dtype, "int32");
  const [xs, ys] = [x.arraySync(), y.arraySync()];
  xs.forEach((row, b) => assert.deepEqual(ys[b], row.map((t) => t + 1)));
  assert.deepEqual(getBatch(data, 5, 3, new Prng(2)).x.arraySync(), xs);
  assert.throws(() => getBatch([1, 2, 3], 3, 1, new Prng()), {
    name: "RangeError",
    message: "Cannot draw a batch as the data has 3 tokens: it needs at least blockSize + 1 = 4",
  });
});

Deno.test("trainStep: leaves the tensor count unchanged (100 steps, dropout and clipping on)", async () => {
  const model = new GPT({ ...GPT_TINY, dropout: 0.1 });
  const opt = new AdamW(model.params);
  const data = corpus(300);
  const prng = new Prng(3);
  const step = async () => {
    const { x, y } = getBatch(data, 8, 4, prng);
    await trainStep(model, opt, x, y, { lr: 1e-3, gradClip: 1, seed: prng });
    tf.dispose([x, y]);
  };
  await step(); // creates the optimizer moments and the mask cache
  const before = tf.memory().numTensors;
  for (let i = 0; i < 100; i++) await step();
  assert.equal(tf.memory().numTensors, before);
  opt.dispose();
  model.dispose();
});

Deno.test("trainGpt: learns a pattern (val loss falls far below ln V), reports to callbacks and chart", async () => {
  const model = new GPT(GPT_TINY);
  const steps: number[] = [], evals: number[] = [], chart: number[] = [], batches: number[] = [];
  const run = await trainGpt(model, { train: corpus(2000, 1), val: corpus(500, 2) }, {
    maxIters: 150,
    batchSize: 8,
    lr: 1e-2,
    warmupIters: 10,
    evalInterval: 50,
    evalIters: 4,
    progress: false,
    onStep: (s) => void steps.push(s.iter),
    onEval: (e) => void evals.push(e.iter),
    chart: { push: (x, v) => "batch" in v ? batches.push(x) : chart.push(x) },
    chartEvery: 50,
  });
  assert.deepEqual(steps, Array.from({ length: 150 }, (_, i) => i));
  assert.deepEqual(evals, [0, 50, 100, 150]);
  assert.deepEqual(chart, evals);
  assert.deepEqual(batches, [50, 100, 150]);
  assert.equal(run.losses.length, 150);
  const first = run.evals[0], last = run.evals.at(-1)!;
  assert.ok(Math.abs(first.val! - Math.log(11)) < 0.3, `initial val ${first.val}`);
  assert.ok(last.val! < 1.0, `final val ${last.val}`); // noise floor of the pattern is about 0.5
  run.opt.dispose();
  model.dispose();
});

Deno.test("trainGpt: resuming from a checkpoint continues the same loss curve", async () => {
  const data = { train: corpus(1000, 4), val: corpus(300, 5) };
  const options = {
    maxIters: 20,
    batchSize: 4,
    lr: 5e-3,
    warmupIters: 3,
    evalInterval: 10,
    evalIters: 2,
    progress: false,
  };
  // uninterrupted run, with a checkpoint (state + weights) at step 8
  const a = new GPT({ ...GPT_TINY, dropout: 0.1 }, 9);
  let saved: { state: TrainState; weights: Map<string, Float32Array> } | null = null;
  const full = await trainGpt(a, data, {
    ...options,
    checkpointInterval: 8,
    onCheckpoint: (state) => {
      if (state.iter !== 8) return;
      const weights = new Map([...a.params].map(([n, p]) => [n, (p.dataSync() as Float32Array).slice()]));
      saved = { state: structuredClone(state), weights };
    },
  });
  // a fresh model (different init), loaded from the checkpoint, resumed
  const b = new GPT({ ...GPT_TINY, dropout: 0.1 }, 10);
  for (const [n, w] of saved!.weights) b.params.get(n)!.assign(tf.tensor(w, b.params.get(n)!.shape));
  const resumed = await trainGpt(b, data, { ...options, resumeFrom: saved!.state });
  assert.equal(resumed.losses.length, 20);
  assert.deepEqual(resumed.losses, full.losses);
  assert.deepEqual(resumed.evals, full.evals);
  for (const [n, p] of a.params) assert.deepEqual(b.params.get(n)!.dataSync(), p.dataSync(), n);
  [full.opt, resumed.opt, a, b].forEach((x) => x.dispose());
});

Deno.test("trainGpt: onStep returning false stops; bad options get clear errors", async () => {
  const model = new GPT(GPT_TINY);
  const train = corpus(100);
  const run = await trainGpt(model, { train }, {
    maxIters: 50,
    batchSize: 2,
    progress: false,
    evalInterval: 0,
    onStep: (s) => s.iter < 4,
  });
  assert.equal(run.iter, 5);
  run.opt.dispose();
  await assert.rejects(() => trainGpt(model, { train }, { maxIters: 0 }), {
    name: "RangeError",
    message: "Cannot train as maxIters must be a positive integer: current value is 0",
  });
  await assert.rejects(
    () => trainGpt(model, { train }, { lr: -1 }),
    /lr must be a positive number: current value is -1/,
  );
  await assert.rejects(() => trainGpt(model, { train }, { evalIters: 1.5 }), /evalIters must be an integer >= 0/);
  await assert.rejects(() => trainGpt(model, { train: [1, 2] }, { progress: false }), /the data has 2 tokens/);
  model.dispose();
});

Deno.test("estimateLoss: deterministic for a seed, one value per split", async () => {
  const model = new GPT(GPT_TINY);
  const splits = { train: corpus(200, 1), val: corpus(200, 2) };
  const a = await estimateLoss(model, splits, { evalIters: 3, batchSize: 2 });
  assert.deepEqual(Object.keys(a), ["train", "val"]);
  assert.deepEqual(await estimateLoss(model, splits, { evalIters: 3, batchSize: 2 }), a);
  model.dispose();
});

Deno.test("trainGpt: a custom batch source with loss weights (fine-tuning style)", async () => {
  const model = new GPT(GPT_TINY);
  const seen: number[] = [];
  // learn only the answer token after the prompt [1, 2, 3]: weights mask the prompt positions out
  const batch = (iter: number) => {
    seen.push(iter);
    return {
      x: tf.tensor2d([[1, 2, 3, 7]], [1, 4], "int32"),
      y: tf.tensor2d([[2, 3, 7, 0]], [1, 4], "int32"),
      weights: tf.tensor2d([[0, 0, 1, 0]]),
    };
  };
  tf.dispose(Object.values(model.forward(tf.tensor2d([[1, 2, 3, 7]], [1, 4], "int32")))); // caches the [4, 4] mask
  const before = tf.memory().numTensors;
  const run = await trainGpt(model, { train: [] }, {
    maxIters: 40,
    lr: 1e-2,
    warmupIters: 0,
    evalInterval: 0,
    progress: false,
    batch,
  });
  run.opt.dispose(); // its moments are tensors on wasm and GPUs
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(seen, Array.from({ length: 40 }, (_, i) => i));
  assert.ok(run.losses[39] < run.losses[0] / 4, `${run.losses[0]} → ${run.losses[39]}`);
  const probs = tf.softmax(model.forward(tf.tensor2d([[1, 2, 3]], [1, 3], "int32")).logits).arraySync() as number[][][];
  assert.ok(probs[0][2][7] > 0.5); // the answer after the prompt
  model.dispose();
});

Deno.test("trainGpt: in the kernel, SIGINT (Kernel ▸ Interrupt) stops at a step, saves, and says how to resume", async () => {
  // deno test handles a real SIGINT itself, so capture the listener trainGpt registers and call it as the kernel would.
  const listeners = new Set<() => void>();
  const [add, remove] = [Deno.addSignalListener, Deno.removeSignalListener];
  Object.assign(Deno, {
    addSignalListener: (signal: string, fn: () => void) => signal === "SIGINT" && listeners.add(fn),
    removeSignalListener: (_signal: string, fn: () => void) => listeners.delete(fn),
  });
  setKernelDisplay(() => Promise.resolve()); // inJupyter() is true, as in a notebook
  const model = new GPT(GPT_TINY);
  const saved: number[] = [];
  const before = tf.memory().numTensors;
  try {
    const train = Array.from({ length: 200 }, (_, i) => i % 11);
    await assert.rejects(
      trainGpt(model, { train }, {
        maxIters: 50,
        batchSize: 2,
        evalInterval: 0,
        progress: false,
        onCheckpoint: (s) => void saved.push(s.iter),
        onStep: ({ iter }) => {
          assert.equal(listeners.size, 1, "one SIGINT listener while training");
          if (iter === 4) { for (const fn of listeners) fn(); }
        },
      }),
      (error: Error) => {
        assert.equal(error.name, "TrainingStopped");
        assert.equal(error.message, "Training stopped at step 5: run the cell again to resume from there");
        assert.equal(error.stack, error.message);
        return true;
      },
    );
    assert.deepEqual(saved, [5], "the checkpoint holds the step training reached");
    assert.equal(listeners.size, 0, "the listener is removed when training ends");
    assert.equal(tf.memory().numTensors, before, "the optimizer was freed");
  } finally {
    Object.assign(Deno, { addSignalListener: add, removeSignalListener: remove });
    setKernelDisplay(null);
    model.dispose();
  }
});

Deno.test("trainGpt: outside the kernel SIGINT keeps its usual meaning (no listener)", async () => {
  const [add] = [Deno.addSignalListener];
  let registered = 0;
  Object.assign(Deno, { addSignalListener: () => registered++ });
  const model = new GPT(GPT_TINY);
  try {
    const run = await trainGpt(model, { train: corpus(100) }, {
      maxIters: 2,
      batchSize: 2,
      evalInterval: 0,
      progress: false,
    });
    run.opt.dispose();
    assert.equal(registered, 0);
  } finally {
    Object.assign(Deno, { addSignalListener: add });
    model.dispose();
  }
});
