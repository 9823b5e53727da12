import assert from "node:assert/strict";
import { withTempCache } from "../_temp_cache.ts";
import {
  greedyDecode,
  loadTransformer,
  padIds,
  saveTransformer,
  Transformer,
  TRANSFORMER_CACHE,
  TRANSFORMER_KIND,
} from "@lib/attention/mod.ts";
import { cached, CheckpointError, saveCheckpoint } from "@lib/checkpoint/mod.ts";
import { tf } from "@lib/core/mod.ts";
import { AdamW, trainStep } from "@lib/nn/mod.ts";
import { CharTokenizer, tokenizerFromJSON } from "@lib/text/mod.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "liandan_transformer_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** A Transformer after a few AdamW steps (so its weights are no longer the initial ones). */
async function stepped(): Promise<Transformer> {
  const model = new Transformer({ positions: "sinusoidal" }, 2);
  const opt = new AdamW(model.params, { lr: 1e-2 });
  const src = padIds([[5, 6, 7], [8, 9]], 0), tgt = padIds([[1, 7, 6, 5, 2], [1, 9, 8, 2]], 0);
  for (let i = 0; i < 3; i++) await trainStep(model, opt, src, tgt);
  tf.dispose([src, tgt]);
  opt.dispose();
  return model;
}

Deno.test("a Transformer round-trips through the checkpoint format with its tokenizer, step and extra data", async () => {
  await withDir(async (dir) => {
    const model = await stepped();
    const tok = new CharTokenizer(["<pad>", "<bos>", "<eos>", ..."abcdefghi"], { unk: null });
    await saveTransformer(`${dir}/t`, model, { tokenizer: tok, step: 3, extra: { accuracy: 0.5 } });
    const loaded = await loadTransformer(`${dir}/t`);
    assert.deepEqual(loaded.model.config, model.config);
    assert.equal(loaded.step, 3);
    assert.deepEqual(loaded.extra, { accuracy: 0.5 });
    assert.deepEqual(tokenizerFromJSON(loaded.tokenizer).encode("abc"), tok.encode("abc"));
    for (const [name, p] of model.params) {
      assert.deepEqual(loaded.model.params.get(name)!.dataSync(), p.dataSync(), name);
    }
    const sources = [[5, 6, 7], [9]];
    assert.deepEqual((await greedyDecode(loaded.model, sources)).ids, (await greedyDecode(model, sources)).ids);
    // another kind of checkpoint is refused by name
    await saveCheckpoint(`${dir}/other`, { kind: "char-mlp", config: {}, weights: {} });
    await assert.rejects(() => loadTransformer(`${dir}/other`), CheckpointError);
    await assert.rejects(() => saveTransformer(`${dir}/x`, {} as Transformer), /model must be a Transformer/);
    [model, loaded.model].forEach((m) => m.dispose());
  });
});

Deno.test("the model cache keeps a Transformer; loading it again leaves no stray tensor", async () => {
  await withTempCache(async () => {
    let trainings = 0;
    const options = {
      ...TRANSFORMER_CACHE,
      name: "transformer-test",
      config: { positions: "sinusoidal" },
      recipe: { steps: 3 },
      quiet: true,
      train: () => (trainings++, stepped()),
    };
    assert.equal(options.kind, TRANSFORMER_KIND);
    const first = await cached(options);
    const before = tf.memory().numTensors;
    const again = await cached(options);
    assert.equal(trainings, 1);
    assert.deepEqual((await greedyDecode(again, [[5, 6]])).ids, (await greedyDecode(first, [[5, 6]])).ids);
    again.dispose();
    assert.equal(tf.memory().numTensors, before);
    first.dispose();
  });
});
