/**
 * Backend parity: the operations the GPT trains with, run on a backend and on tfjs's reference `cpu` backend, compared
 * value by value. `tests/core/webgpu_test.ts` runs it on the WebGPU adapter of the test machine (a software one in CI);
 * `deno task check:backend` runs it anywhere, e.g. on a GPU machine (see tools/README.md, "Checking a GPU").
 *
 * @module
 */
import { backendName, Prng, tf, useBackend } from "../lib/core/mod.ts";
import { GPT, GPT_TINY, trainStep } from "../lib/gpt/mod.ts";
import { AdamW } from "../lib/nn/mod.ts";
import { scaledDotProductAttention } from "../lib/attention/mod.ts";

/** One case: builds its inputs from seeded values (so every backend sees the same numbers) and returns its outputs. */
export interface ParityCase {
  name: string;
  run: () => tf.Tensor[] | Promise<tf.Tensor[]>;
}

/** One compared case. */
export interface ParityRow {
  name: string;
  /** Number of values compared. */
  values: number;
  /** Largest |backend − cpu| over all outputs, each divided by max(1, the largest |cpu value| of its output). */
  maxError: number;
  ok: boolean;
  /** What differs, when not ok. */
  detail?: string;
}

/** `size` uniform values in [-1, 1) from a seed: the same numbers on every backend (and in every test). */
export function seededValues(size: number, seed: number): Float32Array {
  const prng = new Prng(seed);
  return Float32Array.from({ length: size }, () => prng.uniform(-1, 1));
}

/** A tensor of {@link seededValues}. */
export function seededTensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(seededValues(shape.reduce((a, b) => a * b, 1), seed), shape);
}

/** Gradients of a fixed weighted sum of `f(...inputs)` (weights seeded by 99) with respect to every input. */
export function weightedSumGrads(f: (...x: tf.Tensor[]) => tf.Tensor, ...inputs: tf.Tensor[]): tf.Tensor[] {
  return tf.grads((...x: tf.Tensor[]) => {
    const out = f(...x);
    return out.mul(seededTensor(out.shape, 99)).sum();
  })(inputs);
}

/** `f(...inputs)` followed by {@link weightedSumGrads}. */
function withGrads(f: (...x: tf.Tensor[]) => tf.Tensor, ...inputs: tf.Tensor[]): tf.Tensor[] {
  return [f(...inputs), ...weightedSumGrads(f, ...inputs)];
}

const TOKENS = [[1, 5, 2, 9, 3, 3, 7, 0], [4, 4, 10, 6, 1, 8, 2, 5]];
const NEXT = TOKENS.map((row) => [...row.slice(1), 6]);

/** The cases: matMul in every layout the GPT uses (forward and gradients), gather, softmax, attention, the tiny GPT's
 * logits, loss and parameter gradients, and five AdamW steps. */
export const PARITY_CASES: ParityCase[] = [
  ...[[false, false], [true, false], [false, true], [true, true]].map(([ta, tb]): ParityCase => ({
    name: `matMul 2-D transposeA=${ta} transposeB=${tb}`,
    run: () =>
      withGrads(
        (a, b) => tf.matMul(a, b, ta, tb),
        seededTensor(ta ? [64, 37] : [37, 64], 1),
        seededTensor(tb ? [29, 64] : [64, 29], 2),
      ),
  })),
  {
    name: "matMul batched [2,4,16,8]x[2,4,8,16] (attention scores)",
    run: () => withGrads((a, b) => tf.matMul(a, b), seededTensor([2, 4, 16, 8], 3), seededTensor([2, 4, 8, 16], 4)),
  },
  {
    name: "matMul broadcast [1,3,5,7]x[2,1,7,4]",
    run: () => withGrads((a, b) => tf.matMul(a, b), seededTensor([1, 3, 5, 7], 5), seededTensor([2, 1, 7, 4], 6)),
  },
  {
    name: "gather (embedding lookup) and its gradient",
    run: () => withGrads((w) => tf.gather(w, tf.tensor1d([3, 0, 3, 7, 1], "int32")), seededTensor([8, 6], 7)),
  },
  {
    name: "logSoftmax over 65 classes",
    run: () => withGrads((x) => tf.logSoftmax(x), seededTensor([12, 65], 8).mul(4)),
  },
  {
    name: "causal scaled dot-product attention",
    run: () =>
      withGrads(
        (q, k, v) => scaledDotProductAttention(q, k, v, { causal: true }),
        seededTensor([2, 2, 8, 8], 9),
        seededTensor([2, 2, 8, 8], 10),
        seededTensor([2, 2, 8, 8], 11),
      ),
  },
  {
    name: "GPT_TINY logits, loss and gradients of every parameter",
    run: () => {
      const model = new GPT(GPT_TINY, 5);
      try {
        const x = tf.tensor2d(TOKENS, undefined, "int32"), y = tf.tensor2d(NEXT, undefined, "int32");
        const { logits, loss } = model.forward(x, y);
        const { grads } = tf.variableGrads(() => model.forward(x, y).loss!, [...model.params.values()]);
        const names = Object.keys(grads).sort();
        return [logits, loss!, ...names.map((n) => grads[n])];
      } finally {
        model.dispose();
      }
    },
  },
  {
    name: "GPT_TINY: losses of 5 AdamW steps",
    run: async () => {
      const model = new GPT(GPT_TINY, 5);
      const opt = new AdamW(model.params);
      try {
        const x = tf.tensor2d(TOKENS, undefined, "int32"), y = tf.tensor2d(NEXT, undefined, "int32");
        const losses: number[] = [];
        for (let i = 0; i < 5; i++) losses.push(await trainStep(model, opt, x, y, { lr: 1e-2, gradClip: 1 }));
        return [tf.tensor1d(losses)];
      } finally {
        opt.dispose();
        model.dispose();
      }
    },
  },
];

/** Runs a case on a backend; returns its outputs' shapes and values (read asynchronously, as a GPU needs). */
async function runOn(backend: string, c: ParityCase): Promise<{ shape: number[]; data: Float32Array }[]> {
  await useBackend(backend);
  tf.engine().startScope(); // frees everything the case made, also across its awaits
  try {
    const out = [];
    for (const t of await c.run()) {
      out.push({ shape: t.shape, data: Float32Array.from(await t.data() as Float32Array) });
    }
    return out;
  } finally {
    tf.engine().endScope();
  }
}

/**
 * Runs every case on `backend` and on `cpu` and compares them: within `tolerance` × max(1, largest |cpu value|) per
 * output (float32 sums in another order round differently).
 *
 * @param backend The backend to check (`webgpu`, `wasm`).
 * @param tolerance Allowed error, relative as above.
 * @returns One row per case; the backend in use before is restored.
 */
export async function checkParity(backend: string, tolerance = 1e-4): Promise<ParityRow[]> {
  const before = backendName();
  const rows: ParityRow[] = [];
  try {
    for (const c of PARITY_CASES) {
      const expected = await runOn("cpu", c);
      let actual: Awaited<ReturnType<typeof runOn>>;
      try {
        actual = await runOn(backend, c);
      } catch (e) {
        const values = expected.reduce((n, e) => n + e.data.length, 0);
        rows.push({ name: c.name, values, maxError: Infinity, ok: false, detail: `${backend} threw: ${e}` });
        continue;
      }
      let maxError = 0, values = 0, detail: string | undefined;
      expected.forEach((e, i) => {
        const a = actual[i];
        if (!a || a.shape.join() !== e.shape.join()) {
          detail ??= `output ${i}: shape [${a?.shape ?? "missing"}] instead of [${e.shape}]`;
          return;
        }
        const scale = e.data.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
        for (let j = 0; j < e.data.length; j++) {
          const err = Math.abs(a.data[j] - e.data[j]) / scale;
          if (!(err <= maxError)) maxError = Number.isNaN(err) ? Infinity : err;
          if (!(err <= tolerance)) detail ??= `output ${i}[${j}]: ${backend} ${a.data[j]}, cpu ${e.data[j]}`;
        }
        values += e.data.length;
      });
      rows.push({ name: c.name, values, maxError, ok: detail === undefined, detail });
    }
  } finally {
    await useBackend(before);
  }
  return rows;
}

/** The rows as an aligned text table. */
export function parityTable(rows: ParityRow[]): string {
  const width = Math.max(...rows.map((r) => r.name.length));
  return rows.map((r) =>
    `${r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(width)} ${String(r.values).padStart(6)} values, max error ${
      r.maxError.toExponential(1)
    }${r.detail ? ` (${r.detail})` : ""}`
  ).join("\n");
}
