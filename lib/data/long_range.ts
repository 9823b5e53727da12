/**
 * A synthetic long-distance dependency (长距离依赖) for notebook 08: **recall at distance d**. A sequence of T
 * positions is mostly filler; here and there a position holds a pair, a key and its value (`k7=3`, like a name and a
 * phone number written down in passing). The last position holds a key seen once before with `?` for its value: the
 * answer is the value that key had, d positions back.
 *
 *     ·  ·  k12=4  ·  ·  k7=3  ·  ·  ·  k30=8  ·  ·  ·  ·  k7=?   → 3, at distance d = 10
 *
 * Keys are all different within a sequence, so the answer is unique; the pairs after the asked one (about
 * `density · d` of them) are the distractors. A model that reads left to right and keeps a fixed-size state (an LSTM)
 * has to hold every pair it has seen, since it learns which one is asked only at the end, and the further back the
 * asked pair is, the more pairs have been written over it. Attention keeps every position and looks back with the
 * key as its query. The task is associative recall (Graves et al. 2014, Ba et al. 2016), the test that separates
 * attention from recurrence in the "Zoology" study (Arora et al. 2023).
 *
 * Each position is two token ids, `[key slot, value slot]`, from one vocabulary: the keys `0 … keys − 1`, the values
 * `keys … keys + values − 1`, then `?` ({@link LongRangeVocabulary.query}) and the filler `·`
 * ({@link LongRangeVocabulary.filler}, in both slots). A model embeds both slots and adds them.
 *
 * @module
 */
import { Prng, tf, toPrng } from "../core/mod.ts";
import { checkInteger, checkPositiveInteger } from "../core/validate.ts";

/** The shape of the task. */
export interface LongRangeConfig {
  /** Positions T per sequence, the query included; the longest distance is T − 1. */
  length: number;
  /** Distinct keys (each used at most once per sequence). */
  keys: number;
  /** Distinct values: the classes, chance is 1/values. */
  values: number;
  /** Chance that a position (other than the asked one) holds a pair rather than filler. */
  density: number;
}

/** The task of notebook 08: 201 positions (distances up to 200), 40 keys, 10 values, a pair every 20 positions. */
export const LONG_RANGE: Readonly<LongRangeConfig> = Object.freeze({
  length: 201,
  keys: 40,
  values: 10,
  density: 0.05,
});

/** Where the token ids of a config lie. */
export interface LongRangeVocabulary {
  /** Number of ids (embedding rows): keys + values + 2. */
  size: number;
  /** Id of the first value (value v is `valueOffset + v`). */
  valueOffset: number;
  /** Id of `?`, the query's value slot. */
  query: number;
  /** Id of `·`, the filler, in both slots. */
  filler: number;
}

/** One sequence. */
export interface LongRangeExample {
  /** `[key slot, value slot]` ids of each position, `length` of them. */
  positions: [number, number][];
  /** The value asked for, 0 … values − 1 (the class). */
  answer: number;
  /** Distance from the asked pair to the query. */
  distance: number;
}

/** A batch: ids `[B, T, 2]` int32, answers `[B]` int32, and each example's distance. */
export interface LongRangeBatch {
  x: tf.Tensor3D;
  y: tf.Tensor1D;
  distances: number[];
}

function check(config: LongRangeConfig, action: string): void {
  if (typeof config !== "object" || config === null) {
    throw new TypeError(`Cannot ${action} as config must be a LongRangeConfig: current value is ${config}`);
  }
  checkInteger(config.length, "config.length", action, 2);
  checkPositiveInteger(config.keys, "config.keys", action);
  checkInteger(config.values, "config.values", action, 2);
  if (!(config.density >= 0 && config.density <= 1)) {
    throw new RangeError(`Cannot ${action} as config.density must be in [0, 1]: current value is ${config.density}`);
  }
}

/**
 * The ids of a config's vocabulary.
 *
 * @param config The task.
 * @returns Size, first value id, `?` and filler ids.
 * @throws {RangeError} When the config is invalid.
 * @example
 * ```ts
 * import { LONG_RANGE, longRangeVocabulary } from "@lib/data/long_range.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(longRangeVocabulary(LONG_RANGE), { size: 52, valueOffset: 40, query: 50, filler: 51 });
 * ```
 */
export function longRangeVocabulary(config: LongRangeConfig): LongRangeVocabulary {
  check(config, "describe the long-range vocabulary");
  const { keys, values } = config;
  return { size: keys + values + 2, valueOffset: keys, query: keys + values, filler: keys + values + 1 };
}

/**
 * A training distance: log-uniform from 1 to `max` (as many from 1–10 as from 20–200), so short and long
 * dependencies are both common in training.
 *
 * @param prng The generator.
 * @param max The longest distance.
 * @returns An integer in [1, max].
 * @throws {RangeError} When max is not a positive integer.
 * @example
 * ```ts
 * import { sampleDistance } from "@lib/data/long_range.ts";
 * import { Prng } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const prng = new Prng(1), ds = Array.from({ length: 1000 }, () => sampleDistance(prng, 200));
 * assert.ok(ds.every((d) => d >= 1 && d <= 200));
 * assert.ok(ds.filter((d) => d <= 14).length > 400); // half of log(200) is log(14)
 * ```
 */
export function sampleDistance(prng: Prng, max: number): number {
  checkPositiveInteger(max, "max", "sample a distance");
  return Math.min(max, Math.floor(Math.exp(prng.uniform(0, Math.log(max + 1)))));
}

/**
 * One sequence whose answer lies `distance` positions before the query.
 *
 * @param config The task.
 * @param distance 1 … length − 1.
 * @param seed Seed or generator.
 * @returns The positions, the answer and the distance.
 * @throws {RangeError} When the config or the distance is invalid.
 * @example
 * ```ts
 * import { LONG_RANGE, longRangeExample, longRangeVocabulary } from "@lib/data/long_range.ts";
 * import assert from "node:assert/strict";
 * const ex = longRangeExample(LONG_RANGE, 50, 7), vocab = longRangeVocabulary(LONG_RANGE);
 * const [key, query] = ex.positions[200];
 * assert.equal(query, vocab.query);
 * assert.deepEqual(ex.positions[150], [key, vocab.valueOffset + ex.answer]); // the pair 50 positions back
 * ```
 */
export function longRangeExample(config: LongRangeConfig, distance: number, seed: number | Prng = 1): LongRangeExample {
  const action = "make a long-range example";
  check(config, action);
  checkPositiveInteger(distance, "distance", action);
  const { length: T, keys, values, density } = config;
  if (distance > T - 1) {
    throw new RangeError(
      `Cannot ${action} as distance must be at most length − 1 = ${T - 1}: current value is ${distance}`,
    );
  }
  const prng = toPrng(seed), vocab = longRangeVocabulary(config);
  const order = prng.permutation(keys); // keys in order of use: each at most once
  const at = T - 1 - distance;
  const positions: [number, number][] = [];
  let used = 0, answer = 0;
  for (let t = 0; t < T - 1; t++) {
    const pair = t === at || (used < keys - 1 && prng.next() < density); // keep a key for the asked pair
    if (!pair) {
      positions.push([vocab.filler, vocab.filler]);
      continue;
    }
    const value = prng.int(values);
    if (t === at) answer = value;
    positions.push([order[used++], vocab.valueOffset + value]);
  }
  positions.push([positions[at][0], vocab.query]);
  return { positions, answer, distance };
}

/**
 * A batch of sequences: at one distance for all, or each at its own {@link sampleDistance} (training).
 *
 * @param config The task.
 * @param batch Sequences B.
 * @param seed Seed or generator.
 * @param distance One distance for every sequence, or `"mixed"` (default).
 * @returns Ids `[B, T, 2]`, answers `[B]`, distances (the caller disposes the tensors).
 * @throws {RangeError} When a size or the distance is invalid.
 * @example
 * ```ts
 * import { LONG_RANGE, longRangeBatch } from "@lib/data/long_range.ts";
 * import assert from "node:assert/strict";
 * const { x, y, distances } = longRangeBatch(LONG_RANGE, 4, 1);
 * assert.deepEqual(x.shape, [4, 201, 2]);
 * assert.deepEqual(y.shape, [4]);
 * assert.equal(distances.length, 4);
 * ```
 */
export function longRangeBatch(
  config: LongRangeConfig,
  batch: number,
  seed: number | Prng = 1,
  distance: number | "mixed" = "mixed",
): LongRangeBatch {
  checkPositiveInteger(batch, "batch", "make a long-range batch");
  if (distance !== "mixed") checkPositiveInteger(distance, "distance", "make a long-range batch");
  check(config, "make a long-range batch");
  const prng = toPrng(seed), T = config.length;
  const ids = new Int32Array(batch * T * 2), answers = new Int32Array(batch), distances: number[] = [];
  for (let b = 0; b < batch; b++) {
    const d = distance === "mixed" ? sampleDistance(prng, T - 1) : distance;
    const ex = longRangeExample(config, d, prng);
    ex.positions.forEach(([k, v], t) => [ids[(b * T + t) * 2], ids[(b * T + t) * 2 + 1]] = [k, v]);
    answers[b] = ex.answer;
    distances.push(d);
  }
  return { x: tf.tensor3d(ids, [batch, T, 2], "int32"), y: tf.tensor1d(answers, "int32"), distances };
}

/** What {@link accuracyByDistance} needs of a model: logits `[B, values]` for ids `[B, T, 2]`. */
export interface LongRangeClassifier {
  forward(x: tf.Tensor): { logits?: tf.Tensor };
}

/** One row of {@link accuracyByDistance}. */
export interface DistanceAccuracy {
  distance: number;
  /** Share of right answers, 0 … 1. */
  accuracy: number;
}

/**
 * A model's accuracy at each distance, on the same held-out sequences for every model (seeded by `seed` and the
 * distance), in batches.
 *
 * @param model Anything with `forward(x) → {logits}`.
 * @param config The task.
 * @param distances The distances to test.
 * @param opts Sequences per distance (default 500), batch (default 250), seed (default 2024: not a training seed).
 * @returns One row per distance.
 * @throws {RangeError} When a count or a distance is invalid, or the model returns no logits.
 * @example
 * ```ts
 * import { accuracyByDistance, LONG_RANGE } from "@lib/data/long_range.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const alwaysZero = { forward: (x: tf.Tensor) => ({ logits: tf.oneHot(tf.zeros([x.shape[0]], "int32"), 10) }) };
 * const [row] = await accuracyByDistance(alwaysZero, LONG_RANGE, [10], { examples: 200 });
 * assert.ok(Math.abs(row.accuracy - 0.1) < 0.06); // chance: one value in ten
 * ```
 */
export async function accuracyByDistance(
  model: LongRangeClassifier,
  config: LongRangeConfig,
  distances: readonly number[],
  opts: { examples?: number; batch?: number; seed?: number } = {},
): Promise<DistanceAccuracy[]> {
  const action = "measure accuracy by distance";
  const { examples = 500, batch = 250, seed = 2024 } = opts;
  checkPositiveInteger(examples, "examples", action);
  checkPositiveInteger(batch, "batch", action);
  const rows: DistanceAccuracy[] = [];
  for (const d of distances) {
    const prng = new Prng(seed * 1009 + d);
    let right = 0;
    for (let done = 0; done < examples; done += batch) {
      const { x, y } = longRangeBatch(config, Math.min(batch, examples - done), prng, d);
      const { logits } = model.forward(x);
      if (!logits) throw new RangeError(`Cannot ${action} as the model's forward(x) returned no logits`);
      const predicted = tf.tidy(() => tf.argMax(logits, -1));
      const [p, a] = [await predicted.data(), await y.data()];
      for (let i = 0; i < a.length; i++) right += p[i] === a[i] ? 1 : 0;
      tf.dispose([x, y, logits, predicted]);
    }
    rows.push({ distance: d, accuracy: right / examples });
  }
  return rows;
}

/**
 * A sequence as text, filler runs shortened: `·×12 k12=4 ·×3 k7=3 … k7=?`.
 *
 * @param example The sequence.
 * @param config Its task.
 * @returns One line.
 * @example
 * ```ts
 * import { formatLongRange, LONG_RANGE, longRangeExample } from "@lib/data/long_range.ts";
 * import assert from "node:assert/strict";
 * const text = formatLongRange(longRangeExample(LONG_RANGE, 5, 3), LONG_RANGE);
 * assert.ok(text.endsWith("=?"));
 * ```
 */
export function formatLongRange(example: LongRangeExample, config: LongRangeConfig): string {
  const vocab = longRangeVocabulary(config), out: string[] = [];
  let run = 0;
  const flush = () => {
    if (run > 0) out.push(run === 1 ? "·" : `·×${run}`);
    run = 0;
  };
  for (const [k, v] of example.positions) {
    if (k === vocab.filler) {
      run++;
      continue;
    }
    flush();
    out.push(`k${k}=${v === vocab.query ? "?" : v - vocab.valueOffset}`);
  }
  flush();
  return out.join(" ");
}
