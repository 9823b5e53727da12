import assert from "node:assert/strict";
import { Prng } from "@lib/core/mod.ts";
import { mcpNeuron, Perceptron } from "@lib/nn/perceptron.ts";

const X = [[0, 0], [0, 1], [1, 0], [1, 1]];
const GATES: Record<string, number[]> = { AND: [0, 0, 0, 1], OR: [0, 1, 1, 1], NAND: [1, 1, 1, 0], XOR: [0, 1, 1, 0] };

Deno.test("mcpNeuron: AND, OR and NOT with hand-chosen weights; fires exactly at the threshold", () => {
  const table = (w: number[], t: number) => X.map((x) => mcpNeuron(x, w, t));
  assert.deepEqual(table([1, 1], 2), GATES.AND);
  assert.deepEqual(table([1, 1], 1), GATES.OR);
  assert.deepEqual(table([-1, -1], -1.5), GATES.NAND);
  assert.deepEqual([0, 1].map((a) => mcpNeuron([a], [-1], 0)), [1, 0]); // NOT
  assert.equal(mcpNeuron([1, 1], [0.5, 0.5], 1), 1);
});

Deno.test("mcpNeuron: no weights and threshold on a grid make one neuron compute XOR (three of four at best)", () => {
  const grid = Array.from({ length: 17 }, (_, i) => -2 + i * 0.25);
  let best = 0;
  for (const w1 of grid) {
    for (const w2 of grid) {
      for (const t of grid) {
        const right = X.filter((x, i) => mcpNeuron(x, [w1, w2], t) === GATES.XOR[i]).length;
        best = Math.max(best, right);
      }
    }
  }
  assert.equal(best, 3);
});

Deno.test("Perceptron: learns AND, OR and NAND in a few passes; never settles on XOR", () => {
  for (const gate of ["AND", "OR", "NAND"]) {
    const p = new Perceptron(2);
    const history = p.fit(X, GATES[gate]);
    assert.equal(history.converged, true, gate);
    assert.ok(history.mistakes.length <= 10, `${gate}: ${history.mistakes.length} passes`);
    assert.deepEqual(X.map((x) => p.predict(x)), GATES[gate], gate);
  }
  const xor = new Perceptron(2).fit(X, GATES.XOR, { epochs: 200 });
  assert.equal(xor.converged, false);
  assert.equal(xor.mistakes.length, 200);
  assert.ok(xor.mistakes.every((m) => m >= 1));
});

Deno.test("Perceptron: separates random linearly separable points (the convergence theorem), with margin", () => {
  const prng = new Prng(5);
  const Xs = Array.from({ length: 100 }, () => [prng.uniform(-1, 1), prng.uniform(-1, 1)])
    .filter(([a, b]) => Math.abs(2 * a - b + 0.3) > 0.1);
  const ys = Xs.map(([a, b]) => (2 * a - b + 0.3 > 0 ? 1 : 0));
  const p = new Perceptron(2);
  const history = p.fit(Xs, ys, { epochs: 1000, lr: 0.5 });
  assert.equal(history.converged, true);
  assert.ok(Xs.every((x, i) => p.predict(x) === ys[i]));
  assert.equal(p.score([0, 0]), p.bias);
});

Deno.test("mcpNeuron, Perceptron: bad arguments are refused with the value in the message", () => {
  assert.throws(() => mcpNeuron([1, 0], [1], 1), /needs one weight per input: got 2 inputs and 1 weights/);
  assert.throws(() => new Perceptron(0), /Cannot create a Perceptron as inputs must be a positive integer/);
  const p = new Perceptron(2);
  assert.throws(() => p.fit([[1, 2]], [2]), /labels must be 0 or 1: y\[0\] is 2/);
  assert.throws(() => p.fit([[1]], [1]), /X\[0\] must hold 2 numbers: got 1/);
  assert.throws(() => p.fit([[1, 2]], []), /same non-zero length: got 1 and 0/);
  assert.throws(() => p.fit([[1, 2]], [1], { lr: 0 }), /lr must be a positive number/);
});
