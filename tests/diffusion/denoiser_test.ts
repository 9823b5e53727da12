import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { checkLabels, Denoiser, NULL_CLASS, timestepFeatures, upsample2 } from "@lib/diffusion/denoiser.ts";
import { AdamW, train } from "@lib/nn/mod.ts";
import { DISPLAY } from "@lib/notebook/display.ts";

const SMALL = { size: 8, channels: [4, 8], embed: 8, steps: 20 };

Deno.test("Denoiser: noise prediction has the images' shape; the loss is a scalar near 1 at the start", () => {
  const net = new Denoiser(SMALL);
  const x = tf.randomUniform([6, 8, 8, 1], -1, 1, "float32", 3);
  const eps = net.predictNoise(x, [0, 1, 5, 10, 19, 3], [0, 9, 10, 4, 4, 1]);
  assert.deepEqual(eps.shape, [6, 8, 8, 1]);
  const { logits, loss } = net.forward(x, tf.tensor1d([1, 2, 3, 4, 5, NULL_CLASS], "int32"), { seed: 7 });
  assert.deepEqual(logits.shape, [6, 8, 8, 1]);
  assert.deepEqual(loss!.shape, []);
  const v = loss!.dataSync()[0];
  assert.ok(v > 0.5 && v < 2, `the output starts near 0, so the loss is about E[ε²] = 1: ${v}`);
  assert.equal(net.summary().reduce((s, g) => s + g.count, 0), net.numParams());
  assert.match(net[DISPLAY]()["text/plain"]!, /^Denoiser \(U-Net\): 8×8, channels 4\/8, embedding 8, T = 20: /);
  tf.dispose([x, eps, logits, loss!]);
  net.dispose();
});

Deno.test("Denoiser: same seed, same weights and same loss; three levels work", () => {
  const a = new Denoiser(SMALL, 4), b = new Denoiser(SMALL, 4);
  const x = tf.zeros([2, 8, 8, 1]), y = tf.tensor1d([3, 10], "int32");
  const la = a.forward(x, y, { seed: 2 }), lb = b.forward(x, y, { seed: 2 });
  assert.equal(la.loss!.dataSync()[0], lb.loss!.dataSync()[0]);
  const deep = new Denoiser({ ...SMALL, channels: [4, 8, 8] });
  const out = deep.predictNoise(x, [1, 2], [3, 4]);
  assert.deepEqual(out.shape, [2, 8, 8, 1]);
  tf.dispose([x, y, la.logits, la.loss!, lb.logits, lb.loss!, out]);
  [a, b, deep].forEach((m) => m.dispose());
});

Deno.test("Denoiser: a training step on lib/nn's loop leaves the tensor count unchanged, and the loss falls", async () => {
  const net = new Denoiser(SMALL);
  const opt = new AdamW(net.params, { weightDecay: 0 });
  const images = tf.randomUniform([16, 8, 8, 1], -1, 1, "float32", 9);
  const labels = tf.tensor1d(Array.from({ length: 16 }, (_, i) => i % 10), "int32");
  const batches = () => ({ x: images.clone(), y: labels.clone() });
  await train({ model: net, optimizer: opt, batches, steps: 1, lr: 1e-3, progress: false });
  const before = tf.memory().numTensors;
  const result = await train({ model: net, optimizer: opt, batches, steps: 60, lr: 3e-3, progress: false });
  assert.equal(tf.memory().numTensors, before);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  assert.ok(mean(result.losses.slice(-10)) < mean(result.losses.slice(0, 10)), "the noise-prediction loss falls");
  tf.dispose([images, labels]);
  opt.dispose();
  net.dispose();
});

Deno.test("Denoiser: bad shapes, labels, timesteps and configs get clear errors", () => {
  const net = new Denoiser(SMALL);
  const x = tf.zeros([2, 8, 8, 1]);
  assert.throws(() => net.predictNoise(x, [0, 1], [3, 11]), {
    message: "Cannot predict noise as every digit must be an integer from 0 to 9 (or 10 for no digit): " +
      "current value at 1 is 11",
  });
  assert.throws(() => net.predictNoise(x, [0, 20], [3, 1]), {
    message: "Cannot predict noise as every timestep must be an integer from 0 to 19: current value at 1 is 20",
  });
  assert.throws(() => net.predictNoise(x, [0], [3]), { message: /one timestep and one label per image/ });
  const wrong = tf.zeros([2, 28, 28, 1]);
  assert.throws(() => net.predictNoise(wrong, [0, 1], [1, 2]), {
    message: "Cannot predict noise as images must be [B, 8, 8, 1]: current shape is [2,28,28,1]",
  });
  assert.throws(() => net.forward(x), { message: /forward needs the labels/ });
  assert.throws(() => new Denoiser({ size: 14, channels: [4, 8, 8] }), {
    message: "Cannot create Denoiser as size must be divisible by 4 for 3 levels: current value is 14",
  });
  assert.throws(() => new Denoiser({ channels: [] }), { message: /channels must list 1 to 4 channel counts/ });
  assert.throws(() => checkLabels([1, -1], "sample", false), { message: /from 0 to 9: current value at 1 is -1/ });
  tf.dispose([x, wrong]);
  net.dispose();
});

Deno.test("timestepFeatures and upsample2: values and shapes", () => {
  const f = timestepFeatures([0, 3], 4);
  assert.deepEqual(Array.from(f.dataSync(), (v) => Number(v.toFixed(5))), [
    0,
    0,
    1,
    1,
    Number(Math.sin(3).toFixed(5)),
    Number(Math.sin(3 / 100).toFixed(5)),
    Number(Math.cos(3).toFixed(5)),
    Number(Math.cos(3 / 100).toFixed(5)),
  ]);
  const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
  const up = upsample2(x);
  assert.deepEqual(up.shape, [1, 4, 4, 1]);
  assert.deepEqual(Array.from(up.dataSync()), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  tf.dispose([f, x, up]);
});
