/**
 * The exercises of notebook 07 · RNN and LSTM: one LSTM step written out with plain numbers, and the gate settings
 * that make the cell's memory last (the forget gate is the one that erases it).
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import { lstm } from "../nn/recurrent.ts";
import { lstmCell } from "../nn/lstm_cell.ts";
import type { CaseExercise, MetricExercise } from "./check.ts";

/** One LSTM step's result for one sequence: the new hidden state and memory, `H` numbers each. */
export interface LstmStepResult {
  h: number[];
  c: number[];
}

type LstmStepByHand = (z: number[], c: number[]) => LstmStepResult;

/** lib/nn's lstmCell on the pre-activations `z` (`[4H]`, gates i, f, g, o) and the memory `c` (`[H]`). */
function lstmStepOfLib(z: number[], c: number[]): LstmStepResult {
  const H = c.length;
  return tf.tidy(() => {
    // x = z and W_x = I, W_h = 0, b = 0: the cell's pre-activations are exactly z
    const w = { kernel: tf.eye(4 * H), recurrentKernel: tf.zeros([H, 4 * H]), bias: tf.zeros([4 * H]) };
    const step = lstmCell(tf.tensor2d([z]), { h: tf.zeros([1, H]), c: tf.tensor2d([c]) }, w);
    return { h: Array.from(step.h.dataSync()), c: Array.from(step.c.dataSync()) };
  });
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** The step with one of the usual mistakes: the forget gate left out, `h = o ⊙ c`, or a sigmoid candidate. */
function variant(z: number[], c: number[], kind: "noForget" | "noTanh" | "allSigmoid"): LstmStepResult {
  const H = c.length;
  const gate = (k: number, j: number) => z[k * H + j];
  const cNew = c.map((cj, j) => {
    const [i, f] = [sigmoid(gate(0, j)), sigmoid(gate(1, j))];
    const g = kind === "allSigmoid" ? sigmoid(gate(2, j)) : Math.tanh(gate(2, j));
    return (kind === "noForget" ? cj : f * cj) + i * g;
  });
  const h = cNew.map((cj, j) => sigmoid(gate(3, j)) * (kind === "noTanh" ? cj : Math.tanh(cj)));
  return { h, c: cNew };
}

function close(a: unknown, b: LstmStepResult): boolean {
  const r = a as LstmStepResult;
  if (!Array.isArray(r?.h) || !Array.isArray(r?.c) || r.h.length !== b.h.length) return false;
  return [...r.h.map((v, j) => v - b.h[j]), ...r.c.map((v, j) => v - b.c[j])].every((d) => Math.abs(d) < 1e-5);
}

/**
 * The learner writes `lstmStep(z, c)`: from the four gates' pre-activations `z` (`4H` numbers, in the order input,
 * forget, candidate, output) and the previous memory `c` (`H` numbers), the new memory `c_t = f ⊙ c + i ⊙ g` and the
 * new hidden state `h_t = o ⊙ tanh(c_t)`, with plain numbers. Checked against lib/nn's `lstmCell`.
 */
export const LSTM_STEP: CaseExercise<LstmStepByHand> = Object.freeze<CaseExercise<LstmStepByHand>>({
  id: "07-lstm-step",
  name: "lstmStep",
  reference: lstmStepOfLib,
  cases: [
    { args: [[0, 0, 0, 0], [0.8]] as [number[], number[]] },
    { args: [[2, -1, 0.5, 1], [1]] as [number[], number[]] },
    { args: [[-3, 4, -0.7, 0.2], [-2]] as [number[], number[]] },
    { args: [[0.1, -0.4, 1.5, 2, -1, 0.3, -0.9, 0.6], [0.5, -1.5]] as [number[], number[]] },
  ],
  tolerance: 1e-5,
  diagnose: (got, _expected, [z, c]) => {
    if (close(got, variant(z, c, "noForget"))) return "forget";
    if (close(got, variant(z, c, "noTanh"))) return "tanh";
    if (close(got, variant(z, c, "allSigmoid"))) return "candidate";
    return undefined;
  },
});

/** What {@link KEEP_MEMORY} grades a bias on: a memory to keep, and the inputs the cell reads meanwhile. */
export interface MemoryTest {
  /** Hidden units H. */
  hidden: number;
  /** Steps the memory must last. */
  steps: number;
  /** The memory at the start, `[1, H]`-shaped numbers. */
  c0: number[];
  /** Inputs, `steps × 3` numbers (the cell reads 3 inputs per step through random weights). */
  inputs: number[];
  /** Input weights `[3, 4H]`, row-major. */
  kernel: number[];
}

type KeepMemory = (hidden: number) => number[];

/** The seeded test of {@link KEEP_MEMORY}: 8 units, 100 steps, random memory, inputs and input weights. */
export function memoryTest(hidden = 8, steps = 100, seed = 7): MemoryTest {
  return tf.tidy(() => ({
    hidden,
    steps,
    c0: Array.from(tf.randomUniform([hidden], -2, 2, "float32", seed).dataSync()),
    inputs: Array.from(tf.randomNormal([steps * 3], 0, 1, "float32", seed + 1).dataSync()),
    kernel: Array.from(tf.randomNormal([3 * 4 * hidden], 0, 0.1, "float32", seed + 2).dataSync()),
  }));
}

/**
 * How much of the memory a cell with bias `b` keeps: it runs `steps` LSTM steps (lib/nn's `lstm`) with the test's
 * input weights, no recurrent weights and bias `b`, from memory `c0`, and returns `1 − max_j |c_T − c_0|_j / max|c_0|`
 * (1 = kept exactly, 0 or less = lost).
 *
 * @param bias The learner's bias, `4H` numbers (gates i, f, g, o).
 * @param test The memory, inputs and weights.
 * @returns The share of the memory kept.
 * @throws {RangeError} When the bias is not `4H` finite numbers.
 */
export function memoryKept(bias: number[], test: MemoryTest): number {
  const H = test.hidden;
  if (!Array.isArray(bias) || bias.length !== 4 * H || !bias.every(Number.isFinite)) {
    throw new RangeError(
      `the bias must be an array of 4 × ${H} = ${4 * H} finite numbers (gates input, forget, candidate, output): ` +
        `got ${Array.isArray(bias) ? `${bias.length} values` : typeof bias}`,
    );
  }
  return tf.tidy(() => {
    const w = {
      kernel: tf.tensor2d(test.kernel, [3, 4 * H]),
      recurrentKernel: tf.zeros([H, 4 * H]),
      bias: tf.tensor1d(bias),
    };
    const x = tf.tensor3d(test.inputs, [1, test.steps, 3]);
    const { c } = lstm(x, w, { h: tf.zeros([1, H]), c: tf.tensor2d([test.c0]) });
    const drift = tf.max(tf.abs(tf.sub(c, tf.tensor2d([test.c0])))).dataSync()[0];
    return 1 - drift / Math.max(...test.c0.map(Math.abs));
  });
}

/**
 * The learner writes `keepMemory(H)`: a bias (`4H` numbers, gates input, forget, candidate, output) with which an
 * LSTM cell keeps its memory through 100 steps of random input (95% of it). The forget gate must stay open (σ ≈ 1:
 * a large positive bias) and the input gate shut (σ ≈ 0: a large negative one).
 */
export const KEEP_MEMORY: MetricExercise<KeepMemory, MemoryTest> = Object.freeze<
  MetricExercise<KeepMemory, MemoryTest>
>({
  id: "07-keep-memory",
  name: "keepMemory",
  reference: (H: number) => [...Array(H).fill(-10), ...Array(H).fill(10), ...Array(2 * H).fill(0)],
  metric: "share of the memory kept",
  threshold: 0.95,
  label: "keepMemory(8), run for 100 steps of random input",
  score: (answer: KeepMemory, test: MemoryTest) => memoryKept(answer(test.hidden), test),
});
