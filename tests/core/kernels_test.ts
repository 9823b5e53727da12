import assert from "node:assert/strict";
import { Prng, tf, useBackend } from "@lib/core/mod.ts";
import {
  explainWasmError,
  originalWasmKernel,
  planMatMul,
  registerWasmKernels,
  WASM_KERNELS,
  WasmOutOfMemory,
} from "@lib/core/kernels/mod.ts";
import { seededTensor, seededValues, weightedSumGrads } from "../../tools/backend_parity.ts";
import { assertSameAsCpu, runOn } from "./_same_as_cpu.ts";

const t = seededTensor;
const ids = (v: number[], shape: number[] = [v.length]): tf.Tensor1D => {
  const x: tf.Tensor = tf.tensor(v, shape, "int32");
  return x as tf.Tensor1D;
};

const grads = weightedSumGrads;

Deno.test("registerWasmKernels: installs the kernels and can be called again", () => {
  const names = registerWasmKernels();
  assert.deepEqual(names, WASM_KERNELS.map((k) => k.kernelName)); // fallbacks were added by the first call
  assert.ok(names.includes("UnsortedSegmentSum") && names.includes("Conv2DBackpropFilter"));
  for (const config of WASM_KERNELS) assert.equal(tf.getKernel(config.kernelName, "wasm"), config);
  assert.ok(originalWasmKernel("BatchMatMul"));
  assert.equal(originalWasmKernel("Conv2DBackpropFilter"), undefined);
  const cpuOnly = tf.getKernelsForBackend("cpu").map((k) => k.kernelName).filter((name) => !tf.getKernel(name, "wasm"));
  assert.deepEqual(cpuOnly.sort(), ["Complex", "ComplexAbs", "Draw", "FFT", "IFFT", "Imag", "Real"]);
});

Deno.test("cpu fallback: tf.einsum runs on wasm, equals cpu's and leaves no cpu data behind", async () => {
  const cpuBuffers = () => tf.findBackend("cpu").numDataIds();
  const before = cpuBuffers();
  await runOn("wasm", false, () => [tf.einsum("ij,jk->ik", t([3, 4], 1), t([4, 2], 2))]);
  assert.equal(cpuBuffers(), before);
  await assertSameAsCpu(() => [
    tf.einsum("ij,jk->ik", t([3, 4], 1), t([4, 2], 2)),
    tf.einsum("bij,bjk->bik", t([2, 3, 4], 3), t([2, 4, 5], 4)),
    tf.einsum("i,i->", t([5], 5), t([5], 6)),
  ]);
});

Deno.test("UnsortedSegmentSum: gather's gradient on wasm equals cpu's (embeddings train)", async () => {
  await assertSameAsCpu(() => grads((w) => tf.gather(w, ids([0, 2, 2, 5, 1])), t([6, 3], 1)));
  await assertSameAsCpu(() => grads((w) => tf.gather(w, ids([0, 2, 2, 5], [2, 2])), t([6, 3], 2)));
  await assertSameAsCpu(() => grads((w) => tf.gather(w, ids([3, 0, 3]), 1), t([2, 4, 3], 3)));
});

Deno.test("UnsortedSegmentSum: sums rows, drops out-of-range ids, gives float32 like cpu", async () => {
  await assertSameAsCpu(() => [tf.unsortedSegmentSum(t([5, 2], 4), ids([1, 1, 0, 7, -1]), 3)]);
  await assertSameAsCpu(
    () => [tf.unsortedSegmentSum(tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], "int32"), ids([1, 0, 1]), 2)],
  );
  const out = await runOn(
    "wasm",
    false,
    () => [tf.unsortedSegmentSum(tf.tensor1d([1, 2, 3, 4]), ids([0, 2, 0, 2]), 3)],
  );
  assert.deepEqual(Array.from(out[0].data), [4, 0, 6]);
});

Deno.test("Conv2DBackpropFilter: conv2d's gradients on wasm equal cpu's", async () => {
  const conv = (stride: number | [number, number], pad: "same" | "valid" | number) => (x: tf.Tensor, f: tf.Tensor) =>
    tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, pad);
  await assertSameAsCpu(() => grads(conv(1, "same"), t([2, 5, 5, 3], 1), t([3, 3, 3, 4], 2)));
  await assertSameAsCpu(() => grads(conv(2, "same"), t([3, 7, 7, 2], 3), t([3, 3, 2, 4], 4)));
  await assertSameAsCpu(() => grads(conv([2, 1], "valid"), t([2, 8, 6, 1], 5), t([5, 3, 1, 2], 6)));
  await assertSameAsCpu(() => grads(conv(1, 1), t([1, 4, 4, 2], 7), t([2, 2, 2, 3], 8)));
  await assertSameAsCpu(() =>
    grads((x, f) => tf.conv1d(x as tf.Tensor3D, f as tf.Tensor3D, 1, "same"), t([2, 9, 3], 9), t([3, 3, 4], 10))
  );
});

Deno.test("Conv2DBackpropFilter: a batch larger than one chunk accumulates correctly", async () => {
  // 40 images of 32×32×4 with 5×5 filters need 40·1024·100 floats of patches: more than one 4M-float chunk.
  await assertSameAsCpu(() => [
    tf.conv2d(t([40, 32, 32, 4], 11) as tf.Tensor4D, t([5, 5, 4, 2], 12) as tf.Tensor4D, 1, "same"),
    tf.grad((f: tf.Tensor) =>
      tf.conv2d(t([40, 32, 32, 4], 11) as tf.Tensor4D, f as tf.Tensor4D, 1, "same").mul(t([40, 32, 32, 2], 13)).sum()
    )(t([5, 5, 4, 2], 12)),
  ]);
});

Deno.test("Conv2DBackpropInput: conv2dTranspose and its gradients on wasm equal cpu's", async () => {
  const up = (x: tf.Tensor, f: tf.Tensor) =>
    tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, [2, 10, 10, 3], 2, "same");
  await assertSameAsCpu(() => grads(up, t([2, 5, 5, 4], 1), t([3, 3, 3, 4], 2)));
  const valid = (x: tf.Tensor, f: tf.Tensor) =>
    tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, [1, 9, 8, 2], [2, 1], "valid");
  await assertSameAsCpu(() => grads(valid, t([1, 4, 6, 3], 3), t([3, 3, 2, 3], 4)));
});

Deno.test("Conv2DBackprop*: NCHW data format equals cpu's", async () => {
  const attrs = { strides: [2, 1], pad: "same", dataFormat: "NCHW" };
  await assertSameAsCpu(() => [
    tf.engine().runKernel("Conv2DBackpropInput", { dy: t([2, 4, 3, 5], 1), filter: t([3, 3, 2, 4], 2) }, {
      ...attrs,
      inputShape: [2, 2, 6, 5],
    }) as tf.Tensor,
    tf.engine().runKernel("Conv2DBackpropFilter", { x: t([2, 2, 6, 5], 3), dy: t([2, 4, 3, 5], 4) }, {
      ...attrs,
      filterShape: [3, 3, 2, 4],
    }) as tf.Tensor,
  ]);
});

Deno.test("Conv2DBackpropInput: a batch larger than one chunk equals cpu's", async () => {
  await assertSameAsCpu(() => [
    tf.conv2dTranspose(
      t([40, 32, 32, 2], 11) as tf.Tensor4D,
      t([5, 5, 4, 2], 12) as tf.Tensor4D,
      [40, 32, 32, 4],
      1,
      "same",
    ),
  ]);
});

Deno.test("DepthwiseConv2dNativeBackprop*: depthwise and separable conv gradients on wasm equal cpu's", async () => {
  const depthwise = (stride: number, pad: "same" | "valid") => (x: tf.Tensor, f: tf.Tensor) =>
    tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, pad);
  await assertSameAsCpu(() => grads(depthwise(1, "same"), t([2, 5, 5, 3], 1), t([3, 3, 3, 2], 2)));
  await assertSameAsCpu(() => grads(depthwise(2, "valid"), t([2, 7, 6, 2], 3), t([3, 2, 2, 1], 4)));
  await assertSameAsCpu(() =>
    grads(
      (x, d, p) => tf.separableConv2d(x as tf.Tensor4D, d as tf.Tensor4D, p as tf.Tensor4D, 1, "same"),
      t([2, 6, 6, 2], 5),
      t([3, 3, 2, 2], 6),
      t([1, 1, 4, 3], 7),
    )
  );
});

Deno.test("Tanh: equals cpu's within 2e-7, relatively near 0, with its gradient", async () => {
  const special = [0, -0, 1e-30, -1e-8, 1e-3, 0.0499, 0.05, -0.0501, 0.5, -3, 9, 20, -50, Infinity, -Infinity];
  const xs = [...special, ...seededValues(1000, 5).map((v) => v * 6)];
  const [cpu] = await runOn("cpu", false, () => [tf.tanh(tf.tensor1d(xs))]);
  const [wasm] = await runOn("wasm", false, () => [tf.tanh(tf.tensor1d(xs))]);
  xs.forEach((x, i) => {
    const [e, a] = [cpu.data[i], wasm.data[i]];
    const tolerance = Math.abs(x) < 0.05 ? 1e-6 * Math.abs(e) : 2e-7;
    assert.ok(Math.abs(a - e) <= tolerance, `tanh(${x}): wasm ${a}, cpu ${e}`);
  });
  const [nan] = await runOn("wasm", false, () => [tf.tanh(tf.tensor1d([NaN]))]);
  assert.ok(Number.isNaN(nan.data[0]));
  await assertSameAsCpu(() => grads((x) => tf.tanh(x), t([4, 5], 6)));
});

Deno.test("MaxPoolGrad: maxPool's gradient on wasm equals cpu's, ties and overlaps included", async () => {
  const pool = (size: number, stride: number, pad: "same" | "valid") => (x: tf.Tensor) =>
    tf.maxPool(x as tf.Tensor4D, size, stride, pad);
  await assertSameAsCpu(() => grads(pool(2, 2, "valid"), t([2, 6, 6, 3], 1)));
  await assertSameAsCpu(() => grads(pool(3, 1, "same"), t([2, 5, 4, 2], 2))); // overlapping windows accumulate
  await assertSameAsCpu(() => grads(pool(3, 2, "same"), t([1, 7, 7, 4], 3)));
  await assertSameAsCpu(() => grads((x) => pool(2, 2, "valid")(tf.relu(x)), t([2, 4, 4, 8], 4))); // ties at 0
  const [out] = await runOn("wasm", false, () => [
    tf.grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid").sum())(
      tf.tensor4d([1, 3, 3, 2], [1, 2, 2, 1]),
    ),
  ]);
  assert.deepEqual(Array.from(out.data), [0, 1, 0, 0]); // the first of equal maxima gets the gradient
});

Deno.test("AvgPoolGrad: avgPool's gradient on wasm equals cpu's", async () => {
  const pool = (size: number, stride: number, pad: "same" | "valid") => (x: tf.Tensor) =>
    tf.avgPool(x as tf.Tensor4D, size, stride, pad);
  await assertSameAsCpu(() => grads(pool(2, 2, "valid"), t([2, 6, 6, 3], 1)));
  await assertSameAsCpu(() => grads(pool(3, 1, "same"), t([2, 5, 4, 2], 2)));
  await assertSameAsCpu(() => grads(pool(3, 2, "same"), t([1, 7, 7, 4], 3)));
});

Deno.test("Sum: leading-axis and other reductions on wasm equal cpu's", async () => {
  await assertSameAsCpu(() => {
    const x = t([6, 5, 4], 1);
    return [
      tf.sum(x, 0),
      tf.sum(x, [0, 1]),
      tf.sum(x, [1, 0], true),
      tf.sum(x, -1),
      tf.sum(x, [0, 2]),
      tf.sum(x),
      tf.sum(x, [-3, -2]),
      tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], "int32"), 0),
      tf.sum(tf.tensor2d([[true, false], [true, true]], [2, 2], "bool"), 0),
    ];
  });
  await assertSameAsCpu(() => grads((x, b) => tf.add(x, b), t([3, 4, 5], 2), t([5], 3))); // bias gradient
});

Deno.test("Identity: clones share data, survive disposing the original, and keep values", async () => {
  await useBackend("wasm");
  const buffers = tf.memory().numDataBuffers;
  const x = tf.tensor1d([1, 2, 3]);
  const y = tf.clone(x);
  assert.equal(tf.memory().numDataBuffers, buffers + 1, "the clone shares x's buffer");
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3]);
  y.dispose();
  assert.equal(tf.memory().numDataBuffers, buffers);
  await assertSameAsCpu(() => [tf.clone(tf.tensor1d([1, 2], "int32")), tf.clone(tf.tensor1d([true], "bool"))]);
  const [s] = await runOn("wasm", false, () => [tf.clone(tf.tensor1d(["a", "b"]))]);
  assert.equal(s.dtype, "string");
});

for (const [transposeA, transposeB] of [[false, false], [false, true], [true, false], [true, true]]) {
  Deno.test(`BatchMatMul: 2-D matMul and its gradients, transposeA=${transposeA} transposeB=${transposeB}`, async () => {
    const a = (seed: number) => t(transposeA ? [3, 5] : [5, 3], seed);
    const b = (seed: number) => t(transposeB ? [4, 3] : [3, 4], seed);
    await assertSameAsCpu(() => grads((x, y) => tf.matMul(x, y, transposeA, transposeB), a(1), b(2)));
  });
}

Deno.test("BatchMatMul: batched products (attention shapes) and their gradients", async () => {
  await assertSameAsCpu(() => grads((q, k) => tf.matMul(q, k, false, true), t([6, 7, 3], 1), t([6, 5, 3], 2)));
  await assertSameAsCpu(() => grads((a, v) => tf.matMul(a, v), t([2, 3, 7, 7], 3), t([2, 3, 7, 4], 4)));
  await assertSameAsCpu(() => grads((a, v) => tf.matMul(a, v, true, true), t([4, 5, 3], 5), t([4, 2, 5], 6)));
});

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`BatchMatMul: mixed broadcast batches ([1,3]·[2,1], [3]·[2,1]) are right on ${backend}`, async () => {
    await useBackend(backend);
    try {
      const cases: [number[], number[], boolean, boolean][] = [
        [[1, 3, 5, 7], [2, 1, 7, 4], false, false],
        [[3, 7, 5], [2, 1, 4, 7], true, true],
      ];
      for (const [as, bs, ta, tb] of cases) {
        const [a, b] = [t(as, 1), t(bs, 2)];
        // the same product with both operands tiled to the full batch by hand: no broadcasting left to get wrong
        const tiled = (x: tf.Tensor, y: tf.Tensor) => {
          const outer = tf.broadcast_util.assertAndGetBroadcastShape(x.shape.slice(0, -2), y.shape.slice(0, -2));
          const full = (z: tf.Tensor) => {
            const shape = [...Array(outer.length + 2 - z.rank).fill(1), ...z.shape];
            return tf.tile(z.reshape(shape), [...outer.map((n, i) => n / shape[i]), 1, 1]);
          };
          return tf.matMul(full(x), full(y), ta, tb);
        };
        const got = grads((x, y) => tf.matMul(x, y, ta, tb), a, b);
        const want = grads(tiled, a, b);
        const [y, yRef] = [tf.matMul(a, b, ta, tb), tiled(a, b)];
        for (const [g, w] of [[y, yRef], ...got.map((g, i) => [g, want[i]])]) {
          assert.deepEqual(g.shape, w.shape);
          const [gd, wd] = [g.dataSync(), w.dataSync()];
          for (let i = 0; i < wd.length; i++) assert.ok(Math.abs(gd[i] - wd[i]) < 1e-4, `${as}·${bs} [${i}]`);
        }
        // and the first product by hand
        if (!ta) {
          const [ad, bd] = [a.dataSync(), b.dataSync()];
          let s = 0;
          for (let k = 0; k < 7; k++) s += ad[1 * 35 + k] * bd[0 * 28 + k * 4]; // out[0, 1, 0, 0] = a[0,1]·b[0,0]
          assert.ok(Math.abs(y.dataSync()[20] - s) < 1e-5);
        }
      }
    } finally {
      await useBackend("wasm");
    }
  });
}

Deno.test("BatchMatMul: broadcast batch dimensions and a 2-D right operand", async () => {
  await assertSameAsCpu(() => [
    tf.matMul(t([1, 3, 4], 1), t([5, 4, 2], 2)),
    tf.matMul(t([5, 4, 3], 3), t([1, 4, 2], 4), true),
    tf.matMul(t([5, 3, 4], 5), t([4, 2], 6)),
    tf.matMul(t([2, 3, 3, 4], 7), t([4, 6], 8), false, false),
    tf.matMul(t([2, 3, 4, 3], 9), t([6, 4], 10), true, true),
  ]);
});

for (const backend of ["cpu", "wasm"] as const) {
  Deno.test(`BatchMatMul gradient: broadcast batch dimensions reduce like an explicit tile (${backend})`, async () => {
    const cases: [number[], number[], boolean, boolean, number[], number[]][] = [
      [[3, 5, 4], [4, 2], false, false, [1, 1, 1], [3, 1, 1]], // [B, T, C] · [C, N]: a linear layer on a sequence
      [[3, 5, 4], [2, 4], false, true, [1, 1, 1], [3, 1, 1]],
      [[2, 3, 4, 5], [1, 3, 4, 2], true, false, [1, 1, 1, 1], [2, 1, 1, 1]],
      [[1, 5, 4], [3, 4, 2], false, false, [3, 1, 1], [1, 1, 1]],
      [[4, 5], [3, 2, 4], true, true, [3, 1, 1], [1, 1, 1]],
    ];
    for (const [as, bs, ta, tb, tileA, tileB] of cases) {
      const out = await runOn(backend, false, () => {
        const [a, b] = [t(as, 1), t(bs, 2)];
        const w = t(tf.matMul(a, b, ta, tb).shape, 3);
        const loss = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb).mul(w).sum();
        const tiled = (x: tf.Tensor, y: tf.Tensor) => {
          const [x3, y3] = [x.rank < tileA.length ? x.expandDims(0) : x, y.rank < tileB.length ? y.expandDims(0) : y];
          return loss(tf.tile(x3, tileA), tf.tile(y3, tileB));
        };
        return [...tf.grads(loss)([a, b]), ...tf.grads(tiled)([a, b])];
      });
      for (const i of [0, 1]) {
        assert.deepEqual(out[i].shape, out[i + 2].shape, `${as} · ${bs}: gradient ${i} shape`);
        out[i].data.forEach((v, j) =>
          assert.ok(Math.abs(Number(v) - Number(out[i + 2].data[j])) < 1e-4, `${as} · ${bs}: gradient ${i}[${j}]`)
        );
      }
    }
  });
}

Deno.test("BatchMatMul: int32 products like cpu (which tfjs's wasm kernel rejected)", async () => {
  const int = (shape: number[], seed: number) => {
    const prng = new Prng(seed);
    const size = shape.reduce((a, b) => a * b, 1);
    const x: tf.Tensor = tf.tensor(Array.from({ length: size }, () => prng.int(21) - 10), shape, "int32");
    return x;
  };
  await assertSameAsCpu(() => [
    tf.matMul(int([3, 4], 1), int([4, 2], 2)),
    tf.matMul(int([2, 4, 3], 3), int([2, 5, 4], 4), true, true),
    tf.matMul(int([2, 3, 4], 5), int([4, 2], 6)),
  ]);
});

Deno.test("BatchMatMul: other dtypes get a clear error on wasm", async () => {
  await useBackend("wasm");
  const bools = () => tf.tensor2d([[true, false]], [1, 2], "bool");
  assert.throws(() => tf.tidy(() => tf.matMul(bools(), bools(), false, true)), {
    name: "TypeError",
    message: "Cannot multiply matrices of dtypes bool and bool: use float32 or int32 for both",
  });
});

Deno.test("BatchMatMul: empty and zero-width products", async () => {
  await assertSameAsCpu(
    () => [tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 2])), tf.matMul(tf.zeros([0, 4]), t([4, 2], 1))],
  );
});

Deno.test("BatchMatMul: a GPT-sized training step leaves no tensors or buffers behind", async () => {
  await useBackend("wasm");
  const w = tf.variable(t([32, 48], 1));
  const step = () =>
    tf.tidy(() => {
      const { value, grads: g } = tf.variableGrads(() => {
        const x = t([2, 8, 32], 2); // [B, T, C]
        const qkv = tf.matMul(x.reshape([16, 32]), w).reshape([2, 8, 3, 16]); // [B, T, 3, C/2]
        const [q, k, v] = tf.split(qkv, 3, 2).map((p) => p.reshape([2, 8, 16])); // [B, T, hs]
        const att = tf.softmax(tf.matMul(q, k, false, true).div(4)); // [B, T, T]
        return tf.matMul(att, v).square().mean() as tf.Scalar; // [B, T, hs] -> loss
      });
      return [value.dataSync()[0], g[w.name].abs().sum().dataSync()[0]];
    });
  step();
  const [tensors, buffers] = [tf.memory().numTensors, tf.memory().numDataBuffers];
  const [loss, gradNorm] = step();
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(tf.memory().numDataBuffers, buffers);
  assert.ok(loss > 0 && gradNorm > 0, `loss ${loss}, |grad| ${gradNorm}`);
  w.dispose();
});

Deno.test("planMatMul: sizes and tfjs's error for mismatched inner dimensions", () => {
  const plan = planMatMul([2, 1, 5, 3], [4, 3, 6], false, false);
  assert.deepEqual(plan.outShape, [2, 4, 5, 6]);
  assert.deepEqual([plan.batch, plan.batchA, plan.batchB, plan.k], [8, 2, 4, 3]);
  assert.throws(() => planMatMul([5, 3], [4, 6], false, false), {
    message: "Error in matMul: inner shapes (3) and (4) of Tensors with shapes 5,3 and 4,6 and transposeA=false " +
      "and transposeB=false must match.",
  });
});

Deno.test("wasm memory: an allocation past 4 GiB throws WasmOutOfMemory with what to change, and wasm still works", async () => {
  await useBackend("wasm");
  assert.throws(() => tf.zeros([2 ** 30 + 2 ** 28]), { // 5 GiB of float32
    name: "WasmOutOfMemory",
    message:
      /Cannot allocate 5120 MiB for a tensor: the wasm backend's memory is limited to 4 GiB .* smaller batch size/,
  });
  const x = tf.ones([3]);
  assert.deepEqual(Array.from(await x.data()), [1, 1, 1]);
  x.dispose();
});

Deno.test("explainWasmError: a wasm trap near the 4 GiB limit becomes WasmOutOfMemory; anything else passes through", () => {
  const backend = (heap: number) => ({ wasm: { HEAPU8: { byteLength: heap } } }) as unknown as tf.KernelBackend;
  const trap = new WebAssembly.RuntimeError("memory access out of bounds");
  const full = explainWasmError(trap, backend(4 * 2 ** 30 - 2 ** 20));
  assert.ok(full instanceof WasmOutOfMemory);
  assert.match(
    full.message,
    /^Ran out of memory in a kernel: the wasm backend's memory is limited to 4 GiB and 4095 MiB/,
  );
  assert.equal(explainWasmError(trap, backend(2 ** 30)), trap); // a trap with room left is a bug, not memory
  const other = new TypeError("x");
  assert.equal(explainWasmError(other, backend(4 * 2 ** 30)), other);
  assert.equal(explainWasmError(trap, {} as tf.KernelBackend), trap); // not the wasm backend
});
