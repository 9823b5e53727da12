import assert from "node:assert/strict";
import { runCheck } from "@lib/exercises/check.ts";
import {
  BACKPROP_STEP,
  MCP_NEURON,
  type McpNet,
  TRUTH_TABLE_INPUTS,
  XOR_TABLE,
} from "@lib/exercises/nb05_neurons_and_backprop.ts";
import { mcpNeuron } from "@lib/nn/perceptron.ts";

const quiet = { log: () => {} };

Deno.test("05-mcp-neuron: a written-out neuron passes; > instead of ≥ and booleans get their hints", async () => {
  const mine = (x: number[], w: number[], t: number) => (x.reduce((s, xi, i) => s + xi * w[i], 0) >= t ? 1 : 0);
  assert.equal((await runCheck(MCP_NEURON, mine, quiet)).passed, true);
  const strict = (x: number[], w: number[], t: number) => (x.reduce((s, xi, i) => s + xi * w[i], 0) > t ? 1 : 0);
  assert.match((await runCheck(MCP_NEURON, strict, quiet)).text(), /reaching the threshold is enough to fire/);
  const bools = (x: number[], w: number[], t: number) => x.reduce((s, xi, i) => s + xi * w[i], 0) >= t;
  assert.match((await runCheck(MCP_NEURON, bools, quiet)).text(), /Return the numbers 1 and 0, not true and false/);
  assert.equal((await runCheck(MCP_NEURON, mcpNeuron, quiet)).reason, "check.reference");
});

Deno.test("05-truth-table: the reference gives XOR for OR/NAND→AND; wrong order and hidden-only answers get hints", async () => {
  const cases = XOR_TABLE.cases as { args: [McpNet] }[];
  assert.deepEqual(XOR_TABLE.reference(cases[0].args[0]), [0, 1, 1, 0]);
  assert.deepEqual(XOR_TABLE.reference(cases[1].args[0]), [0, 1, 1, 0]);
  assert.deepEqual(XOR_TABLE.reference(cases[2].args[0]), [1, 1, 1, 0]); // NAND
  assert.deepEqual(XOR_TABLE.reference(cases[3].args[0]), [0, 1, 1, 0]);
  const mine = (net: McpNet) =>
    TRUTH_TABLE_INPUTS.map(([a, b]) => {
      const h = net.hidden.map((u) => mcpNeuron([a, b], u.weights, u.threshold));
      return mcpNeuron(h, net.output.weights, net.output.threshold);
    });
  assert.equal((await runCheck(XOR_TABLE, mine, quiet)).passed, true);
  const hiddenOnly = (net: McpNet) =>
    TRUTH_TABLE_INPUTS.map(([a, b]) => mcpNeuron([a, b], net.hidden[0].weights, net.hidden[0].threshold));
  assert.match((await runCheck(XOR_TABLE, hiddenOnly, quiet)).text(), /That is the first hidden neuron's table/);
  const order = [[0, 0], [1, 0], [0, 1], [1, 1]];
  const columnMajor = (net: McpNet) =>
    order.map(([a, b]) => {
      const h = net.hidden.map((u) => mcpNeuron([a, b], u.weights, u.threshold));
      return mcpNeuron(h, net.output.weights, net.output.threshold);
    });
  assert.match((await runCheck(XOR_TABLE, columnMajor, quiet)).text(), /Right values, wrong order/);
  assert.deepEqual(XOR_TABLE.reference(cases[4].args[0]), [0, 0, 1, 1]); // x1: not symmetric
});

Deno.test("05-backprop-step: the chain rule by hand passes; forgetting tanh', the 2 or the sign gets its hint", async () => {
  const step =
    (dz: (y: number, t: number) => number, sign = 1) =>
    (x: number[], w: number[], b: number, target: number, lr: number) => {
      const y = Math.tanh(w.reduce((s, wi, i) => s + wi * x[i], b));
      const g = dz(y, target);
      return { w: w.map((wi, i) => wi - sign * lr * g * x[i]), b: b - sign * lr * g };
    };
  const right = step((y, t) => 2 * (y - t) * (1 - y * y));
  assert.equal((await runCheck(BACKPROP_STEP, right, quiet)).passed, true);
  const noTanh = await runCheck(BACKPROP_STEP, step((y, t) => 2 * (y - t)), quiet);
  assert.match(noTanh.text(), /multiply by 1 − y² on the way back/);
  const noTwo = await runCheck(BACKPROP_STEP, step((y, t) => (y - t) * (1 - y * y)), quiet);
  assert.match(noTwo.text(), /the factor 2 is missing/);
  const uphill = await runCheck(BACKPROP_STEP, step((y, t) => 2 * (y - t) * (1 - y * y), -1), quiet);
  assert.match(uphill.text(), /The step went uphill/);
});
