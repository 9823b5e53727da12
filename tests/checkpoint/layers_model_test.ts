import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempCache } from "../_temp_cache.ts";
import {
  cached,
  CheckpointError,
  decodeSafetensors,
  LAYERS_MODEL_CACHE,
  layersModelFromCheckpoint,
  loadCheckpoint,
  loadLayersModel,
  saveCheckpoint,
  saveLayersModel,
} from "@lib/checkpoint/mod.ts";
import { Prng, tf } from "@lib/core/mod.ts";

/** A small CNN as notebook 06 builds one: conv, pool, conv, flatten, dense softmax over 3 classes of 8x8 images. */
function smallCnn(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 6, kernelSize: 2, activation: "relu", kernelInitializer: "heNormal" }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3, activation: "softmax" }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return model;
}

function batch(n: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const prng = new Prng(seed);
  const labels = Array.from({ length: n }, () => prng.int(3));
  const pixels = Float32Array.from(
    { length: n * 64 },
    (_, i) => (Math.floor(i / 64) % 3 === 0 ? 0.5 : 0) + prng.next(),
  );
  return {
    x: tf.tensor4d(pixels, [n, 8, 8, 1]),
    y: tf.oneHot(tf.tensor1d(labels, "int32"), 3).toFloat() as tf.Tensor2D,
  };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "liandan_layers_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("a trained tf.sequential CNN round-trips through safetensors: same predictions, compiled again", async () => {
  await withDir(async (dir) => {
    const model = smallCnn();
    const { x, y } = batch(12, 3);
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0, shuffle: false });
    await saveLayersModel(`${dir}/cnn`, model, { classes: ["a", "b", "c"] });
    const { tensors } = decodeSafetensors(await Deno.readFile(`${dir}/cnn/model.safetensors`));
    assert.deepEqual([...tensors.values()].map((t) => t.shape), model.weights.map((w) => w.shape));
    assert.ok([...tensors.keys()].every((name) => /\/(kernel|bias)$/.test(name)), [...tensors.keys()].join());
    const back = await loadLayersModel(`${dir}/cnn`);
    const [a, b] = [model.predict(x) as tf.Tensor, back.predict(x) as tf.Tensor];
    assert.deepEqual(b.arraySync(), a.arraySync());
    assert.deepEqual(back.layers.map((l) => l.getClassName()), model.layers.map((l) => l.getClassName()));
    const history = await back.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 }); // compiled from the checkpoint
    assert.ok(Number.isFinite(history.history.loss[0] as number));
    assert.ok("acc" in history.history || "accuracy" in history.history, Object.keys(history.history).join());
    const ckpt = await loadCheckpoint(`${dir}/cnn`);
    assert.deepEqual(ckpt.extra, { classes: ["a", "b", "c"] });
    ckpt.dispose();
    tf.dispose([x, y, a, b]);
    [model, back].forEach((m) => m.dispose());
  });
});

Deno.test("the model cache keeps a Layers model: trained once, loaded after, no tensor left behind", async () => {
  await withTempCache(async () => {
    let trainings = 0;
    const { x, y } = batch(8, 5);
    const options = {
      ...LAYERS_MODEL_CACHE,
      name: "cnn-test",
      config: { filters: [4, 6] },
      recipe: { epochs: 1 },
      quiet: true,
      train: async () => {
        trainings++;
        const model = smallCnn();
        await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
        return model;
      },
    };
    const first = await cached(options);
    const before = tf.memory().numTensors;
    const again = await cached(options);
    assert.equal(trainings, 1);
    const [a, b] = [first.predict(x) as tf.Tensor, again.predict(x) as tf.Tensor];
    assert.deepEqual(b.arraySync(), a.arraySync());
    tf.dispose([a, b]);
    again.dispose();
    assert.equal(tf.memory().numTensors, before, "loading leaves only the model's own weights, freed with it");
    first.dispose();
    tf.dispose([x, y]);
  });
});

Deno.test("the Layers adapter refuses what is not a Layers model or its checkpoint", async () => {
  await withDir(async (dir) => {
    await assert.rejects(saveLayersModel(join(dir, "x"), {} as tf.LayersModel), {
      name: "TypeError",
      message: "Cannot save a Layers model as model must be a tf.LayersModel: current value is [object Object]",
    });
    const w = tf.ones([1]);
    await saveCheckpoint(join(dir, "gpt"), { kind: "gpt", config: {}, weights: { w } });
    await assert.rejects(loadLayersModel(join(dir, "gpt")), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${join(dir, "gpt")}" as it holds a model of kind "gpt" but kind ` +
        `"layers-model" was expected`,
    });
    await saveCheckpoint(join(dir, "bad"), { kind: "layers-model", config: {}, weights: { w } });
    const ckpt = await loadCheckpoint(join(dir, "bad"));
    await assert.rejects(layersModelFromCheckpoint(ckpt), (e: Error) => {
      assert.ok(e instanceof CheckpointError);
      assert.match(e.message, /as its config has no modelTopology/);
      return true;
    });
    ckpt.dispose();
    const model = smallCnn();
    await saveLayersModel(join(dir, "cnn"), model);
    const meta = JSON.parse(await Deno.readTextFile(join(dir, "cnn", "config.json")));
    await saveCheckpoint(join(dir, "cnn2"), { kind: "layers-model", config: meta.config, weights: { w } });
    await assert.rejects(loadLayersModel(join(dir, "cnn2")), /Cannot rebuild a Layers model from .*cnn2: /);
    model.dispose();
    w.dispose();
  });
});
