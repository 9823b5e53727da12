import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { GPT } from "@lib/gpt/mod.ts";
import { encodeChat, growForChat, trainSft } from "@lib/rlhf/mod.ts";
import { CharTokenizer } from "@lib/text/mod.ts";

const tiny = (tok: CharTokenizer) =>
  new GPT({ vocabSize: tok.vocabSize, blockSize: 32, nLayer: 1, nHead: 2, nEmbd: 16 }, 4);

Deno.test("growForChat: the embedding grows by the new tokens, every trained row untouched, old logits unchanged", () => {
  const tok = CharTokenizer.fromText("床前明月光疑是地上霜，。");
  const model = tiny(tok);
  const oldRows = model.param("wte.weight").arraySync() as number[][];
  const idx = tf.tensor2d([tok.encode("床前明月光，")], undefined, "int32");
  const before = model.forward(idx).logits.arraySync() as number[][][];
  assert.equal(growForChat(model, tok), 5);
  const rows = model.param("wte.weight").arraySync() as number[][];
  assert.equal(rows.length, oldRows.length + 5);
  assert.deepEqual(rows.slice(0, oldRows.length), oldRows);
  const fresh = rows.slice(oldRows.length).flat();
  const std = Math.sqrt(fresh.reduce((s, v) => s + v * v, 0) / fresh.length);
  assert.ok(std > 0.005 && std < 0.05, `new rows drawn like at initialisation (std ${std})`);
  const after = model.forward(idx).logits.arraySync() as number[][][];
  after[0].forEach((row, t) =>
    row.slice(0, oldRows.length).forEach((v, j) => assert.ok(Math.abs(v - before[0][t][j]) < 1e-6))
  );
  assert.equal(growForChat(model, tok), 0, "growing twice adds nothing");
  idx.dispose();
  model.dispose();
});

Deno.test("growForChat: refuses a tokenizer that is not the model's", () => {
  const tok = CharTokenizer.fromText("床前明月光");
  const model = new GPT({ vocabSize: 50, blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 8 });
  assert.throws(() => growForChat(model, tok), /its vocabulary has 50 entries and the tokenizer's 6/);
  model.dispose();
});

Deno.test("trainSft: learns the answers, not the prompts; leaks no tensors", async () => {
  const tok = CharTokenizer.fromText("床前明月光疑是地上霜举头望低思故乡续写，。");
  const model = tiny(tok);
  growForChat(model, tok);
  const pairs = [["续写：床前", "明月光"], ["续写：举头", "望明月"], ["续写：低头", "思故乡"]];
  const train = pairs.map(([prompt, response]) => encodeChat(tok, { prompt, response }));
  const recipe = {
    steps: 150,
    batchSize: 4,
    lr: 1e-2,
    warmupIters: 5,
    weightDecay: 0,
    gradClip: 1,
    evalInterval: 75,
    evalIters: 2,
    seed: 3,
  };
  const run = await trainSft(model, { train, val: train }, recipe, { padId: 0, progress: false });
  const tensors = tf.memory().numTensors; // after the first run: the attention caches a causal mask per length
  await trainSft(model, { train, val: train }, { ...recipe, steps: 5, lr: 1e-5 }, { padId: 0, progress: false });
  assert.equal(tf.memory().numTensors, tensors, "the optimizer and the batches are freed");
  assert.equal(run.losses.length, 150);
  assert.ok(run.evals.at(-1)!.val < run.evals[0].val / 5, JSON.stringify(run.evals));
  // the prompt was never a target: its characters after 续写： stay unlikely where the answer's are likely
  const ids = train[0].ids;
  const { logits } = model.forward(tf.tensor2d([ids.slice(0, -1)], undefined, "int32"));
  const p = tf.softmax(logits).arraySync() as number[][][];
  const assistant = train[0].promptLength - 1;
  assert.ok(p[0][assistant][ids[assistant + 1]] > 0.8, "the answer's first character after <|assistant|>");
  await assert.rejects(
    () => trainSft(model, { train }, { ...recipe, steps: 0 }, { padId: 0, progress: false }),
    /steps/,
  );
  model.dispose();
});
