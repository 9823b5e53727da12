/**
 * lib/checkpoint: one checkpoint format for every model of the course (safetensors weights, a JSON config, the
 * training state), the adapter for tfjs Layers models, and the model cache built on it.
 *
 * | file              | what                                                                        |
 * | ----------------- | --------------------------------------------------------------------------- |
 * | safetensors.ts    | the safetensors file format, written and read by our own small code         |
 * | checkpoint.ts     | a checkpoint directory: save atomically, load with every check, assign      |
 * | layers_model.ts   | a `tf.LayersModel` ↔ checkpoint                                             |
 * | model_cache.ts    | `cached()`: load or train once; list and clear entries (`deno task cache`)  |
 * | hash_json.ts      | canonical JSON and SHA-256 (cache keys, checksums)                          |
 * | fs.ts             | `exists()`                                                                  |
 *
 * @example
 * ```ts
 * import { loadCheckpoint, saveCheckpoint } from "@lib/checkpoint/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const w = tf.ones([2, 2]);
 * await saveCheckpoint(dir, { kind: "demo", config: {}, weights: { w } });
 * const ckpt = await loadCheckpoint(dir, { kind: "demo" });
 * assert.deepEqual(ckpt.weights.w.shape, [2, 2]);
 * ckpt.dispose();
 * w.dispose();
 * await Deno.remove(dir, { recursive: true });
 * ```
 *
 * @module
 */
export * from "./checkpoint_error.ts";
export * from "./safetensors.ts";
export * from "./checkpoint.ts";
export * from "./layers_model.ts";
export * from "./model_cache.ts";
export * from "./hash_json.ts";
export * from "./fs.ts";
