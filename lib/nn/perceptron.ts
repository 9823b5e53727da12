/**
 * The first artificial neurons, in plain numbers.
 *
 * - **The McCulloch–Pitts neuron** (1943, "A logical calculus of the ideas immanent in nervous activity"): binary
 *   inputs, fixed weights, and a threshold; it fires (1) when the weighted sum reaches the threshold. Nothing is
 *   learned: the weights are chosen by hand, and networks of such neurons compute any logical function.
 * - **The perceptron** (Frank Rosenblatt, 1958): the same unit with a learning rule. After each example it got wrong
 *   it moves its weights toward the right answer, `w ← w + η·(y − ŷ)·x`. When a straight line (a plane) separates the
 *   two classes the rule finds one in finitely many steps (the perceptron convergence theorem); when none does, as
 *   for XOR, it never settles (Minsky and Papert, *Perceptrons*, 1969).
 *
 * @module
 */
import { checkPositive, checkPositiveInteger } from "../core/validate.ts";

/**
 * A McCulloch–Pitts neuron: 1 when `Σ wᵢ·xᵢ ≥ threshold`, else 0.
 *
 * @param inputs The inputs (0/1 in the 1943 paper; any numbers work).
 * @param weights One weight per input (+1 excitatory, −1 inhibitory in the simplest reading).
 * @param threshold The sum at which it fires.
 * @returns 1 (fires) or 0.
 * @throws {RangeError} When inputs and weights differ in length.
 * @example
 * ```ts
 * import { mcpNeuron } from "@lib/nn/perceptron.ts";
 * import assert from "node:assert/strict";
 * const and = (a: number, b: number) => mcpNeuron([a, b], [1, 1], 2);
 * assert.deepEqual([and(0, 0), and(0, 1), and(1, 0), and(1, 1)], [0, 0, 0, 1]);
 * ```
 */
export function mcpNeuron(inputs: readonly number[], weights: readonly number[], threshold: number): 0 | 1 {
  if (inputs.length !== weights.length) {
    throw new RangeError(
      `Cannot run an MCP neuron as it needs one weight per input: got ${inputs.length} inputs and ${weights.length} weights`,
    );
  }
  let sum = 0;
  for (let i = 0; i < inputs.length; i++) sum += weights[i] * inputs[i];
  return sum >= threshold ? 1 : 0;
}

/** What {@link Perceptron.fit} reports. */
export interface PerceptronHistory {
  /** Wrongly classified examples in each pass over the data. */
  mistakes: number[];
  /** Whether a pass ended without a mistake (the classes were separated). */
  converged: boolean;
}

/**
 * Rosenblatt's perceptron for labels 0 and 1: predicts 1 when `w·x + b ≥ 0`. Weights and bias start at 0.
 *
 * @example
 * ```ts
 * import { Perceptron } from "@lib/nn/perceptron.ts";
 * import assert from "node:assert/strict";
 * const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
 * const or = new Perceptron(2);
 * assert.equal(or.fit(X, [0, 1, 1, 1]).converged, true);
 * assert.deepEqual(X.map((x) => or.predict(x)), [0, 1, 1, 1]);
 * assert.equal(new Perceptron(2).fit(X, [0, 1, 1, 0], { epochs: 100 }).converged, false); // XOR
 * ```
 */
export class Perceptron {
  /** One weight per input. */
  readonly weights: number[];
  /** The bias (minus the threshold). */
  bias = 0;

  /**
   * @param inputs Number of inputs.
   * @throws {RangeError} When inputs is not a positive integer.
   */
  constructor(inputs: number) {
    checkPositiveInteger(inputs, "inputs", "create a Perceptron");
    this.weights = new Array(inputs).fill(0);
  }

  /** `w·x + b`. */
  score(x: readonly number[]): number {
    return this.weights.reduce((s, w, i) => s + w * x[i], this.bias);
  }

  /** 1 when `w·x + b ≥ 0`, else 0. */
  predict(x: readonly number[]): 0 | 1 {
    return this.score(x) >= 0 ? 1 : 0;
  }

  /**
   * The perceptron rule: pass over the examples in order, and after each mistake move the weights by
   * `lr·(y − ŷ)·x` and the bias by `lr·(y − ŷ)`; stop after the first pass without a mistake or after `epochs`.
   *
   * @param X Examples, one row per example, `inputs` numbers each.
   * @param y Their labels, 0 or 1.
   * @param options Passes at most (default 100) and the step `lr` (default 1).
   * @returns The mistakes of each pass and whether it converged.
   * @throws {RangeError} For rows of the wrong width, labels other than 0/1, or lengths that differ.
   */
  fit(X: readonly number[][], y: readonly number[], options: { epochs?: number; lr?: number } = {}): PerceptronHistory {
    const { epochs = 100, lr = 1 } = options;
    checkPositiveInteger(epochs, "epochs", "train a Perceptron");
    checkPositive(lr, "lr", "train a Perceptron");
    if (X.length !== y.length || X.length === 0) {
      throw new RangeError(
        `Cannot train a Perceptron as X and y must have the same non-zero length: got ${X.length} and ${y.length}`,
      );
    }
    X.forEach((row, i) => {
      if (row.length !== this.weights.length) {
        throw new RangeError(
          `Cannot train a Perceptron as X[${i}] must hold ${this.weights.length} numbers: got ${row.length}`,
        );
      }
      if (y[i] !== 0 && y[i] !== 1) {
        throw new RangeError(`Cannot train a Perceptron as labels must be 0 or 1: y[${i}] is ${y[i]}`);
      }
    });
    const mistakes: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      let wrong = 0;
      X.forEach((x, i) => {
        const error = y[i] - this.predict(x); // +1, −1, or 0 when right
        if (error === 0) return;
        wrong++;
        x.forEach((xi, j) => (this.weights[j] += lr * error * xi));
        this.bias += lr * error;
      });
      mistakes.push(wrong);
      if (wrong === 0) return { mistakes, converged: true };
    }
    return { mistakes, converged: false };
  }
}
