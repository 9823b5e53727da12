import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { getBatch } from "@lib/gpt/mod.ts";
import { AdamW, CHAR_RNN_CELLS, CharRnn, countCharRnnParams, generate } from "@lib/nn/mod.ts";
import { maxDiff } from "./_tf_layers_reference.ts";

const ids = (rows: number[][]) => tf.tensor2d(rows, [rows.length, rows[0].length], "int32");

/** One AdamW step on the model's loss; returns the loss. */
async function step(model: CharRnn, opt: AdamW, x: tf.Tensor, y: tf.Tensor): Promise<number> {
  const { value, grads } = tf.variableGrads(() => model.forward(x, y).loss!, [...model.params.values()]);
  await opt.step(grads);
  const loss = (await value.data())[0];
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}

for (const cell of CHAR_RNN_CELLS) {
  Deno.test(`CharRnn (${cell}) learns a repeating text, continues it, and a step leaves no tensors behind`, async () => {
    const text = Array.from({ length: 400 }, (_, i) => [1, 2, 3, 4, 5][i % 5]);
    const model = new CharRnn({ vocabSize: 6, cell, embed: 8, hidden: 24 }, 3);
    const opt = new AdamW(model.params, { lr: 0.02, weightDecay: 0 });
    const prng = new Prng(1);
    const losses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const { x, y } = getBatch(text, 16, 8, prng);
      const before = tf.memory().numTensors;
      losses.push(await step(model, opt, x, y));
      if (i > 0) assert.equal(tf.memory().numTensors, before, `step ${i} left tensors behind`);
      tf.dispose([x, y]);
    }
    assert.ok(losses.at(-1)! < 0.1 * losses[0], `loss ${losses[0]} → ${losses.at(-1)}`);
    const before = tf.memory().numTensors;
    assert.deepEqual(await generate(model, [1, 2], { maxNewTokens: 8, temperature: 0.1 }), [3, 4, 5, 1, 2, 3, 4, 5]);
    assert.deepEqual(await generate(model, [1], { maxNewTokens: 9, stop: (ids) => ids.at(-1) === 4 }), [2, 3, 4]);
    assert.equal(tf.memory().numTensors, before, "generate left tensors behind");
    model.dispose();
  });
}

Deno.test("CharRnn: running in two halves with the carried state equals one pass; fused equals readable", () => {
  for (const cell of CHAR_RNN_CELLS) {
    const model = new CharRnn({ vocabSize: 7, cell, embed: 5, hidden: 6 }, 2);
    tf.tidy(() => {
      const x = ids([[1, 2, 3, 4, 5, 6], [6, 5, 4, 3, 2, 1]]);
      const whole = model.forward(x);
      const first = model.forward(tf.slice(x, [0, 0], [2, 3]));
      const second = model.forward(tf.slice(x, [0, 3], [2, 3]), undefined, { state: first.state });
      assert.ok(maxDiff(tf.concat([first.logits, second.logits], 1), whole.logits) < 1e-5, cell);
      const readable = model.forward(x, undefined, { fused: false, hidden: true });
      assert.ok(maxDiff(readable.logits, whole.logits) < 1e-5, `${cell}: fused and readable`);
      assert.deepEqual(readable.hidden!.shape, [2, 6, 6]);
    });
    assert.equal(model.numParams(), countCharRnnParams(model.config));
    model.dispose();
  }
});

Deno.test("CharRnn.inputGradients: the plain RNN's gradient vanishes with distance", async () => {
  const T = 40, prng = new Prng(5);
  const rows = Array.from({ length: 4 }, () => Array.from({ length: T + 1 }, () => prng.int(10)));
  const [x, y] = [ids(rows.map((r) => r.slice(0, T))), ids(rows.map((r) => r.slice(1)))];
  const model = new CharRnn({ vocabSize: 10, cell: "rnn", embed: 8, hidden: 32 }, 1);
  const before = tf.memory().numTensors;
  const g = await model.inputGradients(x, y);
  assert.equal(tf.memory().numTensors, before, "inputGradients left tensors behind");
  assert.equal(g.length, T);
  assert.ok(g[T - 1] > 0 && g[0] < 1e-3 * g[T - 1], `distance 0: ${g[T - 1]}, distance ${T - 1}: ${g[0]}`);
  const lstmModel = new CharRnn({ vocabSize: 10, cell: "lstm", embed: 8, hidden: 32 }, 1);
  assert.ok((await lstmModel.inputGradients(x, y)).every((v) => Number.isFinite(v) && v >= 0));
  tf.dispose([x, y]);
  model.dispose();
  lstmModel.dispose();
});

Deno.test("CharRnn says what is wrong with bad input, and shows itself", async () => {
  assert.throws(() => new CharRnn({ vocabSize: 5, cell: "gru" as "rnn" }), {
    message: "Cannot create CharRnn as cell must be one of rnn, lstm: current value is gru",
  });
  assert.throws(() => new CharRnn({ vocabSize: 5, hidden: 0 }), {
    message: "Cannot create CharRnn as hidden must be a positive integer: current value is 0",
  });
  const model = new CharRnn({ vocabSize: 5, embed: 3, hidden: 4 });
  assert.throws(() => model.forward(tf.ones([1, 3])), {
    message: "Cannot run CharRnn as idx must be an int32 tensor [B, T]: current value is float32 [1,3]",
  });
  assert.throws(() => model.forward(ids([[1, 2, 3]]), ids([[1, 2]])), {
    message: "Cannot run CharRnn as targets must have the shape of idx [1, 3]: current shape is [1, 2]",
  });
  await assert.rejects(() => generate(model, []), {
    message: "Cannot generate from an empty prompt: give at least one token (e.g. a newline)",
  });
  await assert.rejects(() => generate(model, [7]), {
    message: "Cannot generate as prompt token 0 is 7: ids must be integers in [0, 5)",
  });
  const shown = model[Symbol.for("Jupyter.display") as keyof CharRnn] as unknown as () => Record<string, string>;
  assert.match(
    shown.call(model)["text/plain"],
    /^CharRnn \(LSTM\): vocabulary 5, embedding 3, hidden 4: 168 parameters\n/,
  );
  model.dispose();
});
