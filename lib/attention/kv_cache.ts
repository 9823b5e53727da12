/**
 * A key/value cache for generation: each attention layer keeps the keys and values of the positions seen so far, so
 * that a new token costs one position, not the whole context.
 *
 * @module
 */
import { tf } from "../core/mod.ts";

/** One attention layer's cached keys and values, `[B, H, t, D]` each (empty until the first call). */
export interface LayerKv {
  k?: tf.Tensor4D;
  v?: tf.Tensor4D;
}

/**
 * The cache of a whole model: one {@link LayerKv} per attention layer and the number of positions cached. The
 * tensors are kept (outside any `tf.tidy`) until {@link KvCache.dispose}.
 *
 * @example
 * ```ts
 * import { KvCache } from "@lib/attention/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const cache = new KvCache();
 * cache.layer(0).k = tf.keep(tf.zeros([1, 2, 3, 4]));
 * assert.equal(cache.layer(0).k!.shape[2], 3);
 * cache.dispose();
 * assert.equal(cache.layer(0).k, undefined);
 * ```
 */
export class KvCache {
  /** Positions cached (the model advances it after each call). */
  length = 0;
  readonly #layers: LayerKv[] = [];

  /**
   * The slot of attention layer `i` (created empty on first use).
   * @throws {RangeError} When i is not an integer ≥ 0.
   */
  layer(i: number): LayerKv {
    if (!Number.isInteger(i) || i < 0) {
      throw new RangeError(`Cannot read the KV cache as the layer must be an integer ≥ 0: current value is ${i}`);
    }
    return this.#layers[i] ??= {};
  }

  /**
   * Keeps, in every cached layer (or the ones named), the batch rows `rows` in that order: beam search continues
   * each surviving beam from its parent's keys and values. Rows may repeat (two beams with one parent).
   *
   * @param rows Batch indices into the cached `[B, H, t, D]` tensors.
   * @param layers The layers to reorder (default: all; cross-attention caches that are the same for every row of a
   *   source can be left alone).
   * @throws {RangeError} When a row is not an integer in [0, B).
   * @example
   * ```ts
   * import { KvCache } from "@lib/attention/mod.ts";
   * import { tf } from "@lib/core/mod.ts";
   * import assert from "node:assert/strict";
   * const cache = new KvCache();
   * cache.layer(0).k = tf.keep(tf.tensor4d([1, 2], [2, 1, 1, 1]));
   * cache.layer(0).v = tf.keep(tf.tensor4d([3, 4], [2, 1, 1, 1]));
   * cache.reorder([1, 1]);
   * assert.deepEqual(Array.from(cache.layer(0).k!.dataSync()), [2, 2]);
   * cache.dispose();
   * ```
   */
  reorder(rows: readonly number[], layers?: readonly number[]): void {
    const which = layers ?? this.#layers.map((_, i) => i);
    for (const i of which) {
      const slot = this.#layers[i];
      if (!slot?.k || !slot.v) continue;
      const b = slot.k.shape[0];
      const bad = rows.find((r) => !Number.isInteger(r) || r < 0 || r >= b);
      if (bad !== undefined) {
        throw new RangeError(`Cannot reorder the KV cache as row ${bad} is not an integer in [0, ${b})`);
      }
      const idx = tf.tensor1d(rows as number[], "int32");
      const [k, v] = [tf.keep(tf.gather(slot.k, idx)), tf.keep(tf.gather(slot.v, idx))];
      tf.dispose([slot.k, slot.v, idx]);
      [slot.k, slot.v] = [k, v];
    }
  }

  /** Frees every cached tensor and empties the cache. */
  dispose(): void {
    for (const { k, v } of this.#layers) tf.dispose([k, v].filter((t) => t !== undefined) as tf.Tensor[]);
    this.#layers.length = 0;
    this.length = 0;
  }
}
