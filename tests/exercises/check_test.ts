import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { DISPLAY, setKernelDisplay } from "@lib/notebook/display.ts";
import {
  type CaseExercise,
  check,
  compare,
  DEFAULT_TIMEOUT_MS,
  type MetricExercise,
  notImplemented,
  NotImplementedError,
  runCheck,
} from "@lib/exercises/check.ts";

// The checks' texts come from the catalog; these use existing ids so that titles and hints resolve.
const GINI_LIKE: CaseExercise<(counts: number[]) => number> = {
  id: "03-gini",
  name: "gini",
  reference: (c: number[]) => {
    const n = c.reduce((a, b) => a + b, 0);
    return n === 0 ? 0 : 1 - c.reduce((s, v) => s + (v / n) ** 2, 0);
  },
  cases: [{ args: [[3, 1]] }, { args: [[5, 0]] }, { args: [[1, 1]] }],
  diagnose: (got, expected) =>
    typeof got === "number" && Math.abs(got - (1 - (expected as number))) < 1e-9 ? "sum" : undefined,
};
const quiet = { log: () => {} };

Deno.test("runCheck passes a right answer, and prints each case before it runs", async () => {
  const lines: string[] = [];
  const v = await runCheck(GINI_LIKE, (c: number[]) => {
    const n = c.reduce((a, b) => a + b, 0);
    return 1 - c.map((x) => x / n).reduce((s, p) => s + p * p, 0);
  }, { log: (l) => lines.push(l) });
  assert.equal(v.passed, true);
  assert.equal(v.text(), "✓ 03 · Gini impurity: all 3 cases pass. Well done!");
  assert.deepEqual(lines, [
    "03 · Gini impurity · case 1/3: gini([ 3, 1 ])",
    "03 · Gini impurity · case 2/3: gini([ 5, 0 ])",
    "03 · Gini impurity · case 3/3: gini([ 1, 1 ])",
  ]);
});

Deno.test("a wrong answer names the case, its input, expected and got, and the diagnosed hint", async () => {
  const sumOfSquares = (c: number[]) => {
    const n = c.reduce((a, b) => a + b, 0);
    return c.reduce((s, v) => s + (v / n) ** 2, 0);
  };
  const v = await runCheck(GINI_LIKE, sumOfSquares, quiet);
  assert.equal(v.passed, false);
  assert.equal(v.reason, "check.wrong_value");
  assert.deepEqual(v.lines, [
    "not yet: 03 · Gini impurity",
    "case 1 of 3 · input: gini([ 3, 1 ])",
    "expected: 0.375",
    "got: 0.625",
    "The values differ: expected 0.375, got 0.625.",
    "hint: You returned the sum of the squared proportions: the impurity is one minus that.",
    "The cells below use the reference solution until yours passes.",
  ]);
  assert.ok(!v.text().includes("    at "), "no stack trace");
});

Deno.test("the general hint when no mistake is diagnosed", async () => {
  const v = await runCheck(GINI_LIKE, () => 0.5, quiet);
  assert.match(v.text(), /hint: Turn the counts into proportions/);
});

Deno.test("the stub's error reads as 'not yet' with the hint", async () => {
  const v = await runCheck(GINI_LIKE, () => {
    throw notImplemented("03-gini");
  }, quiet);
  assert.equal(v.reason, "check.not_implemented");
  assert.match(v.text(), /^not yet: 03 · Gini impurity\n/);
  assert.match(v.text(), /replace the line `throw notImplemented\(…\)`/);
  assert.match(v.text(), /hint: /);
  assert.ok(notImplemented("x") instanceof NotImplementedError);
  assert.throws(() => notImplemented(""), /the exercise id must be a non-empty string: got $/);
});

Deno.test("malformed answers are explained: throw, NaN, wrong type, length, keys, undefined, a Promise, not a function", async () => {
  const reasons = async (answer: unknown) => (await runCheck(GINI_LIKE, answer, quiet)).reason;
  assert.equal(await reasons(() => JSON.parse("{")), "check.threw");
  const threw = await runCheck(GINI_LIKE, () => {
    throw new RangeError("bad counts");
  }, quiet);
  assert.match(threw.text(), /Your code threw RangeError: bad counts\./);
  assert.equal(await reasons(() => NaN), "check.nan");
  assert.equal(await reasons(() => "0.375"), "check.wrong_type");
  assert.match((await runCheck(GINI_LIKE, () => "0.375", quiet)).text(), /Expected a number, got the string "0.375"\./);
  assert.equal(await reasons(() => undefined), "check.undefined");
  assert.equal(await reasons(42), "check.not_function");
  assert.match((await runCheck(GINI_LIKE, 42, quiet)).text(), /Expected a function to check, got the number 42\./);
  const arrays: CaseExercise<() => number[]> = {
    id: "03-gini",
    name: "f",
    reference: () => [1, 2],
    cases: [{ args: [] }],
  };
  assert.equal((await runCheck(arrays, () => [1], quiet)).reason, "check.wrong_length");
  const records: CaseExercise<() => { x: number }> = {
    id: "03-gini",
    name: "f",
    reference: () => ({ x: 1 }),
    cases: [{ args: [] }],
  };
  assert.equal((await runCheck(records, () => ({ y: 1 }), quiet)).reason, "check.wrong_keys");
  assert.match(
    (await runCheck(records, () => ({ x: 2 }), quiet)).text(),
    /The values differ at \.x: expected 1, got 2\./,
  );
});

Deno.test("async answers are awaited, and one that never settles is stopped at the time limit", async () => {
  const slow: CaseExercise<() => Promise<number>> = {
    id: "00-slope",
    name: "slopeOfG",
    reference: () => Promise.resolve(1),
    cases: [{ args: [] }],
    timeoutMs: 50,
  };
  assert.equal((await runCheck(slow, async () => await Promise.resolve(1), quiet)).passed, true);
  const v = await runCheck(slow, () => new Promise(() => {}), quiet);
  assert.equal(v.reason, "check.timeout");
  assert.match(v.text(), /No answer within 0.05 s/);
  assert.equal(DEFAULT_TIMEOUT_MS, 5000);
});

Deno.test("the reference handed back is refused kindly, and so are its listed equivalents", async () => {
  const v = await runCheck(GINI_LIKE, GINI_LIKE.reference, quiet);
  assert.equal(v.passed, false);
  assert.equal(v.reason, "check.reference");
  assert.match(v.text(), /That is the reference solution itself/);
  const twin = (c: number[]) => GINI_LIKE.reference(c);
  assert.equal((await runCheck({ ...GINI_LIKE, equivalents: [twin] }, twin, quiet)).reason, "check.reference");
});

Deno.test("tensors: shape, dtype and values with a tolerance; no tensor left behind", async () => {
  const ex: CaseExercise<(a: tf.Tensor) => tf.Tensor> = {
    id: "00-mse",
    name: "f",
    reference: (a: tf.Tensor) => a.mul(2),
    cases: () => [{ args: [tf.tensor2d([[1, 2], [3, 4]])] }],
    tolerance: 1e-5,
  };
  const before = tf.memory().numTensors;
  assert.equal((await runCheck(ex, (a: tf.Tensor) => a.add(a), quiet)).passed, true);
  assert.equal((await runCheck(ex, (a: tf.Tensor) => a.add(a).add(1e-7), quiet)).passed, true);
  const shape = await runCheck(ex, (a: tf.Tensor) => a.mul(2).reshape([4]), quiet);
  assert.equal(shape.reason, "check.wrong_shape");
  assert.match(shape.text(), /Expected a tensor of shape \[2, 2\], got shape \[4\]\./);
  const dtype = await runCheck(ex, (a: tf.Tensor) => a.mul(2).cast("int32"), quiet);
  assert.equal(dtype.reason, "check.wrong_dtype");
  const value = await runCheck(ex, (a: tf.Tensor) => a.mul(2).add(tf.tensor2d([[0, 0], [0, 1]])), quiet);
  assert.match(value.text(), /The values differ at \[1, 1\]: expected 8, got 9\./);
  assert.match(value.text(), /got: tensor \[2, 2\] float32: 2, 4, 6, 9/);
  assert.equal((await runCheck(ex, () => [2, 4, 6, 8], quiet)).reason, "check.wrong_type");
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("metric exercises: the score against the threshold, with the context", async () => {
  const ex: MetricExercise<(k: number) => number, { offset: number }> = {
    id: "02-classifier",
    name: "fit",
    reference: (k: number) => k,
    metric: "test accuracy",
    threshold: 0.95,
    label: "the test penguins",
    score: (fit, ctx) => fit(ctx.offset),
  };
  const pass = await runCheck(ex, (k: number) => k + 0.5, { ...quiet, context: { offset: 0.5 } });
  assert.equal(
    pass.text(),
    "✓ 02 · a penguin classifier of your own: test accuracy = 1 (needed at least 0.95). Well done!",
  );
  const low = await runCheck(ex, (k: number) => k, { ...quiet, context: { offset: 0.9 } });
  assert.equal(low.reason, "check.below_threshold");
  assert.match(low.text(), /test accuracy = 0.9, needs at least 0.95\./);
  assert.equal((await runCheck(ex, () => NaN, { ...quiet, context: { offset: 0 } })).reason, "check.metric_not_number");
});

Deno.test("check shows the verdict and returns the learner's function once it passes, else the reference", async () => {
  const sent: Record<string, unknown>[] = [];
  setKernelDisplay((bundle) => Promise.resolve(void sent.push(bundle)));
  try {
    const mine = (c: number[]) => GINI_LIKE.reference([...c]);
    assert.equal(await check(GINI_LIKE, mine, quiet), mine);
    assert.equal(await check(GINI_LIKE, () => 2, quiet), GINI_LIKE.reference);
  } finally {
    setKernelDisplay(null);
  }
  assert.equal(sent.length, 2);
  assert.match(String(sent[0]["text/html"]), /class="liandan-check"/);
  assert.match(String(sent[1]["text/plain"]), /^not yet/);
});

Deno.test("malformed exercises are refused with the fix", async () => {
  await assert.rejects(
    () => runCheck({ ...GINI_LIKE, id: "nope" }, () => 0, quiet),
    /exercise "nope" has no title or hint in lib\/exercises\/catalog.ts: add "nope.title" and "nope.hint"/,
  );
  await assert.rejects(() => runCheck({ ...GINI_LIKE, cases: [] }, () => 0, quiet), /as it has no cases/);
  await assert.rejects(
    () => runCheck({ ...GINI_LIKE, reference: 3 } as never, () => 0, quiet),
    /its reference must be a function: got the number 3/,
  );
});

Deno.test("compare: numbers within tolerance, NaN, nested paths", async () => {
  assert.equal(await compare(1, 1 + 1e-9, 1e-6), null);
  assert.equal((await compare(1, 1.1, 1e-6))?.reason, "check.wrong_value");
  assert.equal(await compare(1000, 1000.0001, 1e-6), null, "relative above 1");
  assert.equal((await compare([{ a: [1, 2] }], [{ a: [1, NaN] }], 1e-6))?.values.where, " at [0].a[1]");
  assert.equal(await compare("好", "好", 0), null);
  assert.equal((await compare("好", "坏", 0))?.reason, "check.wrong_value");
});

Deno.test("the verdict's HTML says which exercise, whether it passed, why, and marks the hint", async () => {
  const v = await runCheck(GINI_LIKE, () => {
    throw notImplemented("03-gini");
  }, quiet);
  const html = String(v[DISPLAY]()["text/html"]);
  assert.match(html, /data-exercise="03-gini" data-passed="false" data-reason="check.not_implemented"/);
  assert.match(html, /<div class="liandan-hint"[^>]*>hint: Turn the counts/);
});
