import assert from "node:assert/strict";
import { withTempCache } from "../_temp_cache.ts";
import { cached, saveCheckpoint } from "@lib/checkpoint/mod.ts";
import { Prng, tf } from "@lib/core/mod.ts";
import {
  AdamW,
  CHAR_MLP_CACHE,
  CharMlp,
  generate,
  getBatch,
  loadCharMlp,
  saveCharMlp,
  trainStep,
} from "@lib/nn/mod.ts";
import { CharTokenizer, tokenizerFromJSON } from "@lib/text/mod.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "liandan_mlp_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function trained(tok: CharTokenizer, text: string, steps: number): Promise<CharMlp> {
  const model = new CharMlp({ vocabSize: tok.vocabSize, blockSize: 3, embed: 4, hidden: 16 }, 7);
  const opt = new AdamW(model.params, { lr: 1e-2 });
  const ids = tok.encode(text);
  const prng = new Prng(2);
  for (let i = 0; i < steps; i++) {
    const { x, y } = getBatch(ids, 3, 8, prng);
    await trainStep(model, opt, x, y);
    tf.dispose([x, y]);
  }
  opt.dispose();
  return model;
}

Deno.test("a trained character MLP round-trips with its tokenizer, step and extra data", async () => {
  await withDir(async (dir) => {
    const text = "床前明月光，疑是地上霜。举头望明月，低头思故乡。";
    const tok = CharTokenizer.fromText(text);
    const model = await trained(tok, text, 5);
    await saveCharMlp(`${dir}/mlp`, model, { tokenizer: tok, step: 5, extra: { losses: [3.1, 2.9] } });
    const loaded = await loadCharMlp(`${dir}/mlp`);
    assert.deepEqual(loaded.model.config, model.config);
    assert.equal(loaded.step, 5);
    assert.deepEqual(loaded.extra, { losses: [3.1, 2.9] });
    assert.deepEqual(tokenizerFromJSON(loaded.tokenizer).encode("明月"), tok.encode("明月"));
    const ctx = tok.encode("举头望");
    assert.deepEqual(loaded.model.nextProbs(ctx), model.nextProbs(ctx));
    assert.deepEqual(
      await generate(loaded.model, ctx, { maxNewTokens: 6, seed: 3 }),
      await generate(model, ctx, { maxNewTokens: 6, seed: 3 }),
    );
    [model, loaded.model].forEach((m) => m.dispose());
  });
});

Deno.test("the model cache keeps a character MLP; loading leaves no stray tensor", async () => {
  await withTempCache(async () => {
    const tok = CharTokenizer.fromText("abcabcabd");
    let trainings = 0;
    const options = {
      ...CHAR_MLP_CACHE,
      name: "mlp-test",
      config: { blockSize: 3, embed: 4, hidden: 16 },
      recipe: { steps: 3 },
      quiet: true,
      train: () => (trainings++, trained(tok, "abcabcabd", 3)),
    };
    const first = await cached(options);
    const before = tf.memory().numTensors;
    const again = await cached(options);
    assert.equal(trainings, 1);
    assert.deepEqual(again.nextProbs([1, 2, 3]), first.nextProbs([1, 2, 3]));
    again.dispose();
    assert.equal(tf.memory().numTensors, before);
    first.dispose();
  });
});

Deno.test("loadCharMlp refuses a checkpoint of another kind or with a weight of another shape", async () => {
  await withDir(async (dir) => {
    const w = tf.ones([2]);
    await saveCheckpoint(`${dir}/gpt`, { kind: "gpt", config: {}, weights: { w } });
    await assert.rejects(loadCharMlp(`${dir}/gpt`), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${dir}/gpt" as it holds a model of kind "gpt" but kind "char-mlp" was ` +
        "expected",
    });
    const model = new CharMlp({ vocabSize: 5, blockSize: 2, hidden: 4 });
    await saveCharMlp(`${dir}/mlp`, model);
    const meta = JSON.parse(await Deno.readTextFile(`${dir}/mlp/config.json`));
    const weights = { ...Object.fromEntries(model.params), "out.bias": tf.zeros([6]) };
    await saveCheckpoint(`${dir}/bad`, { kind: "char-mlp", config: meta.config, weights });
    await assert.rejects(loadCharMlp(`${dir}/bad`), {
      name: "RangeError",
      message: 'Cannot load weights as tensor "out.bias" has shape [6] in the checkpoint but the model expects [5]',
    });
    await assert.rejects(saveCharMlp(`${dir}/x`, {} as CharMlp), {
      name: "TypeError",
      message: "Cannot save a character MLP as model must be a CharMlp: current value is [object Object]",
    });
    tf.dispose([w, weights["out.bias"]]);
    model.dispose();
  });
});
