import assert from "node:assert/strict";
import { loadCheckpoint, saveCheckpoint } from "@lib/checkpoint/mod.ts";
import { Prng, tf } from "@lib/core/mod.ts";
import { AdamW, DIGIT_CNN_CACHE, DIGIT_CNN_DEFAULTS, DIGIT_CNN_KIND, DigitCnn, train } from "@lib/nn/mod.ts";
import { DISPLAY } from "@lib/notebook/display.ts";

/** A fixed batch of 32 random "images" and labels: enough to watch the loss fall by memorising. */
function batch(seed = 3) {
  const prng = new Prng(seed);
  const x = tf.tensor4d(Array.from({ length: 32 * 784 }, () => prng.next()), [32, 28, 28, 1]);
  const y = tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), "int32");
  return { x, y };
}

Deno.test("DigitCnn: shapes of the weights, the logits and the loss; flops and parameter counts agree", () => {
  const cnn = new DigitCnn();
  const shapes = Object.fromEntries([...cnn.params].map(([name, p]) => [name, p.shape]));
  assert.deepEqual(shapes, {
    "conv1.weight": [3, 3, 1, 16],
    "conv1.bias": [16],
    "conv2.weight": [3, 3, 16, 32],
    "conv2.bias": [32],
    "dense.weight": [7 * 7 * 32, 10],
    "dense.bias": [10],
  });
  assert.equal(cnn.numParams(), 9 * 16 + 16 + 9 * 16 * 32 + 32 + 1568 * 10 + 10);
  assert.equal(cnn.summary().reduce((s, g) => s + g.count, 0), cnn.numParams());
  assert.deepEqual(cnn.summary().map((g) => g.group), ["conv1", "conv2", "dense"]);
  const { x, y } = batch();
  const { logits, loss } = cnn.forward(x, y);
  assert.deepEqual(logits.shape, [32, 10]);
  assert.deepEqual(loss!.shape, []);
  assert.equal(cnn.predict(x as tf.Tensor4D).length, 32);
  const f = cnn.flops();
  assert.equal(f.conv1, 28 * 28 * 9 * 16);
  assert.ok(f.convShare > 0.95 && f.convShare < 1);
  assert.match(
    cnn[DISPLAY]()["text/plain"]!,
    /^DigitCnn: 28×28 → conv 3×3 16 → pool → conv 3×3 32 .*20,490 parameters/,
  );
  tf.dispose([x, y, logits, loss!]);
  cnn.dispose();
});

Deno.test("DigitCnn trains with lib/nn's loop: the loss falls and no tensor is left behind", async () => {
  const cnn = new DigitCnn({ channels1: 4, channels2: 8 }, 5);
  const optimizer = new AdamW(cnn.params, { lr: 3e-3, weightDecay: 0 });
  const { x, y } = batch();
  const before = tf.memory().numTensors;
  const run = await train({
    model: cnn,
    optimizer,
    batches: () => ({ x: x.clone(), y: y.clone() }),
    steps: 30,
    lr: 3e-3,
    progress: false,
  });
  optimizer.dispose();
  assert.equal(tf.memory().numTensors, before);
  const [first, last] = [run.losses[0], run.losses.at(-1)!];
  assert.ok(Math.abs(first - Math.log(10)) < 0.6, `first loss ${first}`); // near a uniform guess
  assert.ok(last < 0.7 * first, `loss ${first} → ${last}`);
  tf.dispose([x, y]);
  cnn.dispose();
});

Deno.test("DigitCnn.trainStep (the bench's Adam shortcut) lowers the loss and leaks nothing", () => {
  const cnn = new DigitCnn({ channels1: 4, channels2: 8 });
  const { x, y } = batch();
  const first = cnn.trainStep(x as tf.Tensor4D, y as tf.Tensor1D);
  const tensors = tf.memory().numTensors;
  let last = first;
  for (let i = 0; i < 20; i++) last = cnn.trainStep(x as tf.Tensor4D, y as tf.Tensor1D);
  assert.equal(tf.memory().numTensors, tensors);
  assert.ok(last < first, `loss ${first} → ${last}`);
  tf.dispose([x, y]);
  cnn.dispose();
});

Deno.test("DigitCnn: the config round-trips through JSON and a checkpoint; same seed, same weights", async () => {
  const cnn = new DigitCnn({ channels1: 6, channels2: 10 }, 9);
  const again = new DigitCnn(JSON.parse(JSON.stringify(cnn.config)), 9);
  assert.deepEqual(again.config, { ...DIGIT_CNN_DEFAULTS, channels1: 6, channels2: 10 });
  for (const [name, p] of cnn.params) assert.deepEqual(again.params.get(name)!.dataSync(), p.dataSync(), name);
  const other = new DigitCnn({ channels1: 6, channels2: 10 }, 10);
  assert.notDeepEqual(other.params.get("conv1.weight")!.dataSync(), cnn.params.get("conv1.weight")!.dataSync());
  const dir = await Deno.makeTempDir({ prefix: "liandan_cnn_" });
  try {
    await saveCheckpoint(dir, { kind: DIGIT_CNN_KIND, ...await DIGIT_CNN_CACHE.save(cnn) });
    const ckpt = await loadCheckpoint(dir, { kind: DIGIT_CNN_KIND });
    const loaded = await DIGIT_CNN_CACHE.load(ckpt);
    ckpt.dispose();
    assert.deepEqual(loaded.config, cnn.config);
    const { x } = batch();
    assert.deepEqual(loaded.predict(x as tf.Tensor4D), cnn.predict(x as tf.Tensor4D));
    tf.dispose(x);
    loaded.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  [cnn, again, other].forEach((m) => m.dispose());
});

Deno.test("DigitCnn rejects a bad config, bad images and a label count that does not match", () => {
  assert.throws(() => new DigitCnn({ channels1: 0 }), {
    name: "RangeError",
    message: "Cannot create DigitCnn as channels1 must be a positive integer: current value is 0",
  });
  assert.throws(() => new DigitCnn({ learningRate: -1 }), {
    name: "RangeError",
    message: "Cannot create DigitCnn as learningRate must be a positive number: current value is -1",
  });
  const cnn = new DigitCnn({ channels1: 2, channels2: 2 });
  const wrong = tf.zeros([1, 28, 28, 3]);
  assert.throws(() => cnn.forward(wrong), {
    name: "RangeError",
    message: "Cannot run DigitCnn as images must be [B, 28, 28, 1]: current shape is [1,28,28,3]",
  });
  const x = tf.zeros([2, 28, 28, 1]), y = tf.tensor1d([1], "int32");
  assert.throws(() => cnn.forward(x, y), {
    name: "RangeError",
    message: "Cannot compute the loss as there must be one label per image: current counts are 1 labels, 2 images",
  });
  assert.throws(() => DIGIT_CNN_CACHE.save({} as DigitCnn), {
    name: "TypeError",
    message: "Cannot save a digits CNN as model must be a DigitCnn: current value is [object Object]",
  });
  tf.dispose([wrong, x, y]);
  cnn.dispose();
});

Deno.test("trainDigitCnn / cachedDigitCnn: shifted digits train it, the cache keeps it, a finished run stays put", async () => {
  const { loadDigits } = await import("@lib/data/digits.ts");
  const { cachedDigitCnn, DigitCnnRun, digitCnnRecipe, digitFingerprint, predictDigits, trainDigitCnn } = await import(
    "@lib/nn/mod.ts"
  );
  const digits = await loadDigits({ seed: 1337 });
  const n = 600, small = { images: digits.train.images.slice(0, n * 784), labels: digits.train.labels.slice(0, n) };
  const test = { images: digits.test.images.slice(0, 300 * 784), labels: digits.test.labels.slice(0, 300) };
  assert.deepEqual(Object.keys(digitCnnRecipe()).sort(), ["batch", "epochs", "maxLr", "maxShift", "seed"]);
  const recipe = { epochs: 3, batch: 50 };
  const root = await Deno.makeTempDir();
  try {
    const run = new DigitCnnRun();
    const first = await cachedDigitCnn(small, { recipe, run, root, progress: false, val: test });
    assert.equal(run.state?.iter, 3 * 12);
    assert.deepEqual(run.state?.evals.map((e) => e.iter), [0, 12, 24, 36]); // before training and after each epoch
    const guesses = predictDigits(first, test.images);
    const accuracy = guesses.filter((g, i) => g === test.labels[i]).length / guesses.length;
    assert.ok(accuracy > 0.5, `600 shifted digits, 3 epochs: well above chance (got ${accuracy})`);
    const again = await trainDigitCnn(small, { recipe, run, progress: false }); // the run is finished: no step more
    assert.equal(again, first);
    assert.equal(run.state?.iter, 36);
    const loaded = await cachedDigitCnn(small, { recipe, root, progress: false });
    assert.notEqual(loaded, first);
    assert.deepEqual(predictDigits(loaded, test.images), guesses);
    const other = { images: small.images, labels: small.labels.map((d) => (d + 1) % 10) };
    assert.notEqual(await digitFingerprint(other), await digitFingerprint(small));
    run.dispose();
    for (const m of [first, loaded]) m.dispose();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("trainDigitCnn: a run stopped by Kernel ▸ Interrupt resumes to the same weights as one never stopped", async () => {
  const { loadDigits } = await import("@lib/data/digits.ts");
  const { DigitCnnRun, TrainingStopped, trainDigitCnn } = await import("@lib/nn/mod.ts");
  const { setKernelDisplay } = await import("@lib/notebook/mod.ts");
  const digits = await loadDigits({ seed: 1337 });
  const data = { images: digits.train.images.slice(0, 300 * 784), labels: digits.train.labels.slice(0, 300) };
  const recipe = { epochs: 2, batch: 50 }; // 12 steps
  const whole = new DigitCnnRun();
  await trainDigitCnn(data, { recipe, run: whole, progress: false });
  const listeners = new Set<() => void>();
  const [add, remove] = [Deno.addSignalListener, Deno.removeSignalListener];
  Object.assign(Deno, {
    addSignalListener: (signal: string, fn: () => void) => signal === "SIGINT" && listeners.add(fn),
    removeSignalListener: (_signal: string, fn: () => void) => listeners.delete(fn),
  });
  setKernelDisplay(() => Promise.resolve());
  const stopped = new DigitCnnRun();
  const chart = { push: () => [...listeners].forEach((f) => f()) }; // the first chart point (step 10) interrupts
  try {
    await assert.rejects(trainDigitCnn(data, { recipe, run: stopped, progress: false, chart }), TrainingStopped);
  } finally {
    Object.assign(Deno, { addSignalListener: add, removeSignalListener: remove });
    setKernelDisplay(null);
  }
  assert.ok(stopped.state!.iter >= 10 && stopped.state!.iter < 12, `stopped at step ${stopped.state!.iter}`);
  await trainDigitCnn(data, { recipe, run: stopped, progress: false });
  assert.equal(stopped.state!.iter, 12);
  for (const [name, w] of whole.model.params) {
    const gap = tf.tidy(() => tf.max(tf.abs(tf.sub(w, stopped.model.params.get(name)!))).dataSync()[0]);
    assert.ok(gap < 1e-5, `${name}: resumed differs by ${gap}`);
  }
  for (const r of [whole, stopped]) (r.model.dispose(), r.dispose());
});
