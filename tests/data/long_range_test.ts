import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import {
  accuracyByDistance,
  formatLongRange,
  LONG_RANGE,
  longRangeBatch,
  longRangeExample,
  longRangeVocabulary,
  sampleDistance,
} from "@lib/data/mod.ts";

const vocab = longRangeVocabulary(LONG_RANGE);

Deno.test("longRangeExample: the asked pair is d back, the query repeats its key, keys are unique", () => {
  for (const d of [1, 2, 10, 57, 199, 200]) {
    for (let seed = 1; seed <= 20; seed++) {
      const ex = longRangeExample(LONG_RANGE, d, seed);
      const T = LONG_RANGE.length;
      assert.equal(ex.positions.length, T);
      assert.equal(ex.distance, d);
      const [qKey, qValue] = ex.positions[T - 1];
      assert.equal(qValue, vocab.query);
      assert.ok(qKey >= 0 && qKey < LONG_RANGE.keys);
      const asked = ex.positions[T - 1 - d];
      assert.deepEqual(asked, [qKey, vocab.valueOffset + ex.answer]);
      const keys = ex.positions.slice(0, T - 1).map(([k]) => k).filter((k) => k !== vocab.filler);
      assert.equal(new Set(keys).size, keys.length, "every key at most once before the query");
      for (const [k, v] of ex.positions.slice(0, T - 1)) {
        if (k === vocab.filler) assert.equal(v, vocab.filler);
        else assert.ok(v >= vocab.valueOffset && v < vocab.query, "a pair holds a value");
      }
    }
  }
});

Deno.test("longRangeExample: about density · T pairs, answers spread over the values, seeded", () => {
  let pairs = 0;
  const answers = new Array(LONG_RANGE.values).fill(0);
  for (let seed = 0; seed < 400; seed++) {
    const ex = longRangeExample(LONG_RANGE, 100, seed);
    pairs += ex.positions.filter(([k]) => k !== vocab.filler).length - 2; // minus the asked pair and the query
    answers[ex.answer]++;
  }
  const perSequence = pairs / 400, expected = LONG_RANGE.density * (LONG_RANGE.length - 2);
  assert.ok(Math.abs(perSequence - expected) < 1, `${perSequence} pairs per sequence, expected about ${expected}`);
  assert.ok(answers.every((n) => n > 20), `answers ${answers}`);
  assert.deepEqual(longRangeExample(LONG_RANGE, 30, 5), longRangeExample(LONG_RANGE, 30, 5));
  assert.notDeepEqual(longRangeExample(LONG_RANGE, 30, 5), longRangeExample(LONG_RANGE, 30, 6));
});

Deno.test("longRangeExample: with density 1 and few keys, no key repeats and the asked one is kept", () => {
  const config = { length: 30, keys: 8, values: 3, density: 1 };
  for (let seed = 0; seed < 50; seed++) {
    const ex = longRangeExample(config, 25, seed);
    const keys = ex.positions.slice(0, 29).map(([k]) => k).filter((k) => k < 8);
    assert.equal(new Set(keys).size, keys.length);
    assert.equal(ex.positions[29][0], ex.positions[4][0]);
  }
});

Deno.test("longRange: clear errors", () => {
  assert.throws(
    () => longRangeExample(LONG_RANGE, 201),
    /distance must be at most length − 1 = 200: current value is 201/,
  );
  assert.throws(() => longRangeExample(LONG_RANGE, 0), /distance must be a positive integer/);
  assert.throws(() => longRangeExample({ ...LONG_RANGE, density: 2 }, 3), /density must be in \[0, 1\]/);
  assert.throws(() => longRangeExample({ ...LONG_RANGE, values: 1 }, 3), /config.values must be an integer >= 2/);
  assert.throws(() => longRangeBatch(LONG_RANGE, 0), /batch must be a positive integer/);
  assert.throws(() => sampleDistance(new Prng(1), 0), /max must be a positive integer/);
});

Deno.test("sampleDistance: log-uniform over 1 … max", () => {
  const prng = new Prng(3), ds = Array.from({ length: 4000 }, () => sampleDistance(prng, 200));
  assert.ok(ds.every((d) => Number.isInteger(d) && d >= 1 && d <= 200));
  const share = (lo: number, hi: number) => ds.filter((d) => d >= lo && d <= hi).length / ds.length;
  // log(11)/log(201) ≈ 0.45 below 11; log(201/21)/log(201) ≈ 0.43 from 21 to 200
  assert.ok(Math.abs(share(1, 10) - 0.45) < 0.04, `${share(1, 10)}`);
  assert.ok(Math.abs(share(21, 200) - 0.43) < 0.04, `${share(21, 200)}`);
});

Deno.test("longRangeBatch: the tensors hold the examples; one distance or mixed", () => {
  const { x, y, distances } = longRangeBatch(LONG_RANGE, 6, 9, 40);
  assert.deepEqual(distances, [40, 40, 40, 40, 40, 40]);
  assert.equal(x.dtype, "int32");
  const ids = x.arraySync(), answers = y.arraySync();
  for (let b = 0; b < 6; b++) {
    assert.equal(ids[b][200][1], vocab.query);
    assert.deepEqual(ids[b][160], [ids[b][200][0], vocab.valueOffset + answers[b]]);
  }
  tf.dispose([x, y]);
  const mixed = longRangeBatch(LONG_RANGE, 64, 2);
  assert.ok(new Set(mixed.distances).size > 10);
  tf.dispose([mixed.x, mixed.y]);
});

Deno.test("accuracyByDistance: an oracle scores 1, chance about 1/values, the same sequences every call", async () => {
  const oracle = {
    forward(x: tf.Tensor) {
      const ids = x.arraySync() as number[][][];
      const answers = ids.map((seq) => {
        const key = seq.at(-1)![0];
        return seq.find(([k]) => k === key)![1] - vocab.valueOffset;
      });
      return { logits: tf.oneHot(tf.tensor1d(answers, "int32"), LONG_RANGE.values) };
    },
  };
  const rows = await accuracyByDistance(oracle, LONG_RANGE, [1, 100, 200], { examples: 60, batch: 25 });
  assert.deepEqual(rows, [{ distance: 1, accuracy: 1 }, { distance: 100, accuracy: 1 }, {
    distance: 200,
    accuracy: 1,
  }]);
  const guess = { forward: (x: tf.Tensor) => ({ logits: tf.oneHot(tf.fill([x.shape[0]], 3, "int32"), 10) }) };
  const [a] = await accuracyByDistance(guess, LONG_RANGE, [50], { examples: 500 });
  assert.ok(Math.abs(a.accuracy - 0.1) < 0.04, `${a.accuracy}`);
  assert.deepEqual(await accuracyByDistance(guess, LONG_RANGE, [50], { examples: 500 }), [a]);
  await assert.rejects(() => accuracyByDistance({ forward: () => ({}) }, LONG_RANGE, [5]), /returned no logits/);
});

Deno.test("formatLongRange: filler runs counted, the query last", () => {
  const config = { length: 6, keys: 3, values: 4, density: 0 };
  const ex = longRangeExample(config, 3, 1);
  const key = ex.positions[5][0];
  assert.equal(formatLongRange(ex, config), `·×2 k${key}=${ex.answer} ·×2 k${key}=?`);
});
