import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { DISPLAY } from "@lib/notebook/mod.ts";
import { AdamW, CharMlp, generate, getBatch, train } from "@lib/nn/mod.ts";

const TEXT = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n\n";

function tokenize(text: string): { ids: number[]; chars: string[] } {
  const chars = ["<pad>", ...new Set(text)];
  return { ids: [...text].map((c) => chars.indexOf(c)), chars };
}

Deno.test("CharMlp: shapes and parameter count; a guess at every position from the window up to it", () => {
  const m = new CharMlp({ vocabSize: 7, blockSize: 3, embed: 4, hidden: 5 });
  const { logits } = m.forward(tf.tensor2d([[1, 2, 3], [0, 0, 6]], [2, 3], "int32"));
  assert.deepEqual(logits.shape, [2, 3, 7]);
  assert.equal(m.numParams(), 7 * 4 + 12 * 5 + 5 + 5 * 7 + 7);
  assert.equal(m.summary().reduce((n, r) => n + r.count, 0), m.numParams());
  const last = logits.slice([0, 2, 0], [1, 1, 7]).dataSync();
  const alone = m.forward(tf.tensor2d([[2, 3]], [1, 2], "int32")).logits.slice([0, 1, 0], [1, 1, 7]).dataSync();
  assert.notDeepEqual(Array.from(last), Array.from(alone)); // [1, 2, 3] and [pad, 2, 3] differ
  const again = m.forward(tf.tensor2d([[5, 1, 2, 3]], [1, 4], "int32")).logits.slice([0, 3, 0], [1, 1, 7]).dataSync();
  assert.deepEqual(Array.from(again), Array.from(last)); // only the last blockSize tokens count
  logits.dispose();
  m.dispose();
});

Deno.test("CharMlp: trains with lib/nn's train on getBatch windows, then recites the poem", async () => {
  const { ids, chars } = tokenize(TEXT.repeat(4));
  const m = new CharMlp({ vocabSize: chars.length, blockSize: 4, hidden: 64 });
  const opt = new AdamW(m.params, { lr: 1e-2, weightDecay: 0 });
  const counts: number[] = [];
  const run = await train({
    model: m,
    optimizer: opt,
    batches: (_, prng) => getBatch(ids, 8, 4, prng),
    steps: 150,
    lr: 1e-2,
    progress: false,
    onStep: () => void counts.push(tf.memory().numTensors),
  });
  assert.ok(counts.every((n) => n === counts[0]), "a training step leaks no tensors");
  const losses = run.losses;
  assert.ok(losses[0] > 2 && losses.at(-1)! < 0.3, `loss ${losses[0]} -> ${losses.at(-1)}`);
  // Greedy recitation from the first four characters.
  const out = [...TEXT].slice(0, 4).map((c) => chars.indexOf(c));
  for (let i = 0; i < 8; i++) {
    const p = m.nextProbs(out);
    out.push(p.indexOf(Math.max(...p)));
  }
  assert.equal(out.map((i) => chars[i]).join(""), TEXT.slice(0, 12));
  // The same recitation through generate(), streamed, stopping at the first full stop.
  const streamed: number[] = [];
  const added = await generate(m, out.slice(0, 4), {
    temperature: 0.01,
    onToken: (id) => void streamed.push(id),
    stop: (ids) => chars[ids.at(-1)!] === "。",
  });
  assert.deepEqual(streamed, added);
  assert.equal(added.map((i) => chars[i]).join(""), TEXT.slice(4, 12));
  opt.dispose();
  m.dispose();
});

Deno.test("CharMlp: dropout only in training mode, seeded", () => {
  const m = new CharMlp({ vocabSize: 5, blockSize: 2, hidden: 32, dropout: 0.5 });
  const x = tf.tensor2d([[1, 2]], [1, 2], "int32");
  const run = (training: boolean, seed: number) => Array.from(m.forward(x, x, { training, seed }).loss!.dataSync());
  assert.deepEqual(run(false, 1), run(false, 2));
  assert.deepEqual(run(true, 1), run(true, 1));
  assert.notDeepEqual(run(true, 1), run(true, 2));
  m.dispose();
});

Deno.test("CharMlp: same seed, same weights and samples; re-creating does not clash", async () => {
  const a = new CharMlp({ vocabSize: 5, blockSize: 2 }, 3), b = new CharMlp({ vocabSize: 5, blockSize: 2 }, 3);
  assert.deepEqual(a.nextProbs([1, 2]), b.nextProbs([1, 2]));
  const sa = await generate(a, [1], { maxNewTokens: 20, seed: 9, banned: [0] });
  assert.deepEqual(sa, await generate(b, [1], { maxNewTokens: 20, seed: 9, banned: [0] }));
  assert.equal(sa.length, 20);
  assert.ok(!sa.includes(0), "banned id never drawn");
  a.dispose();
  b.dispose();
});

Deno.test("CharMlp: shows its parameter table in a notebook", () => {
  const m = new CharMlp({ vocabSize: 5, blockSize: 2, embed: 3, hidden: 4 });
  const text = m[DISPLAY]()["text/plain"] ?? "";
  assert.match(text, /^CharMlp: 2 characters × 3-wide embeddings → 4 tanh units → 5 tokens: 68 parameters/);
  assert.match(text, /hidden\s+28\s+\[6×4\] \[4\]/);
  m.dispose();
});

Deno.test("CharMlp: bad config and arguments give clear messages", async () => {
  assert.throws(() => new CharMlp({ vocabSize: 0 }), {
    name: "RangeError",
    message: "Cannot create CharMlp as vocabSize must be a positive integer: current value is 0",
  });
  assert.throws(() => new CharMlp({ vocabSize: 3, dropout: 1 }), {
    message: "Cannot create CharMlp as dropout must be in [0, 1): current value is 1",
  });
  assert.throws(() => new CharMlp({ vocabSize: 3, padId: 3 }), {
    message: "Cannot create CharMlp as padId must be below vocabSize 3: current value is 3",
  });
  const m = new CharMlp({ vocabSize: 3, blockSize: 2 });
  assert.throws(() => m.nextProbs([1], 0), { message: /temperature must be a positive number: current value is 0/ });
  assert.throws(() => m.forward(tf.tensor1d([1], "int32")), { message: /idx must be \[B, T\] token ids/ });
  assert.throws(() => m.forward(tf.tensor2d([[1]], [1, 1], "int32"), tf.tensor2d([[1, 2]], [1, 2], "int32")), {
    message: "Cannot run CharMlp as targets must have the shape of idx [1,1]: current shape is [1,2]",
  });
  await assert.rejects(() => generate(m, [1], { maxNewTokens: -1 }), {
    message: /maxNewTokens must be an integer ≥ 0/,
  });
  m.dispose();
  assert.throws(() => getBatch([], 2, 1, new Prng()), { message: /the data has 0 tokens/ });
  assert.throws(() => getBatch([1, 2], 0, 1, new Prng()), {
    message: "Cannot draw a batch as blockSize must be a positive integer: current value is 0",
  });
});
