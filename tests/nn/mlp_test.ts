import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { xorBlobs } from "@lib/data/toy_2d.ts";
import { DISPLAY } from "@lib/notebook/display.ts";
import { Mlp, mlpParamCount } from "@lib/nn/mlp.ts";
import { AdamW, epochBatches, train, trainStep } from "@lib/nn/mod.ts";
import { ValueMlp } from "@lib/nn/value.ts";

Deno.test("Mlp: names, shapes and counts; the summary adds up; hidden [] is a linear model", () => {
  const mlp = new Mlp({ inputs: 3, hidden: [5, 4], classes: 2 });
  assert.deepEqual([...mlp.params.keys()], [
    "h.0.weight",
    "h.0.bias",
    "h.1.weight",
    "h.1.bias",
    "out.weight",
    "out.bias",
  ]);
  assert.equal(mlp.numParams(), mlpParamCount(3, [5, 4], 2));
  assert.equal(mlp.summary().reduce((s, g) => s + g.count, 0), mlp.numParams());
  assert.deepEqual(mlp.summary().map((g) => g.group), ["h.0", "h.1", "out"]);
  assert.equal(mlp.depth, 2);
  assert.match(mlp[DISPLAY]()["text/plain"]!, /^Mlp: 3 → 5 → 4 → 2 \(relu\): 54 parameters/);
  const { logits } = mlp.forward(tf.ones([7, 3]));
  assert.deepEqual(logits.shape, [7, 2]);
  const hidden = mlp.hiddenOutputs(tf.ones([7, 3]));
  assert.deepEqual(hidden.map((h) => h.shape), [[7, 5], [7, 4]]);
  assert.ok(hidden.every((h) => h.min().dataSync()[0] >= 0)); // after ReLU
  tf.dispose([logits, ...hidden]);
  mlp.dispose();
  const linear = new Mlp({ inputs: 2, hidden: [], classes: 3 });
  assert.equal(linear.numParams(), 9);
  linear.dispose();
});

Deno.test("Mlp: He (ReLU) and Glorot (tanh) initial scales, times initScale; same seed same weights", () => {
  const std = (m: Mlp) => {
    const w = m.params.get("h.1.weight")!;
    return Math.sqrt(tf.tidy(() => tf.moments(w).variance.dataSync()[0]));
  };
  const relu = new Mlp({ inputs: 2, hidden: [200, 200], classes: 2 });
  const tanh = new Mlp({ inputs: 2, hidden: [200, 200], classes: 2, activation: "tanh", initScale: 0.5 });
  assert.ok(Math.abs(std(relu) / Math.sqrt(2 / 200) - 1) < 0.05, `relu: ${std(relu)}`);
  assert.ok(Math.abs(std(tanh) / (0.5 * Math.sqrt(1 / 200)) - 1) < 0.05, `tanh: ${std(tanh)}`);
  const again = new Mlp({ inputs: 2, hidden: [200, 200], classes: 2 });
  assert.deepEqual(again.params.get("h.0.weight")!.dataSync(), relu.params.get("h.0.weight")!.dataSync());
  [relu, tanh, again].forEach((m) => m.dispose());
});

Deno.test("Mlp: with a ValueMlp's weights, its tanh logits equal the scalar engine's outputs", () => {
  const scalar = new ValueMlp(2, [4, 3, 2], { seed: 9 });
  const mlp = new Mlp({ inputs: 2, hidden: [4, 3], classes: 2, activation: "tanh" });
  const names = ["h.0", "h.1", "out"];
  scalar.weights().forEach(({ W, b }, l) => {
    mlp.params.get(`${names[l]}.weight`)!.assign(tf.tensor2d(W));
    mlp.params.get(`${names[l]}.bias`)!.assign(tf.tensor1d(b));
  });
  const rows = [[0.3, -1.2], [2, 0.5], [-0.7, 0.1]];
  const { logits } = mlp.forward(tf.tensor2d(rows));
  const got = logits.arraySync() as number[][];
  rows.forEach((x, i) => {
    scalar.call(x).forEach((v, j) => assert.ok(Math.abs(v.data - got[i][j]) < 1e-5, `row ${i}, logit ${j}`));
  });
  logits.dispose();
  mlp.dispose();
});

Deno.test("Mlp: learns the XOR blobs with the training loop; a step leaves the tensor count unchanged", async () => {
  const data = xorBlobs(400, { seed: 3 });
  const X = tf.tensor2d(data.X), Y = tf.tensor1d(data.y, "int32");
  const mlp = new Mlp({ inputs: 2, hidden: [16], classes: 2 });
  const opt = new AdamW(mlp.params, { lr: 0.02, weightDecay: 0 });
  await trainStep(mlp, opt, X, Y); // the first step creates the optimizer's moments
  const settled = tf.memory().numTensors;
  await trainStep(mlp, opt, X, Y);
  assert.equal(tf.memory().numTensors, settled);
  const e = epochBatches(400, 50);
  const batches = (it: number) => {
    const idx = tf.tensor1d(e.indices(it), "int32");
    const batch = { x: tf.gather(X, idx), y: tf.gather(Y, idx) };
    idx.dispose();
    return batch;
  };
  await train({ model: mlp, optimizer: opt, batches, steps: 300, lr: 0.02, progress: false });
  assert.ok(mlp.accuracy(data.X, data.y) > 0.95, `accuracy ${mlp.accuracy(data.X, data.y)}`);
  const p = mlp.predictProba([[1, -1], [1, 1]]);
  assert.ok(p[0][1] > 0.9 && p[1][0] > 0.9, JSON.stringify(p));
  tf.dispose([X, Y]);
  opt.dispose();
  mlp.dispose();
});

Deno.test("Mlp: bad configurations and inputs are refused with the value in the message", () => {
  assert.throws(
    () => new Mlp({ inputs: 0, hidden: [], classes: 2 }),
    /Cannot create an Mlp as inputs must be a positive integer/,
  );
  assert.throws(() => new Mlp({ inputs: 2, hidden: [3, 0], classes: 2 }), /hidden\[1\] must be a positive integer/);
  assert.throws(
    () => new Mlp({ inputs: 2, hidden: [3], classes: 2, activation: "gelu" as "relu" }),
    /activation must be "relu" or "tanh": current value is "gelu"/,
  );
  assert.throws(
    () => new Mlp({ inputs: 2, hidden: [3], classes: 2, initScale: 0 }),
    /initScale must be a positive number/,
  );
  const mlp = new Mlp({ inputs: 2, hidden: [3], classes: 2 });
  assert.throws(() => mlp.forward(tf.ones([4, 3])), /x must be \[B, 2\]: current shape is \[4,3\]/);
  assert.throws(() => mlp.forward(tf.ones([4, 2]), tf.ones([3])), /y must be \[4\] labels: current shape is \[3\]/);
  mlp.dispose();
});
