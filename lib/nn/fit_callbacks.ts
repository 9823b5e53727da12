/**
 * Callbacks for tfjs's `model.fit`, for the notebooks that train a `tf.sequential` network (the digit MLP and CNN):
 * the same progress bar and live chart as lib/nn's training loop, and the same stop from the notebook
 * (Kernel ▸ Interrupt ends the cell with {@link TrainingStopped} instead of killing the kernel).
 *
 * @module
 */
import type { tf } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { progress } from "../notebook/progress.ts";
import { TrainingStopped, watchInterrupt } from "./train.ts";

/** Settings of {@link fitCallbacks}. */
export interface FitCallbackOptions {
  /** The `epochs` given to `fit`. */
  epochs: number;
  /** Batches per epoch: `Math.ceil(examples / batchSize)` (the progress bar's total is epochs × this). */
  stepsPerEpoch: number;
  /** Show a progress bar: true, or its label. Default true. */
  progress?: boolean | string;
  /**
   * A live chart, e.g. lib/plot's `LiveChart`: `batch` (mean loss of the last `chartEvery` batches) and, at the end
   * of each epoch, `train` (fit's `loss`) and `val` (its `val_loss`, when there is validation data).
   */
  chart?: { push(x: number, values: Record<string, number>): unknown };
  /** Batches per `batch` point on the chart (default 10). */
  chartEvery?: number;
  /** The model being fitted: with it, Kernel ▸ Interrupt stops `fit` after the current batch. */
  model?: { stopTraining: boolean };
}

/**
 * Callbacks that show `model.fit`'s progress as lib/nn's training loop shows its own.
 *
 * @param options Epochs and batches per epoch (for the bar), chart, and the model (for the stop).
 * @returns Callbacks to pass as `fit`'s `callbacks`.
 * @throws {RangeError} When epochs, stepsPerEpoch or chartEvery is not a positive integer.
 * @example
 * ```ts
 * import { tf } from "@lib/core/mod.ts";
 * import { fitCallbacks } from "@lib/nn/mod.ts";
 * import assert from "node:assert/strict";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * const points: Record<string, number>[] = [];
 * const chart = { push: (_: number, v: Record<string, number>) => points.push(v) };
 * const [x, y] = [tf.ones([8, 1]), tf.ones([8, 1])];
 * const callbacks = fitCallbacks({ epochs: 2, stepsPerEpoch: 2, chart, chartEvery: 2, progress: false, model });
 * await model.fit(x, y, { epochs: 2, batchSize: 4, callbacks, verbose: 0 });
 * assert.deepEqual(points.map((p) => Object.keys(p)), [["batch"], ["train"], ["batch"], ["train"]]);
 * ```
 */
export function fitCallbacks(options: FitCallbackOptions): tf.CustomCallbackArgs {
  checkPositiveInteger(options.epochs, "epochs", "make fit callbacks");
  checkPositiveInteger(options.stepsPerEpoch, "stepsPerEpoch", "make fit callbacks");
  const chartEvery = options.chartEvery ?? 10;
  checkPositiveInteger(chartEvery, "chartEvery", "make fit callbacks");
  const { chart, model } = options;
  const total = options.epochs * options.stepsPerEpoch;
  const label = typeof options.progress === "string" ? options.progress : "fit";
  const show = options.progress ?? true;
  let bar: ReturnType<typeof progress> | null = null;
  let interrupt: ReturnType<typeof watchInterrupt> | null = null;
  let step = 0, chartSum = 0, chartN = 0;
  return {
    onTrainBegin: () => {
      [step, chartSum, chartN] = [0, 0, 0];
      bar = show ? progress(total, { label }) : null;
      if (model) interrupt = watchInterrupt();
    },
    onBatchEnd: async (_batch, logs) => {
      step += 1;
      const loss = logs?.loss;
      if (loss !== undefined) {
        bar?.set({ loss: Number(loss.toFixed(4)) });
        [chartSum, chartN] = [chartSum + loss, chartN + 1];
      }
      bar?.advance();
      if (chart && chartN >= chartEvery) {
        await chart.push(step, { batch: chartSum / chartN });
        [chartSum, chartN] = [0, 0];
      }
      if (model && interrupt?.stopped) model.stopTraining = true;
    },
    onEpochEnd: async (_epoch, logs) => {
      const values: Record<string, number> = {};
      if (logs?.loss !== undefined) values.train = logs.loss;
      if (logs?.val_loss !== undefined) values.val = logs.val_loss;
      if (chart && Object.keys(values).length) await chart.push(step, values);
    },
    onTrainEnd: async () => {
      const stopped = interrupt?.stopped ?? false;
      interrupt?.close();
      interrupt = null;
      await bar?.done();
      if (stopped && step < total) throw new TrainingStopped(step, false);
    },
  };
}
