import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { AdamW, DigitMlp, train } from "@lib/nn/mod.ts";
import { DISPLAY } from "@lib/notebook/display.ts";

Deno.test("DigitMlp: shapes, both image layouts give the same logits, parameter counts", () => {
  const mlp = new DigitMlp();
  assert.deepEqual(Object.fromEntries([...mlp.params].map(([n, p]) => [n, p.shape])), {
    "hidden.weight": [784, 256],
    "hidden.bias": [256],
    "out.weight": [256, 10],
    "out.bias": [10],
  });
  assert.equal(mlp.numParams(), 203_530);
  const prng = new Prng(1);
  const flat = tf.tensor2d(Array.from({ length: 3 * 784 }, () => prng.next()), [3, 784]);
  const square = flat.reshape([3, 28, 28, 1]);
  const [a, b] = [mlp.logits(flat), mlp.logits(square)];
  assert.deepEqual(a.shape, [3, 10]);
  assert.deepEqual(a.dataSync(), b.dataSync());
  assert.match(mlp[DISPLAY]()["text/plain"]!, /^DigitMlp: 784 pixels → 256 ReLU → 10: 203,530 parameters/);
  tf.dispose([flat, square, a, b]);
  mlp.dispose();
});

Deno.test("DigitMlp trains with lib/nn's loop: the loss falls and no tensor is left behind", async () => {
  const mlp = new DigitMlp({ hidden: 32 }, 4);
  const prng = new Prng(2);
  const x = tf.tensor2d(Array.from({ length: 32 * 784 }, () => prng.next()), [32, 784]);
  const y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), "int32");
  const optimizer = new AdamW(mlp.params, { lr: 1e-2, weightDecay: 0 });
  const before = tf.memory().numTensors;
  const run = await train({
    model: mlp,
    optimizer,
    batches: () => ({ x: x.clone(), y: y.clone() }),
    steps: 30,
    lr: 1e-2,
    progress: false,
  });
  optimizer.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.ok(run.losses.at(-1)! < 0.3 * run.losses[0], `loss ${run.losses[0]} → ${run.losses.at(-1)}`);
  tf.dispose([x, y]);
  mlp.dispose();
});

Deno.test("DigitMlp: same seed, same weights; bad config and images are refused", () => {
  const [m1, m2] = [new DigitMlp({ hidden: 8 }, 3), new DigitMlp(JSON.parse(JSON.stringify({ hidden: 8 })), 3)];
  for (const [name, p] of m1.params) assert.deepEqual(m2.params.get(name)!.dataSync(), p.dataSync(), name);
  assert.throws(() => new DigitMlp({ hidden: 1.5 }), {
    name: "RangeError",
    message: "Cannot create DigitMlp as hidden must be a positive integer: current value is 1.5",
  });
  const wrong = tf.zeros([2, 100]);
  assert.throws(() => m1.forward(wrong), {
    name: "RangeError",
    message: "Cannot run DigitMlp as images must be [B, 784] or [B, 28, 28, 1]: current shape is [2,100]",
  });
  tf.dispose(wrong);
  [m1, m2].forEach((m) => m.dispose());
});
