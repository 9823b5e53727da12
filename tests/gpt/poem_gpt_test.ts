import assert from "node:assert/strict";
import { join } from "node:path";
import { setQuick } from "@lib/core/mod.ts";
import { listCache } from "@lib/checkpoint/mod.ts";
import { countParams, loadGpt, POEM_GPT, POEM_GPT_NAME, poemGpt, poemGptSpec, runDir } from "@lib/gpt/mod.ts";

Deno.test("POEM_GPT: the documented shapes (full: 1.18 M parameters over the 3000-character vocabulary)", () => {
  assert.deepEqual(
    { ...POEM_GPT.full.config },
    { vocabSize: 3000, blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, dropout: 0, bias: false },
  );
  assert.equal(countParams(POEM_GPT.full.config), 1_179_776);
  assert.equal(POEM_GPT.full.recipe.maxIters, 1500);
  assert.ok(Object.isFrozen(POEM_GPT.full.recipe) && Object.isFrozen(POEM_GPT.quick.config));
  setQuick(true);
  assert.equal(poemGptSpec(), POEM_GPT.quick);
  setQuick(null);
});

Deno.test("poemGpt trains once (quick mode), then loads from the cache with its history and tokenizer", async () => {
  const root = await Deno.makeTempDir();
  setQuick(true);
  try {
    const points: number[] = [];
    const chart = { push: (x: number) => void points.push(x) };
    const first = await poemGpt({ root, progress: false, quiet: true, chart });
    assert.equal(first.trainedNow, true);
    const { recipe } = POEM_GPT.quick;
    assert.equal(first.history.losses.length, recipe.maxIters);
    const evals = first.history.evals;
    assert.ok(evals.at(-1)!.val! < evals[0].val! - 1, `val ${evals[0].val} → ${evals.at(-1)!.val}`);
    assert.equal(first.tokenizer.decode(first.tokenizer.encode("床前明月光，")), "床前明月光，");
    assert.equal(first.ids.val.length, first.tokenizer.encode(first.corpus.val.map((p) => p.text).join("\n\n")).length);
    const drawn = points.length;
    assert.ok(drawn > 0);
    assert.deepEqual((await Array.fromAsync(Deno.readDir(join(root, "runs")))).length, 0); // the run's checkpoints go

    const again = await poemGpt({ root, progress: false, quiet: true, chart });
    assert.equal(again.trainedNow, false);
    assert.deepEqual(again.history, first.history);
    assert.equal(points.length, 2 * drawn); // the loaded model draws the curve it was trained with
    const w = (m: typeof first.model) => m.param("wte.weight").dataSync();
    assert.deepEqual(w(again.model), w(first.model));

    const [entry] = await listCache(POEM_GPT_NAME, root);
    assert.equal(entry.mode, "quick");
    const loaded = await loadGpt(entry.dir); // the chat page's way in: the entry is a GPT checkpoint with its tokenizer
    assert.equal(loaded.tokenizer!.vocabSize, 3000);
    assert.deepEqual(w(loaded.model), w(first.model));
    [first.model, again.model, loaded.model].forEach((m) => m.dispose());
  } finally {
    setQuick(null);
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("runDir names a run by what it is, and refuses odd labels", async () => {
  const a = await runDir("x", { steps: 1 }, "/r"), b = await runDir("x", { steps: 1 }, "/r");
  assert.equal(a, b);
  setQuick(true);
  assert.notEqual(await runDir("x", { steps: 1 }, "/r"), a); // the mode is part of it
  setQuick(null);
  await assert.rejects(() => runDir("a/b", {}), /label must be letters, digits/);
});
