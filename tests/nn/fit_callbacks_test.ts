import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { setKernelDisplay } from "@lib/notebook/mod.ts";
import { fitCallbacks } from "@lib/nn/mod.ts";

function tinyModel(): tf.Sequential {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: "meanSquaredError" });
  return model;
}

Deno.test("fitCallbacks: the chart gets batch means and per-epoch train/val losses; the bar counts every batch", async () => {
  const model = tinyModel();
  const x = tf.linspace(-1, 1, 20).reshape([20, 1]), y = tf.mul(x, 2);
  const points: [number, Record<string, number>][] = [];
  const lines: string[] = [];
  const log = console.log;
  console.log = (line: string) => void lines.push(line);
  try {
    const callbacks = fitCallbacks({
      epochs: 3,
      stepsPerEpoch: 4, // 16 training examples after the 20% validation split, batches of 4
      chart: { push: (step, v) => void points.push([step, v]) },
      chartEvery: 2,
      progress: "digits",
    });
    await model.fit(x, y, { epochs: 3, batchSize: 4, validationSplit: 0.2, callbacks, verbose: 0 });
  } finally {
    console.log = log;
  }
  const epochs = points.filter(([, v]) => "train" in v);
  assert.deepEqual(epochs.map(([s, v]) => [s, Object.keys(v)]), [[4, ["train", "val"]], [8, ["train", "val"]], [
    12,
    ["train", "val"],
  ]]);
  assert.deepEqual(points.filter(([, v]) => "batch" in v).map(([s]) => s), [2, 4, 6, 8, 10, 12]);
  assert.ok(epochs[2][1].train < epochs[0][1].train);
  assert.match(lines.at(-1)!, /^digits: done 12\/12 \(100%\)/);
  tf.dispose([x, y]);
  model.dispose();
});

Deno.test("fitCallbacks: in the kernel, Kernel ▸ Interrupt stops fit after the batch and ends with TrainingStopped", async () => {
  const listeners = new Set<() => void>();
  const [add, remove] = [Deno.addSignalListener, Deno.removeSignalListener];
  Object.assign(Deno, {
    addSignalListener: (signal: string, fn: () => void) => signal === "SIGINT" && listeners.add(fn),
    removeSignalListener: (_signal: string, fn: () => void) => listeners.delete(fn),
  });
  setKernelDisplay(() => Promise.resolve());
  const model = tinyModel();
  const x = tf.ones([16, 1]), y = tf.ones([16, 1]);
  let batches = 0;
  try {
    const callbacks = [
      { onBatchEnd: () => void (++batches === 6 && [...listeners].forEach((f) => f())) }, // the learner interrupts
      fitCallbacks({ epochs: 5, stepsPerEpoch: 4, progress: false, model }),
    ];
    await assert.rejects(model.fit(x, y, { epochs: 5, batchSize: 4, callbacks, verbose: 0 }), {
      name: "TrainingStopped",
      message:
        "Training stopped at step 6: no checkpoint is kept, but the model in memory keeps what it learned so far",
    });
    assert.ok(batches <= 8, `fit stopped at the end of its epoch, after ${batches} batches`);
    assert.equal(listeners.size, 0);
  } finally {
    Object.assign(Deno, { addSignalListener: add, removeSignalListener: remove });
    setKernelDisplay(null);
    tf.dispose([x, y]);
    model.dispose();
  }
});

Deno.test("fitCallbacks: bad counts get clear messages", () => {
  assert.throws(() => fitCallbacks({ epochs: 0, stepsPerEpoch: 1 }), {
    name: "RangeError",
    message: "Cannot make fit callbacks as epochs must be a positive integer: current value is 0",
  });
  assert.throws(() => fitCallbacks({ epochs: 1, stepsPerEpoch: 1, chartEvery: 0 }), {
    message: "Cannot make fit callbacks as chartEvery must be a positive integer: current value is 0",
  });
});
