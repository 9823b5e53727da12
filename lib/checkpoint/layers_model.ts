/**
 * A `tf.LayersModel` (a `tf.sequential` CNN trained with `model.fit`) in the checkpoint format: the weights in
 * `model.safetensors` under tfjs's weight names (`conv2d_Conv2D1/kernel`), the model's topology and training config
 * (loss, metrics, optimizer) as the checkpoint's config. The model cache keeps such models with
 * {@link LAYERS_MODEL_CACHE}:
 *
 * ```ts ignore
 * const cnn = await cached({ ...LAYERS_MODEL_CACHE, name: "cnn-digits", config: CNN, recipe, train: fitCnn });
 * ```
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { type CheckpointData, loadCheckpoint, type LoadedCheckpoint, saveCheckpoint } from "./checkpoint.ts";
import { CheckpointError } from "./checkpoint_error.ts";
import type { CacheAdapter } from "./model_cache.ts";

/** The checkpoint kind of a tfjs Layers model. */
export const LAYERS_MODEL_KIND = "layers-model";

/** The config a Layers model's checkpoint keeps: what tfjs needs to rebuild it. */
export interface LayersModelConfig {
  /** The model's topology (`model.toJSON()` as an object: layers, their configs and names). */
  modelTopology: unknown;
  /** Loss, metrics and optimizer of a compiled model, or null. */
  trainingConfig: unknown;
}

function checkModel(model: unknown, action: string): tf.LayersModel {
  if (!(model instanceof tf.LayersModel)) {
    throw new TypeError(`Cannot ${action} as model must be a tf.LayersModel: current value is ${model}`);
  }
  return model;
}

/**
 * What a Layers model's checkpoint holds: its topology and training config (loss, metrics, optimizer settings; not
 * the optimizer's moments), and its weights by tfjs name (the model's own variables: they are read, not copied, so
 * save before training further).
 *
 * @param model A built model (e.g. a `tf.sequential` given an `inputShape`).
 * @returns Config and weights for {@link saveCheckpoint} (without the kind).
 * @throws {TypeError} When `model` is not a tf.LayersModel.
 * @example
 * ```ts
 * import { layersModelData } from "@lib/checkpoint/layers_model.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
 * const { weights } = await layersModelData(model);
 * assert.deepEqual([...weights.values()].map((w) => w.shape), [[3, 2], [2]]);
 * model.dispose();
 * ```
 */
export async function layersModelData(
  model: tf.LayersModel,
): Promise<{ config: LayersModelConfig; weights: Map<string, tf.Tensor> }> {
  checkModel(model, "save a Layers model");
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((a) => {
      artifacts = a;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } });
    }),
    { includeOptimizer: true },
  ); // for the training config; the optimizer's moments are not kept
  const weights = new Map<string, tf.Tensor>();
  for (const w of model.weights) {
    if (weights.has(w.originalName)) {
      throw new TypeError(`Cannot save a Layers model as two of its weights are named "${w.originalName}"`);
    }
    weights.set(w.originalName, w.read());
  }
  return {
    config: { modelTopology: artifacts!.modelTopology, trainingConfig: artifacts!.trainingConfig ?? null },
    weights,
  };
}

/**
 * Rebuilds a Layers model from a loaded checkpoint: the topology, the training config (a compiled model comes back
 * compiled) and a copy of every weight.
 *
 * @param ckpt A checkpoint of kind {@link LAYERS_MODEL_KIND}; its tensors may be disposed afterwards.
 * @returns A new model (the caller disposes it).
 * @throws {CheckpointError} When the checkpoint is of another kind, lacks a topology, or its weights do not fit it.
 */
export async function layersModelFromCheckpoint(ckpt: LoadedCheckpoint): Promise<tf.LayersModel> {
  if (ckpt?.kind !== LAYERS_MODEL_KIND) {
    throw new CheckpointError(
      `Cannot rebuild a Layers model from a checkpoint of kind "${ckpt?.kind}": expected "${LAYERS_MODEL_KIND}"`,
    );
  }
  const config = ckpt.config as LayersModelConfig;
  if (config?.modelTopology === null || typeof config?.modelTopology !== "object") {
    throw new CheckpointError(`Cannot rebuild a Layers model from ${ckpt.dir} as its config has no modelTopology`);
  }
  const names = Object.keys(ckpt.weights);
  const parts = await Promise.all(names.map((n) => ckpt.weights[n].data()));
  const weightData = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    weightData.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), at);
    at += p.byteLength;
  }
  const weightSpecs = names.map((name) => {
    const t = ckpt.weights[name];
    return { name, shape: [...t.shape], dtype: t.dtype as "float32" | "int32" | "bool" };
  });
  try {
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: config.modelTopology as tf.io.ModelArtifacts["modelTopology"],
      trainingConfig: (config.trainingConfig ?? undefined) as tf.io.TrainingConfig | undefined,
      weightSpecs,
      weightData: weightData.buffer,
    }));
    // The optimizer that loading made for the training config belongs to no one else: model.dispose() frees it.
    if (model.optimizer) (model as unknown as { isOptimizerOwned: boolean }).isOptimizerOwned = true;
    return model;
  } catch (e) {
    throw new CheckpointError(`Cannot rebuild a Layers model from ${ckpt.dir}: ${(e as Error).message}`);
  }
}

/**
 * Saves a Layers model as a checkpoint directory (atomically, as {@link saveCheckpoint}).
 *
 * @param dir The checkpoint directory.
 * @param model The model.
 * @param extra Anything else to keep (a training history, class names), as `CheckpointData.extra`.
 * @throws {TypeError} When `model` is not a tf.LayersModel.
 * @example
 * ```ts
 * import { loadLayersModel, saveLayersModel } from "@lib/checkpoint/layers_model.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });
 * await saveLayersModel(dir, model);
 * const back = await loadLayersModel(dir);
 * const x = tf.tensor2d([[1, 2]]);
 * const [a, b] = [model.predict(x) as tf.Tensor, back.predict(x) as tf.Tensor];
 * assert.deepEqual(a.arraySync(), b.arraySync());
 * tf.dispose([x, a, b]);
 * [model, back].forEach((m) => m.dispose());
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveLayersModel(dir: string, model: tf.LayersModel, extra?: unknown): Promise<void> {
  await saveCheckpoint(dir, { kind: LAYERS_MODEL_KIND, ...(await layersModelData(model)), extra });
}

/**
 * Loads a Layers model saved by {@link saveLayersModel} (or kept by the model cache).
 *
 * @param dir The checkpoint directory.
 * @returns A new model (the caller disposes it).
 * @throws {CheckpointError} When the checkpoint is missing, damaged or of another kind.
 */
export async function loadLayersModel(dir: string): Promise<tf.LayersModel> {
  const ckpt = await loadCheckpoint(dir, { kind: LAYERS_MODEL_KIND });
  try {
    return await layersModelFromCheckpoint(ckpt);
  } finally {
    ckpt.dispose();
  }
}

/** The model cache's adapter for Layers models: `cached({ ...LAYERS_MODEL_CACHE, name, config, recipe, train })`. */
export const LAYERS_MODEL_CACHE: CacheAdapter<tf.LayersModel> = Object.freeze({
  kind: LAYERS_MODEL_KIND,
  save: (model: tf.LayersModel): Promise<Omit<CheckpointData, "kind" | "info">> => layersModelData(model),
  load: layersModelFromCheckpoint,
});
