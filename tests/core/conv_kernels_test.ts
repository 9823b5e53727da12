import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { blasInfo, conv2D, registerWasmKernels } from "@lib/core/kernels/mod.ts";
import { CONV_KERNELS_CLANG, CONV_KERNELS_WASM } from "@lib/core/kernels/_conv_kernels_wasm.ts";
import { buildWasm, clangVersion, KERNELS, moduleText, outputOf } from "../../tools/build_wasm.ts";
import { seededTensor as t, weightedSumGrads as grads } from "../../tools/backend_parity.ts";
import { assertSameAsCpu, runOn } from "./_same_as_cpu.ts";

// Every case runs twice on wasm: with BLAS (im2col/col2im in C, cblas_sgemm in cache-sized chunks) and without
// (C loops, XNNPACK products). The course's shapes are NHWC 3×3 "same" convolutions and 2×2 max pooling.
const MODES = [false, ...(blasInfo().available ? [true] : [])];

const conv = (stride: number | [number, number], pad: "same" | "valid" | number) => (x: tf.Tensor, f: tf.Tensor) =>
  tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, stride, pad);

for (const blas of MODES) {
  Deno.test(`Conv2D and its gradients equal cpu's: strides, padding, 1×1 and conv1d (BLAS ${blas})`, async () => {
    await assertSameAsCpu(() => grads(conv(1, "same"), t([2, 5, 5, 3], 1), t([3, 3, 3, 4], 2)), blas);
    await assertSameAsCpu(() => grads(conv(2, "same"), t([3, 7, 7, 2], 3), t([3, 3, 2, 4], 4)), blas);
    await assertSameAsCpu(() => grads(conv([2, 1], "valid"), t([2, 8, 6, 1], 5), t([5, 3, 1, 2], 6)), blas);
    await assertSameAsCpu(() => grads(conv(1, 1), t([1, 4, 4, 2], 7), t([2, 2, 2, 3], 8)), blas);
    await assertSameAsCpu(() => grads(conv(1, "valid"), t([2, 4, 4, 3], 9), t([1, 1, 3, 5], 10)), blas); // 1×1
    await assertSameAsCpu(
      () =>
        grads((x, f) => tf.conv1d(x as tf.Tensor3D, f as tf.Tensor3D, 1, "same"), t([2, 9, 3], 9), t([3, 3, 4], 10)),
      blas,
    );
  });

  Deno.test(`fused conv2d (bias + ReLU, bias only, none) and its gradients equal cpu's (BLAS ${blas})`, async () => {
    for (const activation of ["relu", "linear"] as const) {
      const fused = (x: tf.Tensor, f: tf.Tensor, b: tf.Tensor) =>
        tf.fused.conv2d({
          x: x as tf.Tensor4D,
          filter: f as tf.Tensor4D,
          strides: 1,
          pad: "same",
          bias: b,
          activation,
        });
      await assertSameAsCpu(() => grads(fused, t([2, 6, 6, 3], 1), t([3, 3, 3, 4], 2), t([4], 3)), blas);
      await assertSameAsCpu(() => [fused(t([2, 6, 6, 3], 1), t([3, 3, 3, 4], 2), t([4], 3))], blas); // no tape: fused
    }
    await assertSameAsCpu(
      () => [
        tf.fused.conv2d({
          x: t([1, 5, 5, 2], 4) as tf.Tensor4D,
          filter: t([3, 3, 2, 3], 5) as tf.Tensor4D,
          strides: 2,
          pad: "valid",
          activation: "relu",
        }),
      ],
      blas,
    );
  });

  Deno.test(`Conv2D: cases the GEMM path leaves to tfjs (NCHW, dilations, elu, prelu) still equal cpu's (BLAS ${blas})`, async () => {
    await assertSameAsCpu(
      () => [tf.conv2d(t([1, 7, 7, 2], 1) as tf.Tensor4D, t([3, 3, 2, 3], 2) as tf.Tensor4D, 1, "same", "NHWC", 2)],
      blas,
    );
    await assertSameAsCpu(() => [
      tf.fused.conv2d({
        x: t([1, 5, 5, 2], 3) as tf.Tensor4D,
        filter: t([3, 3, 2, 3], 4) as tf.Tensor4D,
        strides: 1,
        pad: "same",
        bias: t([3], 5),
        activation: "elu",
      }),
      tf.fused.conv2d({
        x: t([1, 5, 5, 2], 3) as tf.Tensor4D,
        filter: t([3, 3, 2, 3], 4) as tf.Tensor4D,
        strides: 1,
        pad: "same",
        activation: "prelu",
        preluActivationWeights: t([3], 6),
      }),
    ], blas);
  });

  Deno.test(`Conv2D and its gradients: a batch of many cache-sized chunks accumulates correctly (BLAS ${blas})`, async () => {
    // 20 images of 16×16×8 with 3×3 filters: 18 432 floats of patches each, so chunks of 14 and 6 images
    await assertSameAsCpu(() => grads(conv(1, "same"), t([20, 16, 16, 8], 11), t([3, 3, 8, 4], 12)), blas);
    await assertSameAsCpu(() => grads(conv(1, "same"), t([12, 14, 14, 16], 13), t([3, 3, 16, 32], 14)), blas); // the CNN's layer 2: chunks of 9 and 3
  });

  Deno.test(`Conv2DBackpropInput: conv2dTranspose and NCHW equal cpu's (BLAS ${blas})`, async () => {
    const up = (x: tf.Tensor, f: tf.Tensor) =>
      tf.conv2dTranspose(x as tf.Tensor4D, f as tf.Tensor4D, [2, 10, 10, 3], 2, "same");
    await assertSameAsCpu(() => grads(up, t([2, 5, 5, 4], 1), t([3, 3, 3, 4], 2)), blas);
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
    ], blas);
  });

  Deno.test(`MaxPoolGrad in C: 4-channel SIMD blocks and the scalar rest, ties, overlaps, padding (BLAS ${blas})`, async () => {
    const pool = (size: number, stride: number, pad: "same" | "valid") => (x: tf.Tensor) =>
      tf.maxPool(x as tf.Tensor4D, size, stride, pad);
    await assertSameAsCpu(() => grads(pool(2, 2, "valid"), t([2, 6, 6, 16], 1)), blas); // the CNN's layer 2: chunks of 9 and 3 shape
    await assertSameAsCpu(() => grads(pool(2, 2, "valid"), t([2, 6, 6, 7], 2)), blas); // 4 + 3 channels
    await assertSameAsCpu(() => grads(pool(3, 1, "same"), t([2, 5, 4, 5], 3)), blas);
    await assertSameAsCpu(() => grads(pool(3, 2, "same"), t([1, 7, 7, 8], 4)), blas);
    await assertSameAsCpu(() => grads((x) => pool(2, 2, "valid")(tf.relu(x)), t([2, 4, 4, 8], 5)), blas); // ties at 0
    const [out] = await runOn("wasm", blas, () => [
      tf.grad((x: tf.Tensor) => tf.maxPool(x as tf.Tensor4D, 2, 2, "valid").sum())(
        tf.tensor4d([1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 2, 2, 2, 2], [1, 2, 2, 4]),
      ),
    ]);
    assert.deepEqual(Array.from(out.data), [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0]); // first maximum wins
  });
}

Deno.test("conv2D kernel function: runs as a kernel on wasm and registers once", () => {
  registerWasmKernels();
  assert.equal(tf.getKernel("Conv2D", "wasm")?.kernelFunc, conv2D as unknown as tf.KernelFunc);
});

Deno.test({
  name: "the committed wasm kernels (conv_kernels.c, lstm.c, activations.c) equal a fresh build (needs the same clang)",
  ignore: (await clangVersion()) !== CONV_KERNELS_CLANG,
  permissions: { run: true, read: true, write: true, env: true },
  fn: async () => {
    assert.ok(CONV_KERNELS_WASM.length > 1000);
    for (const name of KERNELS) {
      const fresh = await buildWasm(name);
      assert.equal(
        moduleText(fresh, CONV_KERNELS_CLANG, name),
        await Deno.readTextFile(outputOf(name)),
        `${name} is stale: run deno task build:wasm`,
      );
      // no memory of its own and no globals (no stack pointer): the module only ever touches the tensors it is handed
      const module = new WebAssembly.Module(fresh);
      assert.deepEqual(WebAssembly.Module.imports(module), [{ module: "env", name: "memory", kind: "memory" }]);
      assert.ok(!WebAssembly.Module.exports(module).some((e) => e.kind === "memory" || e.kind === "global"), name);
    }
  },
});
