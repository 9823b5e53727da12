import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { CharMlp, contextWindows, sampleBatch } from "@lib/nn/char_mlp.ts";

const TEXT = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n\n";

function tokenize(text: string): { ids: number[]; chars: string[] } {
  const chars = ["<pad>", ...new Set(text)];
  return { ids: [...text].map((c) => chars.indexOf(c)), chars };
}

Deno.test("CharMlp: shapes and parameter count", () => {
  const m = new CharMlp({ vocabSize: 7, context: 3, embed: 4, hidden: 5 });
  const logits = m.logits(tf.tensor2d([[1, 2, 3], [0, 0, 6]], [2, 3], "int32"));
  assert.deepEqual(logits.shape, [2, 7]);
  assert.equal(m.parameterCount(), 7 * 4 + 12 * 5 + 5 + 5 * 7 + 7);
  logits.dispose();
  m.dispose();
});

Deno.test("CharMlp: learns a repeated poem and then recites it", async () => {
  const { ids, chars } = tokenize(TEXT.repeat(4));
  const m = new CharMlp({ vocabSize: chars.length, context: 4, hidden: 64, learningRate: 1e-2 });
  const windows = contextWindows(ids, 4, 0);
  const prng = new Prng(1);
  const before = tf.memory().numTensors;
  const losses: number[] = [];
  for (let i = 0; i < 150; i++) {
    const { x, y } = sampleBatch(windows, 4, 32, prng);
    losses.push(m.trainStep(x, y));
    tf.dispose([x, y]);
  }
  // Adam creates its moment tensors on the first step only; after that the count must stay put.
  const afterFirst = tf.memory().numTensors;
  const { x, y } = sampleBatch(windows, 4, 32, prng);
  m.trainStep(x, y);
  tf.dispose([x, y]);
  assert.equal(tf.memory().numTensors, afterFirst, "a training step leaks no tensors");
  assert.ok(afterFirst > before);
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
  const added = await m.generate(out.slice(0, 4), {
    temperature: 0.01,
    onToken: (id) => void streamed.push(id),
    stop: (ids) => chars[ids.at(-1)!] === "。",
  });
  assert.deepEqual(streamed, added);
  assert.equal(added.map((i) => chars[i]).join(""), TEXT.slice(4, 12));
  m.dispose();
});

Deno.test("CharMlp: same seed, same weights and samples; re-creating does not clash", async () => {
  const a = new CharMlp({ vocabSize: 5, context: 2 }, 3), b = new CharMlp({ vocabSize: 5, context: 2 }, 3);
  assert.deepEqual(a.nextProbs([1, 2]), b.nextProbs([1, 2]));
  const sa = await a.generate([1], { maxNew: 20, seed: 9, banned: [0] });
  assert.deepEqual(sa, await b.generate([1], { maxNew: 20, seed: 9, banned: [0] }));
  assert.equal(sa.length, 20);
  assert.ok(!sa.includes(0), "banned id never drawn");
  a.dispose();
  b.dispose();
});

Deno.test("CharMlp: bad config and arguments give clear messages", async () => {
  assert.throws(() => new CharMlp({ vocabSize: 0 }), {
    name: "RangeError",
    message: "Cannot create CharMlp as vocabSize must be a positive integer: current value is 0",
  });
  assert.throws(() => new CharMlp({ vocabSize: 3, learningRate: -1 }), { message: /learningRate must be a positive/ });
  const m = new CharMlp({ vocabSize: 3, context: 2 });
  assert.throws(() => m.nextProbs([1], 0), { message: /temperature must be a positive number: current value is 0/ });
  await assert.rejects(() => m.generate([1], { maxNew: -1 }), { message: /maxNew must be a non-negative integer/ });
  m.dispose();
  assert.throws(() => contextWindows([], 2), { message: /empty token sequence/ });
  assert.throws(() => contextWindows([1], 0), { message: /context must be a positive integer: current value is 0/ });
});
