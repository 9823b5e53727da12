import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { saveCheckpoint } from "@lib/checkpoint/mod.ts";
import { CharTokenizer } from "@lib/text/mod.ts";
import { GPT, GPT_TINY, gptCheckpointer, loadGpt, saveGpt, trainGpt, trainResumable } from "@lib/gpt/mod.ts";

Deno.test("saveGpt/loadGpt: weights, config and tokenizer round-trip", async () => {
  const dir = await Deno.makeTempDir();
  const tok = CharTokenizer.fromText("abcdefghijk");
  const model = new GPT({ ...GPT_TINY, vocabSize: tok.vocabSize }, 3);
  await saveGpt(dir, model, { tokenizer: tok });
  const loaded = await loadGpt(dir);
  assert.deepEqual(loaded.model.config, model.config);
  for (const [n, p] of model.params) assert.deepEqual(loaded.model.param(n).dataSync(), p.dataSync(), n);
  assert.equal(loaded.tokenizer!.decode(tok.encode("cab")), "cab");
  assert.equal(loaded.state, undefined);
  [model, loaded.model].forEach((m) => m.dispose());
  await Deno.remove(dir, { recursive: true });
});

Deno.test("trainGpt + checkpoints on disk: a stopped run resumes on the same loss curve", async () => {
  const dir = await Deno.makeTempDir();
  const prng = new Prng(1);
  const data = { train: Array.from({ length: 600 }, (_, i) => (prng.next() < 0.1 ? prng.int(11) : (i * 4) % 11)) };
  const options = {
    maxIters: 16,
    batchSize: 4,
    lr: 5e-3,
    warmupIters: 2,
    evalInterval: 8,
    evalIters: 2,
    progress: false,
  };
  const a = new GPT(GPT_TINY, 1);
  const full = await trainGpt(a, data, options);
  // the same run, stopped by the learner after step 10, with a checkpoint every 5 steps
  const b = new GPT(GPT_TINY, 1);
  const stopped = await trainGpt(b, data, {
    ...options,
    checkpointInterval: 5,
    onCheckpoint: gptCheckpointer(dir, b),
    onStep: (s) => s.iter < 11, // stops after step 11: the last checkpoint is at 10
  });
  assert.equal(stopped.iter, 12);
  const { model, state, step } = await loadGpt(dir);
  assert.equal(step, 12); // trainGpt saves when it stops, too
  const resumed = await trainGpt(model, data, { ...options, resumeFrom: state });
  assert.deepEqual(resumed.losses, full.losses);
  assert.deepEqual(resumed.evals, full.evals);
  for (const [n, p] of a.params) assert.deepEqual(model.param(n).dataSync(), p.dataSync(), n);
  [full.opt, stopped.opt, resumed.opt, a, b, model].forEach((x) => x.dispose());
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadGpt: a missing checkpoint is a clear error", async () => {
  await assert.rejects(() => loadGpt("/no/such/dir"), { name: "CheckpointError", message: /\/no\/such\/dir/ });
});

Deno.test("trainResumable: resumes a run of the same config, starts over for another config", async () => {
  const dir = await Deno.makeTempDir();
  const train = Array.from({ length: 300 }, (_, i) => (i * 5) % 11);
  const options = { maxIters: 8, batchSize: 2, evalInterval: 4, evalIters: 1, progress: false };
  const straight = await trainResumable(`${dir}/a`, GPT_TINY, { train }, options);
  const half = await trainResumable(`${dir}/b`, GPT_TINY, { train }, { ...options, maxIters: 4 });
  half.model.dispose();
  const rest = await trainResumable(`${dir}/b`, GPT_TINY, { train }, options);
  assert.equal(rest.resumedFrom, 4);
  assert.deepEqual(rest.run.losses, straight.run.losses);
  const other = await trainResumable(`${dir}/b`, { ...GPT_TINY, nLayer: 1 }, { train }, options);
  assert.equal(other.resumedFrom, 0);
  assert.equal(other.model.config.nLayer, 1);
  [straight, rest, other].forEach((r) => r.model.dispose());
  await Deno.remove(dir, { recursive: true });
});

Deno.test("loadGpt refuses another model's checkpoint and an invalid tokenizer, naming them", async () => {
  const dir = await Deno.makeTempDir();
  const model = new GPT(GPT_TINY, 3);
  await saveCheckpoint(`${dir}/mlp`, { kind: "char-mlp", config: {}, weights: {} });
  await assert.rejects(() => loadGpt(`${dir}/mlp`), {
    name: "CheckpointError",
    message:
      `Cannot load checkpoint from "${dir}/mlp" as it holds a model of kind "char-mlp" but kind "gpt" was expected`,
  });
  await saveCheckpoint(`${dir}/tok`, {
    kind: "gpt",
    config: { ...model.config },
    weights: model.params,
    tokenizer: {},
  });
  await assert.rejects(() => loadGpt(`${dir}/tok`), {
    name: "CheckpointError",
    message: new RegExp(`^Cannot load checkpoint from "${dir}/tok" as its tokenizer is invalid: `),
  });
  const before = tf.memory().numTensors;
  const rest = Object.fromEntries([...model.params].filter(([name]) => name !== "wte.weight"));
  await saveCheckpoint(`${dir}/short`, { kind: "gpt", config: { ...model.config }, weights: rest });
  await assert.rejects(() => loadGpt(`${dir}/short`), {
    name: "RangeError",
    message: /^Cannot load weights as the checkpoint lacks tensor "wte\.weight"/,
  });
  assert.equal(tf.memory().numTensors, before, "a refused load frees the model it began");
  model.dispose();
  await Deno.remove(dir, { recursive: true });
});
