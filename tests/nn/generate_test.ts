import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { generate, GPT, GPT_TINY, sampleLogits, samplingProbs } from "@lib/gpt/mod.ts";

function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

function ids(rows: number[][]): tf.Tensor2D {
  return tf.tensor2d(rows, [rows.length, rows[0].length], "int32");
}

Deno.test("sampleLogits: greedy, top-k and top-p keep only the allowed tokens", () => {
  const logits = new Float32Array([0, 2, 1, 1.5, -1]); // probabilities ≈ .08 .43 .16 .26 .03
  assert.equal(sampleLogits(logits, { greedy: true }, new Prng()), 1);
  assert.equal(sampleLogits(logits, { temperature: 0 }, new Prng()), 1);
  const prng = new Prng(1);
  const seen = (opts: object) => new Set(Array.from({ length: 300 }, () => sampleLogits(logits, opts, prng)));
  assert.deepEqual([...seen({ topK: 2 })].sort(), [1, 3]);
  assert.deepEqual([...seen({ topP: 0.6 })].sort(), [1, 3]); // .43 < .6 ≤ .43 + .26
  assert.deepEqual([...seen({ topP: 0.3 })], [1]);
  assert.equal(seen({}).size, 5);
  assert.deepEqual([...seen({ temperature: 0.05 })], [1]); // very cold: the argmax
});

Deno.test("sampleLogits: frequencies follow softmax(logits / temperature)", () => {
  const logits = [0, Math.log(3)]; // p = [.25, .75]
  const prng = new Prng(2);
  let ones = 0;
  for (let i = 0; i < 4000; i++) ones += sampleLogits(logits, { temperature: 1 }, prng);
  assert.ok(Math.abs(ones / 4000 - 0.75) < 0.03);
  ones = 0;
  for (let i = 0; i < 4000; i++) ones += sampleLogits(logits, { temperature: 2 }, prng); // p ∝ [1, √3]
  assert.ok(Math.abs(ones / 4000 - Math.sqrt(3) / (1 + Math.sqrt(3))) < 0.03);
});

Deno.test("sampleLogits: errors name the value and the expectation", () => {
  const p = new Prng();
  assert.throws(() => sampleLogits([1, 2], { temperature: -1 }, p), {
    name: "RangeError",
    message: "Cannot sample as temperature must be a finite number ≥ 0: current value is -1",
  });
  assert.throws(() => sampleLogits([1, 2], { topK: 0 }, p), /topK must be a positive integer: current value is 0/);
  assert.throws(() => sampleLogits([1, 2], { topP: 1.5 }, p), /topP must be in \(0, 1\]: current value is 1.5/);
});

Deno.test("generate: same seed same tokens; KV cache gives what recomputing gives, past the context too", async () => {
  const model = new GPT(GPT_TINY, 4);
  const opts = { maxNewTokens: 20, seed: 5, temperature: 1.5 }; // 20 > blockSize 8: the window slides
  const a = await generate(model, [1, 2, 3], opts);
  assert.equal(a.length, 20);
  assert.deepEqual(await generate(model, [1, 2, 3], opts), a);
  assert.deepEqual(await generate(model, [1, 2, 3], { ...opts, kvCache: false }), a);
  assert.notDeepEqual(await generate(model, [1, 2, 3], { ...opts, seed: 6 }), a);
  const greedy = await generate(model, [1, 2, 3], { maxNewTokens: 12, greedy: true });
  assert.deepEqual(await generate(model, [1, 2, 3], { maxNewTokens: 12, greedy: true, kvCache: false }), greedy);
  model.dispose();
});

Deno.test("generate: a prompt longer than the context is cropped to its last blockSize tokens", async () => {
  const model = new GPT(GPT_TINY, 4);
  const long = [5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6];
  const a = await generate(model, long, { maxNewTokens: 5, seed: 1 });
  assert.deepEqual(await generate(model, long.slice(-8), { maxNewTokens: 5, seed: 1 }), a);
  model.dispose();
});

Deno.test("generate: streams each token to the callback as it comes; stop tokens end early", async () => {
  const model = new GPT(GPT_TINY, 4);
  const events: string[] = [];
  const out = await generate(model, [1], {
    maxNewTokens: 6,
    seed: 3,
    onToken: async (t, i) => {
      events.push(`${i}:${t}`);
      await new Promise((r) => setTimeout(r, 1));
    },
  });
  assert.deepEqual(events, out.map((t, i) => `${i}:${t}`));
  const stop = out[2];
  const stopped = await generate(model, [1], { maxNewTokens: 6, seed: 3, stopTokens: [stop] });
  assert.deepEqual(stopped, out.slice(0, out.indexOf(stop) + 1));
  assert.deepEqual(await generate(model, [1], { maxNewTokens: 0 }), []);
  model.dispose();
});

Deno.test("generate: bad prompts get clear errors; no tensor leak", async () => {
  const model = new GPT(GPT_TINY);
  await assert.rejects(() => generate(model, []), {
    name: "RangeError",
    message: "Cannot generate from an empty prompt: give at least one token (e.g. a newline)",
  });
  await assert.rejects(() => generate(model, [1, 11]), /prompt token 1 is 11: ids must be integers in \[0, 11\)/);
  await assert.rejects(() => generate(model, [1], { maxNewTokens: -1 }), /maxNewTokens must be an integer ≥ 0/);
  const run = async () => {
    await generate(model, [1, 2], { maxNewTokens: 15 });
    await generate(model, [1, 2], { maxNewTokens: 15, kvCache: false });
  };
  await run(); // caches one small causal mask per (queries, keys) size, on purpose
  const before = tf.memory().numTensors;
  await run();
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});

Deno.test("sampleLogits and generate: banned tokens are never chosen", async () => {
  const logits = new Float32Array([1, 5, 2, 0]);
  const prng = new Prng(4);
  assert.equal(sampleLogits(logits, { greedy: true, banned: [1] }, prng), 2);
  const seen = new Set(Array.from({ length: 300 }, () => sampleLogits(logits, { banned: [1, 3] }, prng)));
  assert.deepEqual([...seen].sort(), [0, 2]);
  assert.deepEqual(Array.from(logits), [1, 5, 2, 0], "the caller's logits are not modified");
  assert.throws(() => sampleLogits(logits, { banned: [4] }, prng), {
    name: "RangeError",
    message: "Cannot ban token 4: ids must be integers in [0, 4)",
  });
  assert.throws(() => sampleLogits(logits, { banned: [0, 1, 2, 3] }, prng), { message: /every token is banned/ });
  const model = new GPT(GPT_TINY);
  const out = await generate(model, [1], { maxNewTokens: 40, seed: 3, banned: [0, 2] });
  assert.ok(out.every((t) => t !== 0 && t !== 2), `${out}`);
  model.dispose();
});

Deno.test("generate: stop ends generation when it returns true", async () => {
  const model = new GPT(GPT_TINY);
  const full = await generate(model, [1], { maxNewTokens: 12, seed: 5 });
  const cut = await generate(model, [1], { maxNewTokens: 12, seed: 5, stop: (out) => out.length === 4 });
  assert.deepEqual(cut, full.slice(0, 4));
  model.dispose();
});

Deno.test("forwardCached: the KV cache gives the same logits as a full forward pass", () => {
  const model = new GPT(GPT_TINY);
  const tokens = [1, 5, 2, 7, 3, 3, 9];
  const full = model.forward(ids([tokens])).logits;
  let { logits, cache } = model.forwardCached(ids([tokens.slice(0, 3)]), null);
  assert.ok(maxDiff(logits, full.slice([0, 2, 0], [1, 1, -1]).reshape([1, -1])) < 1e-5);
  for (let t = 3; t < tokens.length; t++) {
    ({ logits, cache } = model.forwardCached(ids([[tokens[t]]]), cache));
    assert.ok(maxDiff(logits, full.slice([0, t, 0], [1, 1, -1]).reshape([1, -1])) < 1e-5, `position ${t}`);
  }
  assert.equal(cache.length, tokens.length);
  assert.throws(() => model.forwardCached(ids([[1, 2]]), cache), /7 cached \+ 2 new tokens exceed blockSize 8/);
  cache.dispose();
  model.dispose();
});

Deno.test("samplingProbs is the distribution sampleLogits draws from (temperature, top-k, top-p, banned)", () => {
  const logits = [2, 1, 0.5, -1, 0];
  for (const opts of [{}, { temperature: 0.5 }, { topK: 2 }, { topP: 0.8 }, { topK: 3, topP: 0.5 }, { banned: [0] }]) {
    const p = samplingProbs(logits, opts);
    assert.ok(Math.abs(p.reduce((s, x) => s + x, 0) - 1) < 1e-12);
    const prng = new Prng(3), counts = new Float64Array(logits.length), n = 20000;
    for (let i = 0; i < n; i++) counts[sampleLogits(logits, opts, prng)]++;
    counts.forEach((c, i) => {
      if (p[i] === 0) assert.equal(c, 0, `token ${i} drawn under ${JSON.stringify(opts)}`);
      else assert.ok(Math.abs(c / n - p[i]) < 0.015, `token ${i}: ${c / n} vs ${p[i]} under ${JSON.stringify(opts)}`);
    });
  }
  const soft = samplingProbs(logits, { temperature: 2 });
  const z = logits.map((l) => Math.exp(l / 2)), sum = z.reduce((s, x) => s + x, 0);
  soft.forEach((x, i) => assert.ok(Math.abs(x - z[i] / sum) < 1e-12));
  assert.deepEqual(Array.from(samplingProbs(logits, { temperature: 0 })), [1, 0, 0, 0, 0]);
  assert.throws(() => samplingProbs(logits, { topP: 0 }), /topP must be in \(0, 1\]/);
});
