import assert from "node:assert/strict";
import { loadDigits } from "@lib/data/digits.ts";

const digits = await loadDigits({ seed: 1337 });

Deno.test("loadDigits splits the 10 000 digits 8000/2000, stratified by digit", () => {
  assert.equal(digits.train.size, 8000);
  assert.equal(digits.test.size, 2000);
  assert.equal(digits.train.images.length, 8000 * 784);
  const perDigit = (labels: number[]) => Array.from({ length: 10 }, (_, d) => labels.filter((v) => v === d).length);
  const totals = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]; // the package's digits per class
  assert.deepEqual(perDigit(digits.test.labels), totals.map((n) => Math.round(n * 0.2)));
  assert.deepEqual(perDigit(digits.train.labels), totals.map((n) => n - Math.round(n * 0.2)));
});

Deno.test("loadDigits gives pixels in [0, 1] and shuffled labels", () => {
  assert.ok(digits.train.images.every((v) => v >= 0 && v <= 1));
  assert.ok(digits.train.image(0).some((v) => v > 0.5));
  assert.notDeepEqual(digits.train.labels.slice(0, 20), [...digits.train.labels.slice(0, 20)].sort());
  assert.deepEqual(digits.train.rows(2)[1], Array.from(digits.train.image(1)));
});

Deno.test("loadDigits: same seed same split, other seed other split", async () => {
  const again = await loadDigits({ seed: 1337 });
  assert.deepEqual(again.test.labels, digits.test.labels);
  assert.deepEqual(again.test.images.slice(0, 2000), digits.test.images.slice(0, 2000));
  const other = await loadDigits({ seed: 7 });
  assert.notDeepEqual(other.test.labels, digits.test.labels);
});

Deno.test("loadDigits rejects a bad test fraction", async () => {
  await assert.rejects(() => loadDigits({ testFraction: 1 }), {
    name: "RangeError",
    message: "Cannot split data as testFraction must be in (0, 1): current value is 1",
  });
});
