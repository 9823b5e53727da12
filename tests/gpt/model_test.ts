import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { countParams, GPT, GPT_BABY, GPT_TINY } from "@lib/gpt/mod.ts";

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

function ids(rows: number[][]): tf.Tensor2D {
  return tf.tensor2d(rows, [rows.length, rows[0].length], "int32");
}

Deno.test("GPT: output shapes and GPT-2 parameter names", () => {
  const model = new GPT(GPT_TINY);
  const { logits, hidden, loss } = model.forward(ids([[1, 2, 3], [4, 5, 6]]), ids([[2, 3, 4], [5, 6, 7]]), {
    hidden: true,
  });
  assert.deepEqual(logits.shape, [2, 3, GPT_TINY.vocabSize]);
  assert.deepEqual(hidden!.shape, [2, 3, GPT_TINY.nEmbd]);
  assert.equal(model.forward(ids([[1]])).hidden, undefined);
  assert.deepEqual(loss!.shape, []);
  // an untrained model is close to uniform: loss ≈ ln V
  assert.ok(Math.abs(loss!.dataSync()[0] - Math.log(GPT_TINY.vocabSize)) < 0.3);
  assert.deepEqual(model.param("h.1.attn.c_attn.weight").shape, [16, 48]);
  assert.deepEqual(model.param("h.0.mlp.c_proj.weight").shape, [64, 16]);
  assert.equal(model.params.size, 2 + 12 * GPT_TINY.nLayer + 2);
  model.dispose();
  const noBias = new GPT({ ...GPT_TINY, bias: false });
  assert.equal(noBias.params.size, 2 + 6 * GPT_TINY.nLayer + 1);
  assert.deepEqual(noBias.forward(ids([[1, 2, 3]])).logits.shape, [1, 3, GPT_TINY.vocabSize]);
  noBias.dispose();
});

Deno.test("GPT: parameter count from the tensors matches the formula; baby GPT has 0.80M (as nanoGPT)", () => {
  for (const config of [GPT_TINY, GPT_BABY, { ...GPT_TINY, nLayer: 3, vocabSize: 40 }, { ...GPT_TINY, bias: false }]) {
    const model = new GPT(config);
    assert.equal(model.numParams(), countParams(config));
    model.dispose();
  }
  const baby = new GPT(GPT_BABY);
  assert.equal(baby.numParams(), 804_096);
  assert.equal(baby.numParams(true), 795_904); // nanoGPT prints "number of parameters: 0.80M"
  assert.ok(![...baby.params.keys()].some((n) => n.endsWith(".bias"))); // nanoGPT's default: no biases
  baby.dispose();
  const withBias = new GPT({ ...GPT_BABY, bias: true });
  assert.equal(withBias.numParams(), 809_856); // + 11·C per layer + C
  withBias.dispose();
});

Deno.test("GPT: GPT-2 initialisation (std 0.02, residual projections 0.02/√(2L), LayerNorm 1 and 0)", () => {
  const model = new GPT(GPT_BABY);
  const std = (name: string) => tf.tidy(() => tf.moments(model.param(name)).variance.sqrt().dataSync()[0]);
  assert.ok(Math.abs(std("wte.weight") - 0.02) < 0.001);
  assert.ok(Math.abs(std("h.0.mlp.c_fc.weight") - 0.02) < 0.001);
  assert.ok(Math.abs(std("h.3.mlp.c_proj.weight") - 0.02 / Math.sqrt(8)) < 0.0005);
  assert.ok(Math.abs(std("h.3.attn.c_proj.weight") - 0.02 / Math.sqrt(8)) < 0.0005);
  assert.deepEqual([...new Set(model.param("ln_f.weight").dataSync())], [1]);
  model.dispose();
  const tiny = new GPT(GPT_TINY);
  assert.deepEqual([...new Set(tiny.param("h.0.attn.c_attn.bias").dataSync())], [0]);
  tiny.dispose();
});

Deno.test("GPT: same seed, same weights; different seeds differ", () => {
  const [a, b, c] = [new GPT(GPT_TINY, 5), new GPT(GPT_TINY, 5), new GPT(GPT_TINY, 6)];
  assert.equal(maxDiff(a.param("wte.weight"), b.param("wte.weight")), 0);
  assert.ok(maxDiff(a.param("wte.weight"), c.param("wte.weight")) > 0);
  [a, b, c].forEach((m) => m.dispose());
});

Deno.test("GPT: causal — changing a later token never changes an earlier logit", () => {
  const model = new GPT({ ...GPT_TINY, blockSize: 6 });
  const base = [[3, 1, 4, 1, 5, 9]];
  const a = model.forward(ids(base)).logits.arraySync();
  for (let pos = 1; pos < 6; pos++) {
    const changed = base.map((r) => r.map((t, i) => (i === pos ? (t + 5) % 11 : t)));
    const b = model.forward(ids(changed)).logits.arraySync();
    for (let t = 0; t < pos; t++) assert.deepEqual(b[0][t], a[0][t], `position ${t} moved when token ${pos} changed`);
    assert.notDeepEqual(b[0][pos], a[0][pos]);
  }
  model.dispose();
});

for (const bias of [true, false]) {
  Deno.test(`GPT: gradient matches finite differences (tiny config, bias ${bias})`, () => {
    const model = new GPT({ ...GPT_TINY, nEmbd: 8, nHead: 2, blockSize: 5, bias }, 3);
    const x = ids([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]), y = ids([[2, 3, 4, 5, 6], [7, 8, 9, 10, 0]]);
    const lossValue = () => tf.tidy(() => model.forward(x, y).loss!.dataSync()[0]);
    const { grads } = tf.variableGrads(() => model.forward(x, y).loss!, [...model.params.values()]);
    const prng = new Prng(1);
    const eps = 1e-3; // small: the weights themselves are only ~0.02
    const names = ["wte.weight", "wpe.weight", "h.0.ln_1.weight", "h.0.attn.c_attn.weight", "h.1.mlp.c_proj.weight"];
    for (const name of bias ? [...names, "h.1.mlp.c_fc.bias", "ln_f.bias"] : names) {
      const p = model.params.get(name)!;
      // directional derivative along a random direction: (L(θ + εd) − L(θ − εd)) / 2ε = ∇L · d
      const d = tf.tensor(Array.from({ length: p.size }, () => prng.normal()), p.shape);
      const analytic = tf.sum(tf.mul(grads[p.name], d)).dataSync()[0];
      const orig = p.clone();
      p.assign(tf.add(orig, tf.mul(d, eps)));
      const plus = lossValue();
      p.assign(tf.sub(orig, tf.mul(d, eps)));
      const minus = lossValue();
      p.assign(orig);
      const numeric = (plus - minus) / (2 * eps);
      assert.ok(
        Math.abs(numeric - analytic) < 3e-3 + 2e-2 * Math.abs(analytic),
        `${name}: finite differences ${numeric} vs gradient ${analytic}`,
      );
    }
    model.dispose();
  });
}

Deno.test("GPT: loss weights mask tokens out of the loss", () => {
  const model = new GPT(GPT_TINY);
  const x = ids([[1, 2, 3, 4]]), y = ids([[2, 3, 4, 5]]);
  const masked = model.forward(x, y, { weights: tf.tensor2d([[0, 0, 1, 1]]) }).loss!.dataSync()[0];
  const ignored = model.forward(x, ids([[-1, -1, 4, 5]])).loss!.dataSync()[0];
  const logits = model.forward(x).logits;
  const tail = tf.losses.softmaxCrossEntropy(
    tf.oneHot(tf.tensor1d([4, 5], "int32"), 11),
    logits.slice([0, 2, 0], [1, 2, -1]).reshape([2, -1]),
  );
  assert.ok(Math.abs(masked - tail.dataSync()[0]) < 1e-5);
  assert.ok(Math.abs(ignored - masked) < 1e-6);
  model.dispose();
});

Deno.test("GPT: attention maps for plots, dropout only in training and seeded", () => {
  const model = new GPT({ ...GPT_TINY, dropout: 0.5 });
  const x = ids([[1, 2, 3, 4]]);
  const { attention, logits } = model.forward(x, undefined, { attention: true });
  assert.equal(attention!.length, GPT_TINY.nLayer);
  assert.deepEqual(attention![0].shape, [1, GPT_TINY.nHead, 4, 4]);
  assert.ok(maxDiff(logits, model.forward(x).logits) < 1e-5); // eval mode: no dropout
  const t1 = model.forward(x, undefined, { training: true, seed: 1 }).logits;
  const t2 = model.forward(x, undefined, { training: true, seed: 1 }).logits;
  const t3 = model.forward(x, undefined, { training: true, seed: 2 }).logits;
  assert.equal(maxDiff(t1, t2), 0);
  assert.ok(maxDiff(t1, t3) > 0);
  model.dispose();
});

Deno.test("GPT: resizeVocab keeps trained rows and adds new ones", () => {
  const model = new GPT(GPT_TINY);
  const before = model.param("wte.weight").arraySync();
  model.resizeVocab(13);
  assert.equal(model.config.vocabSize, 13);
  const after = model.param("wte.weight").arraySync();
  assert.deepEqual(after.slice(0, 11), before);
  assert.equal(after.length, 13);
  assert.deepEqual(model.forward(ids([[12, 11]])).logits.shape, [1, 2, 13]);
  assert.equal(model.numParams(), countParams({ ...GPT_TINY, vocabSize: 13 }));
  assert.throws(() => model.resizeVocab(0), /size must be a positive integer: current value is 0/);
  model.dispose();
});

Deno.test("GPT: bad input gets clear errors", () => {
  const model = new GPT(GPT_TINY);
  assert.throws(() => model.forward(ids([[1, 2, 3, 4, 5, 6, 7, 8, 9]])), {
    name: "RangeError",
    message: "Cannot run the GPT as idx must be [B, T] with 1 ≤ T ≤ blockSize 8: current shape is [1,9]",
  });
  assert.throws(() => model.forward(tf.tensor1d([1, 2], "int32")), /idx must be \[B, T\]/);
  assert.throws(() => model.forward(tf.tensor2d([[1, 2]])), {
    name: "TypeError",
    message: /int32 token ids: current dtype is float32/,
  });
  assert.throws(
    () => model.forward(ids([[1, 2]]), ids([[1, 2, 3]])),
    /targets must have the shape of idx \[1,2\]: current shape is \[1,3\]/,
  );
  assert.throws(() => model.param("h.9.ln_1.weight"), /Cannot find GPT parameter "h.9.ln_1.weight"/);
  assert.throws(() => new GPT({ nHead: 3 }), /nHead must divide nEmbd/);
  model.dispose();
});

Deno.test("GPT: forward and dispose leave no tensors behind", () => {
  const before = tf.memory().numTensors;
  const model = new GPT(GPT_TINY);
  const x = ids([[1, 2, 3]]);
  model.forward(x).logits.dispose(); // warms the causal-mask cache
  const warm = tf.memory().numTensors;
  const out = model.forward(x, x, { attention: true });
  tf.dispose([out.logits, out.loss!, ...out.attention!]);
  const warm2 = tf.memory().numTensors;
  tf.dispose(model.forward(x).logits); // only logits when nothing else is asked for
  assert.equal(tf.memory().numTensors, warm2);
  assert.equal(tf.memory().numTensors, warm);
  model.dispose();
  x.dispose();
  assert.ok(tf.memory().numTensors <= before + 1);
});

Deno.test("GPT: summary groups the parameters; the notebook display names them", () => {
  const model = new GPT(GPT_TINY);
  const rows = model.summary();
  assert.deepEqual(rows.map((r) => r.group), [
    "wte",
    "wpe",
    "h.0.ln",
    "h.0.attn",
    "h.0.mlp",
    "h.1.ln",
    "h.1.attn",
    "h.1.mlp",
    "ln_f",
  ]);
  assert.equal(rows.reduce((n, r) => n + r.count, 0), model.numParams());
  assert.equal(rows[3].count, 16 * 48 + 48 + 16 * 16 + 16); // c_attn and c_proj, weights and biases
  const bundle = (model as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")]();
  assert.match(bundle["text/plain"], /^GPT: 2 layers, 2 heads, 16 wide, context 8, vocabulary 11: 6,896 parameters/);
  assert.match(bundle["text/html"], /<td>h.1.mlp<\/td>/);
  model.dispose();
});
