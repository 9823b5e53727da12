import assert from "node:assert/strict";
import { backendName, Prng, tf, useBackend } from "@lib/core/mod.ts";
import { blasActive, blasInfo, matMulStats, setBlasEnabled, setBlasThreads, sgemm } from "@lib/core/kernels/mod.ts";

const info = blasInfo();
/** BLAS tests need the library; without it they are skipped and their names say why. */
const ignore = !info.available;
const note = ignore ? " (SKIPPED: no native BLAS library; install libopenblas0-pthread)" : "";
if (ignore) console.warn(`blas_test: native BLAS tests skipped: ${info.reason}`);

/** Uniform [-1, 1) floats. */
function floats(size: number, seed: number): Float32Array {
  const prng = new Prng(seed);
  return Float32Array.from({ length: size }, () => prng.uniform(-1, 1));
}

/** Naive row-major `op(a) · op(b)` in float64. */
function reference(ta: boolean, tb: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array) {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let p = 0; p < k; p++) sum += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
      out[i * n + j] = sum;
    }
  }
  return out;
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(
      Math.abs(actual[i] - expected[i]) <= 1e-4 * Math.max(1, Math.abs(expected[i])),
      `${what}[${i}]: ${actual[i]} vs ${expected[i]}`,
    );
  }
}

Deno.test("blasInfo: reports the library, or why there is none", () => {
  assert.equal(typeof info.available, "boolean");
  if (info.available) assert.ok(info.library && info.library.length > 0);
  else assert.ok(info.reason.startsWith("no BLAS library could be loaded"), info.reason);
});

Deno.test({
  name: `sgemm: all four transpose cases equal a float64 reference${note}`,
  ignore,
  fn() {
    const [m, n, k] = [7, 5, 3];
    for (const [ta, tb] of [[false, false], [false, true], [true, false], [true, true]]) {
      const [a, b, c] = [floats(m * k, 1), floats(k * n, 2), new Float32Array(m * n)];
      sgemm(ta, tb, m, n, k, a, b, c);
      assertClose(c, reference(ta, tb, m, n, k, a, b), `ta=${ta} tb=${tb}`);
    }
  },
});

Deno.test({
  name: `sgemm: works in place on a WebAssembly memory and accumulates with beta=1${note}`,
  ignore,
  fn() {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const heap = new Float32Array(memory.buffer);
    heap.set([1, 2, 3, 4], 8); // a = [[1, 2], [3, 4]] at float 8
    heap.set([5, 6, 7, 8], 100); // b at float 100
    heap.set([1, 1, 1, 1], 200); // c at float 200
    sgemm(false, false, 2, 2, 2, heap.subarray(8, 12), heap.subarray(100, 104), heap.subarray(200, 204), 1);
    assert.deepEqual(Array.from(heap.subarray(200, 204)), [20, 23, 44, 51]);
  },
});

Deno.test({
  name: "sgemm: without a BLAS library it throws, saying why",
  ignore: info.available,
  fn() {
    assert.throws(() => sgemm(false, false, 1, 1, 1, new Float32Array(1), new Float32Array(1), new Float32Array(1)), {
      message: `Cannot call sgemm: ${info.reason}`,
    });
  },
});

Deno.test({
  name: `sgemm: rejects arrays too short for their matrices${note}`,
  ignore,
  fn() {
    assert.throws(() => sgemm(false, false, 2, 2, 2, new Float32Array(3), new Float32Array(4), new Float32Array(4)), {
      name: "RangeError",
      message: "Cannot call sgemm as the arrays are too short for m=2, n=2, k=2: current lengths are a=3, b=4, c=4",
    });
  },
});

Deno.test("setBlasEnabled and setBlasThreads: check their arguments", () => {
  assert.throws(() => setBlasEnabled("no" as unknown as boolean), {
    name: "TypeError",
    message: "Cannot set BLAS use as enabled must be a boolean: current value is no",
  });
  assert.throws(() => setBlasThreads(0), {
    name: "RangeError",
    message: "Cannot set BLAS threads as threads must be a positive integer: current value is 0",
  });
});

Deno.test("setBlasEnabled: turns BLAS off and back on", () => {
  const was = blasActive();
  try {
    assert.equal(setBlasEnabled(false), false);
    assert.equal(blasInfo().enabled, false);
    assert.equal(setBlasEnabled(true), info.available);
  } finally {
    setBlasEnabled(was);
  }
});

Deno.test({
  name: `LIANDAN_BLAS=0 turns BLAS off at start-up${note}`,
  ignore,
  async fn() {
    const code = 'import { blasInfo } from "@lib/core/kernels/blas.ts"; console.log(JSON.stringify(blasInfo()));';
    const run = (value: string) =>
      new Deno.Command(Deno.execPath(), { args: ["eval", code], env: { LIANDAN_BLAS: value }, stderr: "inherit" })
        .output().then((out) => JSON.parse(new TextDecoder().decode(out.stdout)));
    const [off, on] = await Promise.all([run("0"), run("1")]);
    assert.deepEqual([off.enabled, off.reason], [false, "turned off by LIANDAN_BLAS=0"]);
    assert.equal(on.enabled, true);
  },
});

Deno.test("blasInfo: without --allow-ffi BLAS is off, without a permission prompt", async () => {
  const code = 'import { blasInfo } from "@lib/core/kernels/blas.ts"; console.log(JSON.stringify(blasInfo()));';
  const args = ["run", "--allow-read", "--allow-env", "--no-prompt", "--ext=ts", "-"];
  const child = new Deno.Command(Deno.execPath(), { args, stdin: "piped", stdout: "piped", stderr: "inherit" }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(code));
  await writer.close();
  const info = JSON.parse(new TextDecoder().decode((await child.output()).stdout));
  assert.deepEqual([info.available, info.reason], [
    false,
    "no permission to load native libraries (run deno with --allow-ffi)",
  ]);
});

/** `f`'s outputs on wasm, with BLAS on or off, and how many 2-D products went to each path. */
async function onWasm(blas: boolean, f: () => tf.Tensor[]) {
  const [backend, was] = [backendName(), blasActive()];
  await useBackend("wasm");
  setBlasEnabled(blas);
  try {
    const before = matMulStats();
    const out = tf.tidy(() => f().map((t) => ({ shape: t.shape, data: Array.from(t.dataSync()) })));
    const after = matMulStats();
    return { out, blas: after.blas - before.blas, xnn: after.xnn - before.xnn };
  } finally {
    setBlasEnabled(was);
    await useBackend(backend);
  }
}

const tensor = (shape: number[], seed: number) => tf.tensor(floats(shape.reduce((a, b) => a * b, 1), seed), shape);

/** Forward products and gradients covering 2-D, transposed, batched and broadcast matMul. */
function products(): tf.Tensor[] {
  const pairs: [number[], number[], boolean, boolean][] = [
    [[24, 16], [16, 8], false, false],
    [[16, 24], [16, 8], true, false],
    [[24, 16], [8, 16], false, true],
    [[16, 24], [8, 16], true, true],
    [[12, 16, 8], [12, 16, 8], false, true], // attention scores: [B·H, T, hs] x [B·H, T, hs]^T
    [[12, 16, 16], [12, 16, 8], false, false], // attention output
    [[3, 16, 8], [8, 10], false, false], // [B, T, C] x [C, N]
    [[3, 8, 16], [10, 8], true, true],
  ];
  return pairs.flatMap(([as, bs, ta, tb], i) => {
    const [a, b] = [tensor(as, 2 * i + 1), tensor(bs, 2 * i + 2)];
    const y = tf.matMul(a, b, ta, tb);
    const g = as.length === bs.length
      ? tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.matMul(x, w, ta, tb).square().sum())([a, b])
      : [];
    return [y, ...g];
  });
}

Deno.test({
  name: `BatchMatMul: BLAS equals the pure-wasm path (2-D, transposed, batched, gradients)${note}`,
  ignore,
  async fn() {
    const withBlas = await onWasm(true, products);
    const without = await onWasm(false, products);
    assert.equal(withBlas.xnn, 0, "with BLAS on, no product went to XNNPACK");
    assert.equal(without.blas, 0, "with BLAS off, no product went to BLAS");
    assert.ok(withBlas.blas > 0 && without.xnn > 0);
    withBlas.out.forEach((o, i) => {
      assert.deepEqual(o.shape, without.out[i].shape, `output ${i}: shape`);
      assertClose(o.data, without.out[i].data, `output ${i}`);
    });
  },
});

Deno.test({
  name: `BatchMatMul: attention's batched products run as one BLAS call per batch entry${note}`,
  ignore,
  async fn() {
    const scores = () => [tf.matMul(tensor([48, 64, 32], 1), tensor([48, 64, 32], 2), false, true)];
    const run = await onWasm(true, scores);
    assert.deepEqual([run.blas, run.xnn], [48, 0]);
    assert.deepEqual(run.out[0].shape, [48, 64, 64]);
  },
});

Deno.test({
  name: `Conv2DBackprop*: conv2d gradients with BLAS equal the pure-wasm path${note}`,
  ignore,
  async fn() {
    const convGrads = () =>
      tf.grads((x: tf.Tensor, f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 2, "same").square().sum())(
        [
          tensor([3, 9, 9, 4], 1),
          tensor([3, 3, 4, 5], 2),
        ],
      );
    const withBlas = await onWasm(true, convGrads);
    const without = await onWasm(false, convGrads);
    // lib's conv kernels call cblas_sgemm themselves (not through the matMul kernel): with BLAS no XNNPACK product runs
    assert.ok(
      withBlas.xnn === 0 && without.xnn > 0,
      `XNNPACK products: ${withBlas.xnn} with BLAS, ${without.xnn} without`,
    );
    withBlas.out.forEach((o, i) => assertClose(o.data, without.out[i].data, `gradient ${i}`));
  },
});
