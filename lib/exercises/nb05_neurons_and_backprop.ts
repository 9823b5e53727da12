/**
 * The exercises of notebook 05 · Neurons and backpropagation: a McCulloch–Pitts neuron's output, the truth table of
 * a two-layer network of them for a given weight set, and one gradient-descent step on a tanh neuron by hand
 * (checked against lib/nn's scalar autograd).
 *
 * @module
 */
import { mcpNeuron } from "../nn/perceptron.ts";
import { Value } from "../nn/value.ts";
import type { CaseExercise } from "./check.ts";

type McpNeuron = (inputs: number[], weights: number[], threshold: number) => number;

/** The learner writes `neuron(inputs, weights, threshold)`: 1 when Σ wᵢ·xᵢ ≥ threshold, else 0. */
export const MCP_NEURON: CaseExercise<McpNeuron> = Object.freeze<CaseExercise<McpNeuron>>({
  id: "05-mcp-neuron",
  name: "neuron",
  reference: mcpNeuron as McpNeuron,
  cases: [
    { args: [[1, 0], [1, 1], 1] as [number[], number[], number] },
    { args: [[0, 0], [1, 1], 1] as [number[], number[], number] },
    { args: [[1, 1], [1, 1], 2] as [number[], number[], number] }, // exactly at the threshold: fires
    { args: [[1, 1, 0], [0.5, -1, 2], 0] as [number[], number[], number] },
    { args: [[1, 0, 1], [0.5, -1, 2], 2.5] as [number[], number[], number] }, // at the threshold again
    { args: [[0], [-1], 0] as [number[], number[], number] }, // NOT 0 = 1
  ],
  tolerance: 0,
  diagnose: (got, expected, args) => {
    const [x, w, t] = args;
    const sum = x.reduce((s, xi, i) => s + xi * w[i], 0);
    if (sum === t && got === 0 && expected === 1) return "strict";
    return typeof got === "boolean" ? "boolean" : undefined;
  },
});

/** One neuron of an {@link McpNet}: its weights and threshold. */
export interface McpUnit {
  /** One weight per input. */
  weights: number[];
  /** It fires when the weighted sum reaches this. */
  threshold: number;
}

/** A two-layer network of McCulloch–Pitts neurons over two inputs: hidden neurons, then one output neuron. */
export interface McpNet {
  /** The hidden neurons, each reading the two inputs. */
  hidden: McpUnit[];
  /** The output neuron, reading the hidden neurons' outputs. */
  output: McpUnit;
}

type TruthTable = (net: McpNet) => number[];

/** The four input pairs, in the order of a truth table. */
export const TRUTH_TABLE_INPUTS: readonly (readonly [number, number])[] = Object.freeze(
  [
    [0, 0],
    [0, 1],
    [1, 0],
    [1, 1],
  ] as const,
);

function truthTableOf(net: McpNet): number[] {
  return TRUTH_TABLE_INPUTS.map((x) => {
    const h = net.hidden.map((u) => mcpNeuron([...x], u.weights, u.threshold));
    return mcpNeuron(h, net.output.weights, net.output.threshold);
  });
}

/** The learner writes `truthTable(net)`: the network's output for (0,0), (0,1), (1,0), (1,1). */
export const XOR_TABLE: CaseExercise<TruthTable> = Object.freeze<CaseExercise<TruthTable>>({
  id: "05-truth-table",
  name: "truthTable",
  reference: truthTableOf,
  cases: [
    {
      args: [{
        hidden: [{ weights: [1, 1], threshold: 1 }, { weights: [-1, -1], threshold: -1.5 }],
        output: { weights: [1, 1], threshold: 2 },
      }],
      label: "truthTable(OR and NAND, then AND)",
    },
    {
      args: [{
        hidden: [{ weights: [1, -1], threshold: 1 }, { weights: [-1, 1], threshold: 1 }],
        output: { weights: [1, 1], threshold: 1 },
      }],
      label: "truthTable(x1 AND NOT x2, x2 AND NOT x1, then OR)",
    },
    {
      args: [{ hidden: [{ weights: [1, 1], threshold: 2 }], output: { weights: [-1], threshold: 0 } }],
      label: "truthTable(AND, then NOT)",
    },
    {
      args: [{
        hidden: [{ weights: [1, 0], threshold: 1 }, { weights: [0, 1], threshold: 1 }, {
          weights: [1, 1],
          threshold: 2,
        }],
        output: { weights: [1, 1, -2], threshold: 1 },
      }],
      label: "truthTable(x1, x2, AND, then x1 + x2 − 2·AND ≥ 1)",
    },
    {
      args: [{
        hidden: [{ weights: [1, -1], threshold: 1 }, { weights: [1, 1], threshold: 2 }],
        output: { weights: [1, 1], threshold: 1 },
      }],
      label: "truthTable(x1 AND NOT x2, AND, then OR)",
    },
  ] as { args: [McpNet]; label: string }[],
  tolerance: 0,
  diagnose: (got, expected, args) => {
    if (!Array.isArray(got) || got.length !== 4) return undefined;
    const swapped = [got[0], got[2], got[1], got[3]];
    if (swapped.every((v, i) => v === (expected as number[])[i])) return "order";
    const net = args[0];
    const hiddenOnly = TRUTH_TABLE_INPUTS.map(([a, b]) =>
      mcpNeuron([a, b], net.hidden[0].weights, net.hidden[0].threshold)
    );
    return hiddenOnly.every((v, i) => v === got[i]) ? "hidden" : undefined;
  },
});

/** The weights and bias after one step. */
export interface NeuronWeights {
  /** The weights. */
  w: number[];
  /** The bias. */
  b: number;
}

type BackpropStep = (x: number[], w: number[], b: number, target: number, lr: number) => NeuronWeights;

/**
 * One gradient-descent step on the loss `(tanh(w·x + b) − target)²`, computed with lib/nn's {@link Value}.
 *
 * @param x Inputs.
 * @param w Weights.
 * @param b Bias.
 * @param target The wanted output.
 * @param lr Learning rate.
 * @returns The weights and bias after the step.
 */
function stepWithValues(x: number[], w: number[], b: number, target: number, lr: number): NeuronWeights {
  const ws = w.map((wi) => new Value(wi)), bias = new Value(b);
  const out = Value.sum([...ws.map((wi, i) => wi.mul(x[i])), bias]).tanh();
  out.sub(target).pow(2).backward();
  return { w: ws.map((wi) => wi.data - lr * wi.grad), b: bias.data - lr * bias.grad };
}

/** The learner writes `backpropStep(x, w, b, target, lr)`: the chain rule by hand for one tanh neuron. */
export const BACKPROP_STEP: CaseExercise<BackpropStep> = Object.freeze<CaseExercise<BackpropStep>>({
  id: "05-backprop-step",
  name: "backpropStep",
  reference: stepWithValues as BackpropStep,
  cases: [
    { args: [[1, 0], [0.5, -0.5], 0, 1, 0.1] as [number[], number[], number, number, number] },
    { args: [[1, 2], [0.3, -0.2], 0.1, -1, 0.5] as [number[], number[], number, number, number] },
    { args: [[-1, 0.5, 2], [0.2, 0.4, -0.1], -0.3, 0.5, 1] as [number[], number[], number, number, number] },
  ],
  tolerance: 1e-9,
  diagnose: (got, _expected, args) => {
    if (typeof got !== "object" || got === null || !Array.isArray((got as NeuronWeights).w)) return undefined;
    const [x, w, b, target, lr] = args;
    const y = Math.tanh(w.reduce((s, wi, i) => s + wi * x[i], b));
    const variant = (dz: number, sign = 1) => ({
      w: w.map((wi, i) => wi - sign * lr * dz * x[i]),
      b: b - sign * lr * dz,
    });
    const same = (a: NeuronWeights) =>
      Math.abs(a.b - (got as NeuronWeights).b) < 1e-9 &&
      a.w.every((v, i) => Math.abs(v - (got as NeuronWeights).w[i]) < 1e-9);
    if (same(variant(2 * (y - target)))) return "tanh";
    if (same(variant((y - target) * (1 - y * y)))) return "two";
    if (same(variant(2 * (y - target) * (1 - y * y), -1))) return "sign";
    return undefined;
  },
});
