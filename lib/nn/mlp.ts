/**
 * A multilayer perceptron classifier on tensors: `inputs → hidden[0] → … → hidden[L−1] → classes`, each hidden layer
 * `act(x @ W + b)` with ReLU or tanh, the last one linear (logits), trained with cross-entropy. The tensor twin of the
 * scalar {@link ValueMlp} of value.ts, fast enough for thousands of weights and points; notebook 05 compares shallow
 * and deep ones of the same size with it.
 *
 * Weights start normal with the scale that keeps activations from shrinking or growing layer after layer (He et al.
 * 2015 for ReLU, `√(2/fan_in)`; Glorot and Bengio 2010 for tanh, `√(1/fan_in)`), times `initScale`; biases at 0.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositive, checkPositiveInteger } from "../core/validate.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import { crossEntropy } from "./layers.ts";
import { type ForwardOutput, type Model, type ParamGroup, paramGroups, summaryBundle } from "./model.ts";
import { Linear } from "./modules.ts";
import { Parameters } from "./parameters.ts";

/** Shape of an {@link Mlp}. */
export interface MlpConfig {
  /** Input features. */
  inputs: number;
  /** Width of each hidden layer, input side first (`[]` is a linear model: softmax regression). */
  hidden: readonly number[];
  /** Classes (output logits). */
  classes: number;
  /** Nonlinearity of the hidden layers. */
  activation: "relu" | "tanh";
  /** Multiplies the standard deviation of the initial weights (1 = He or Glorot). */
  initScale: number;
}

/** Defaults: ReLU, He initialisation. */
export const MLP_DEFAULTS: Readonly<Pick<MlpConfig, "activation" | "initScale">> = Object.freeze({
  activation: "relu",
  initScale: 1,
});

function validate(config: MlpConfig): MlpConfig {
  const action = "create an Mlp";
  checkPositiveInteger(config.inputs, "inputs", action);
  checkPositiveInteger(config.classes, "classes", action);
  if (!Array.isArray(config.hidden)) {
    throw new TypeError(`Cannot ${action} as hidden must be an array of widths: got ${String(config.hidden)}`);
  }
  config.hidden.forEach((h, i) => checkPositiveInteger(h, `hidden[${i}]`, action));
  if (config.activation !== "relu" && config.activation !== "tanh") {
    throw new RangeError(
      `Cannot ${action} as activation must be "relu" or "tanh": current value is "${config.activation}"`,
    );
  }
  checkPositive(config.initScale, "initScale", action);
  return Object.freeze({ ...config, hidden: Object.freeze([...config.hidden]) });
}

/**
 * Number of weights and biases of an MLP with these widths, without building it.
 *
 * @param inputs Input features.
 * @param hidden Hidden widths.
 * @param classes Outputs.
 * @returns Σ over layers of (fan_in + 1) · fan_out.
 * @example
 * ```ts
 * import { mlpParamCount } from "@lib/nn/mlp.ts";
 * import assert from "node:assert/strict";
 * assert.equal(mlpParamCount(2, [3], 2), 2 * 3 + 3 + 3 * 2 + 2);
 * ```
 */
export function mlpParamCount(inputs: number, hidden: readonly number[], classes: number): number {
  const widths = [inputs, ...hidden, classes];
  let n = 0;
  for (let l = 1; l < widths.length; l++) n += (widths[l - 1] + 1) * widths[l];
  return n;
}

/**
 * The MLP classifier (model convention of lib/nn/model.ts: named `params`, `forward`, `numParams`, `summary`, a
 * display, `dispose`).
 *
 * @example
 * ```ts
 * import { Mlp } from "@lib/nn/mlp.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const mlp = new Mlp({ inputs: 2, hidden: [8, 8], classes: 2 });
 * const { logits, loss } = mlp.forward(tf.zeros([5, 2]), tf.tensor1d([0, 1, 0, 1, 1], "int32"));
 * assert.deepEqual(logits.shape, [5, 2]);
 * assert.ok(Math.abs(loss!.dataSync()[0] - Math.log(2)) < 1e-6); // zero inputs, zero biases: even odds
 * assert.equal(mlp.numParams(), 2 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2);
 * tf.dispose([logits, loss!]);
 * mlp.dispose();
 * ```
 */
export class Mlp implements Model {
  /** The validated configuration. */
  readonly config: Readonly<MlpConfig>;
  /** Trainable weights by name: `h.0.weight`, `h.0.bias`, …, `out.weight`, `out.bias`. */
  readonly params: Parameters = new Parameters("mlp");
  readonly #layers: Linear[];

  /**
   * @param config `inputs`, `hidden` and `classes`, plus any of {@link MLP_DEFAULTS} to override.
   * @param seed Seed or generator of the initial weights.
   * @throws {RangeError} When a width is not a positive integer, the activation is unknown or initScale ≤ 0.
   */
  constructor(
    config: Pick<MlpConfig, "inputs" | "hidden" | "classes"> & Partial<MlpConfig>,
    seed: number | Prng = SEED,
  ) {
    this.config = validate({ ...MLP_DEFAULTS, ...config });
    const { inputs, hidden, classes, activation, initScale } = this.config;
    const prng = toPrng(seed);
    const widths = [inputs, ...hidden, classes];
    const gain = activation === "relu" ? 2 : 1;
    this.#layers = widths.slice(1).map((out, l) => {
      const fanIn = widths[l];
      const last = l === hidden.length;
      const std = initScale * Math.sqrt((last ? 1 : gain) / fanIn);
      return new Linear(this.params, last ? "out" : `h.${l}`, fanIn, out, { std, seed: prng });
    });
  }

  /** Hidden layers. */
  get depth(): number {
    return this.config.hidden.length;
  }

  /**
   * Logits for a batch, and the mean cross-entropy against the class labels when given.
   *
   * @param x Inputs `[B, inputs]`.
   * @param y Class labels `[B]` (int32 or float32 holding integers).
   * @returns Logits `[B, classes]`, and the loss when labels were given (the caller disposes both).
   * @throws {RangeError} When x is not `[B, inputs]` or y does not have B labels.
   */
  forward(x: tf.Tensor, y?: tf.Tensor): ForwardOutput {
    if (x.rank !== 2 || x.shape[1] !== this.config.inputs) {
      throw new RangeError(
        `Cannot run the Mlp as x must be [B, ${this.config.inputs}]: current shape is [${x.shape}]`,
      );
    }
    if (y && (y.rank !== 1 || y.shape[0] !== x.shape[0])) {
      throw new RangeError(`Cannot run the Mlp as y must be [${x.shape[0]}] labels: current shape is [${y.shape}]`);
    }
    const act = this.config.activation === "relu" ? tf.relu : tf.tanh;
    const [logits, loss] = tf.tidy(() => {
      let h = x as tf.Tensor2D;
      this.#layers.forEach((layer, l) => {
        const z = layer.forward(h); // [B, width of layer l]
        h = l < this.#layers.length - 1 ? act(z) : z;
      });
      return y ? [h, crossEntropy(h, tf.cast(y, "int32") as tf.Tensor1D)] : [h];
    });
    return { logits, loss: loss as tf.Scalar | undefined };
  }

  /**
   * The hidden layers' outputs for a batch, input side first: what each layer passes on (a ReLU unit that is 0 for
   * every input is "dead": it passes nothing forward and no gradient back).
   *
   * @param x Inputs `[B, inputs]`.
   * @returns One `[B, hidden[l]]` tensor per hidden layer (the caller disposes them).
   * @throws {RangeError} When x is not `[B, inputs]`.
   */
  hiddenOutputs(x: tf.Tensor): tf.Tensor2D[] {
    if (x.rank !== 2 || x.shape[1] !== this.config.inputs) {
      throw new RangeError(
        `Cannot run the Mlp as x must be [B, ${this.config.inputs}]: current shape is [${x.shape}]`,
      );
    }
    const act = this.config.activation === "relu" ? tf.relu : tf.tanh;
    return tf.tidy(() => {
      const out: tf.Tensor2D[] = [];
      let h = x as tf.Tensor2D;
      for (const layer of this.#layers.slice(0, -1)) out.push(h = act(layer.forward(h)));
      return out;
    });
  }

  /**
   * Class probabilities for plain rows (softmax of the logits), read synchronously: for drawing decision borders.
   *
   * @param rows Inputs, one row per point.
   * @returns One row of `classes` probabilities per point.
   */
  predictProba(rows: readonly number[][]): number[][] {
    return tf.tidy(() => {
      const { logits } = this.forward(tf.tensor2d(rows as number[][], [rows.length, this.config.inputs]));
      return tf.softmax(logits).arraySync() as number[][];
    });
  }

  /**
   * Share of rows whose most probable class is their label.
   *
   * @param rows Inputs.
   * @param labels Class per row.
   * @returns Accuracy in [0, 1].
   */
  accuracy(rows: readonly number[][], labels: readonly number[]): number {
    const p = this.predictProba(rows);
    let right = 0;
    p.forEach((probs, i) => (right += probs.indexOf(Math.max(...probs)) === labels[i] ? 1 : 0));
    return right / rows.length;
  }

  /** Number of trainable numbers. */
  numParams(): number {
    return this.params.count();
  }

  /** Parameter counts by layer (`h.0`, `h.1`, …, `out`). */
  summary(): ParamGroup[] {
    return paramGroups(this.params, (name) => name.split(".").slice(0, -1).join("."));
  }

  /** Shown in a notebook: the widths and a table of parameter counts. */
  [DISPLAY](): MimeBundle {
    const c = this.config;
    const head = `Mlp: ${[c.inputs, ...c.hidden, c.classes].join(" → ")} (${c.activation}): ` +
      `${this.numParams().toLocaleString("en")} parameters`;
    return summaryBundle(head, this.summary());
  }

  /** Frees the weights. */
  dispose(): void {
    this.params.dispose();
  }
}
