import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { cachedDenoiser, DenoiserRun, trainDenoiser } from "@lib/diffusion/mod.ts";
import { sample } from "@lib/diffusion/sample.ts";

/** 40 random "digits" 28×28 in [0, 1], labels 0..9. */
function fakeDigits() {
  const prng = new Prng(3);
  return {
    images: Float32Array.from({ length: 40 * 784 }, () => prng.next()),
    labels: Array.from({ length: 40 }, (_, i) => i % 10),
  };
}
const CONFIG = { size: 14, channels: [4, 8], embed: 8, steps: 20 };
const RECIPE = { steps: 12, batch: 8 };

Deno.test("trainDenoiser: trains with a validation loss, keeps the history; bad recipes get clear errors", async () => {
  const data = fakeDigits();
  const model = await trainDenoiser(data, {
    config: CONFIG,
    recipe: RECIPE,
    val: data,
    evalInterval: 6,
    progress: false,
  });
  assert.equal(model.history!.losses.length, 12);
  assert.deepEqual(model.history!.evals.map((e) => e.iter), [0, 6, 12]);
  model.dispose();
  await assert.rejects(() => trainDenoiser(data, { config: CONFIG, recipe: { labelDropout: 1 }, progress: false }), {
    message: "Cannot train the denoiser as labelDropout must be in [0, 1): current value is 1",
  });
  await assert.rejects(() => trainDenoiser(data, { config: CONFIG, recipe: { steps: 0 }, progress: false }), {
    message: /steps must be a positive integer/,
  });
});

Deno.test("trainDenoiser: a run stopped part-way resumes to the same weights as an uninterrupted one", async () => {
  const data = fakeDigits();
  const whole = await trainDenoiser(data, { config: CONFIG, recipe: RECIPE, progress: false });
  const run = new DenoiserRun(CONFIG);
  let calls = 0;
  const stopAt5 = () => ++calls < 5 ? undefined : false; // onStep returning false ends the loop after step 5
  await trainDenoiser(data, { config: CONFIG, recipe: RECIPE, run, progress: false, onStep: stopAt5 });
  assert.equal(run.state!.iter, 5);
  const resumed = await trainDenoiser(data, { config: CONFIG, recipe: RECIPE, run, progress: false });
  for (const [name, w] of whole.params) {
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(w, resumed.params.get(name)!))).dataSync()[0]);
    assert.ok(d < 1e-5, `${name} differs by ${d}`);
  }
  whole.dispose();
  run.dispose();
  resumed.dispose();
});

Deno.test("cachedDenoiser: trains once, then loads the same weights and history from the cache", async () => {
  const root = await Deno.makeTempDir();
  try {
    const data = fakeDigits();
    const a = await cachedDenoiser(data, { config: CONFIG, recipe: RECIPE, root, progress: false });
    const b = await cachedDenoiser(data, { config: CONFIG, recipe: RECIPE, root, progress: false });
    assert.deepEqual(b.history!.losses.map((v) => v.toFixed(5)), a.history!.losses.map((v) => v.toFixed(5)));
    const sa = await sample(a, [1, 2], { steps: 3 }), sb = await sample(b, [1, 2], { steps: 3 });
    assert.deepEqual(Array.from(sa.dataSync()), Array.from(sb.dataSync()));
    tf.dispose([sa, sb]);
    a.dispose();
    b.dispose();
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
