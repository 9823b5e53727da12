import assert from "node:assert/strict";
import { join } from "node:path";
import { setQuick } from "@lib/core/mod.ts";
import { listCache } from "@lib/checkpoint/mod.ts";
import { loadGpt, POEM_GPT } from "@lib/gpt/mod.ts";
import { formatChat, SFT_GPT, SFT_GPT_NAME, SFT_MIX, sftGpt } from "@lib/rlhf/mod.ts";

Deno.test("SFT_GPT: frozen recipes, full longer than quick; the acrostic drawn twice", () => {
  assert.ok(Object.isFrozen(SFT_GPT.full) && Object.isFrozen(SFT_GPT.quick) && Object.isFrozen(SFT_MIX));
  assert.equal(SFT_GPT.full.steps, 1000);
  assert.ok(SFT_GPT.quick.steps < SFT_GPT.full.steps);
  assert.deepEqual({ ...SFT_MIX }, { acrostic: 2 });
});

Deno.test("sftGpt tunes once (quick mode) from the poem GPT, resumes a stopped run, then loads from the cache", async () => {
  const root = await Deno.makeTempDir();
  setQuick(true);
  try {
    // a run that stops at step 60 (here a chart that fails; in the notebook, Kernel ▸ Interrupt) keeps its checkpoint
    const failing = {
      push: (x: number) => {
        if (x >= 60) throw new Error("stopped");
      },
    };
    await assert.rejects(() => sftGpt({ root, progress: false, quiet: true, chart: failing }), /stopped/);
    const [run] = await Array.fromAsync(Deno.readDir(join(root, "runs")));
    const saved = await loadGpt(join(root, "runs", run.name));
    saved.model.dispose();
    assert.equal(saved.step, 50);
    const first = await sftGpt({ root, progress: false, quiet: true }); // called again: resumes at step 50
    assert.equal(first.trainedNow, true);
    assert.deepEqual(first.history.losses.slice(0, 50), saved.state!.losses, "the first 50 steps are the saved ones");
    assert.equal(first.history.losses.length, SFT_GPT.quick.steps);
    const evals = first.history.evals;
    assert.ok(evals.at(-1)!.val! < evals[0].val!, `val ${evals[0].val} → ${evals.at(-1)!.val}`);
    assert.equal(first.model.config.vocabSize, POEM_GPT.quick.config.vocabSize + 5);
    assert.equal(first.tokenizer.vocabSize, 3005);
    assert.deepEqual(first.tokenizer.encode(formatChat("续写：床前明月光")).slice(0, 1), [3000]);
    assert.equal(first.tokenizer.specialId("<|end|>"), 3002);
    const runs = await Array.fromAsync(Deno.readDir(join(root, "runs")));
    assert.deepEqual(runs.map((r) => r.name), [], "the run's checkpoints go");

    const again = await sftGpt({ root, progress: false, quiet: true });
    assert.equal(again.trainedNow, false);
    assert.deepEqual(again.history, first.history);
    const w = (m: typeof first.model) => m.param("wte.weight").dataSync();
    assert.deepEqual(w(again.model), w(first.model));
    assert.deepEqual(again.data.heldOut.map((e) => e.prompt), first.data.heldOut.map((e) => e.prompt));

    const [entry] = await listCache(SFT_GPT_NAME, root);
    assert.equal(entry.mode, "quick");
    const loaded = await loadGpt(entry.dir); // the chat page's way in
    assert.equal(loaded.tokenizer!.vocabSize, 3005);
    assert.deepEqual(w(loaded.model), w(first.model));
    [first.model, again.model, loaded.model].forEach((m) => m.dispose());
  } finally {
    setQuick(null);
    await Deno.remove(root, { recursive: true });
  }
});
