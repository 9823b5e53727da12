import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { geluParts } from "@lib/core/kernels/gelu.ts";
import { registerWasmKernels } from "@lib/core/kernels/mod.ts";
import { runOn } from "./_same_as_cpu.ts";

/** Φ(x) in float64, from erfc by its continued fraction (|x| large) or its Taylor series (|x| small). */
function phi(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  let erfc: number;
  if (z < 2.5) {
    let term = z, sum = z; // erf(z) = 2/√π Σ (−1)^n z^(2n+1) / (n! (2n+1))
    for (let n = 1; n < 80; n++) {
      term *= -z * z / n;
      sum += term / (2 * n + 1);
    }
    erfc = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    let f = 0; // erfc(z) = e^(−z²)/√π · 1/(z + 1/2/(z + 1/(z + 3/2/(z + …))))
    for (let n = 60; n >= 1; n--) f = (n / 2) / (z + f);
    erfc = Math.exp(-z * z) / Math.sqrt(Math.PI) / (z + f);
  }
  return x >= 0 ? 1 - erfc / 2 : erfc / 2;
}

const xs = (n: number, scale = 4) => Array.from({ length: n }, (_, i) => scale * Math.sin(1.7 * i + 0.3));

Deno.test("GeluParts on wasm (activations.c): x·Φ(x) and Φ(x) + x·φ(x) within 2e-6 of float64, every tail length", async () => {
  registerWasmKernels();
  for (const n of [1, 2, 3, 4, 5, 7, 8, 9, 1001]) {
    const values = [...xs(n)];
    const [[y, d]] = [
      await runOn("wasm", false, () => {
        const x = tf.tensor1d(values);
        return geluParts(x, true);
      }),
    ];
    values.forEach((v, i) => {
      const want = v * phi(v), slope = phi(v) + v * Math.exp(-v * v / 2) / Math.sqrt(2 * Math.PI);
      assert.ok(Math.abs(y.data[i] - want) < 2e-6, `n=${n}: gelu(${v}) = ${y.data[i]}, want ${want}`);
      assert.ok(Math.abs(d.data[i] - slope) < 2e-6, `n=${n}: gelu'(${v}) = ${d.data[i]}, want ${slope}`);
    });
  }
});

Deno.test("GeluParts on wasm: the tails (−100 → 0, 100 → 100), zero, and the same values as cpu without the derivative", async () => {
  registerWasmKernels();
  const edge = [-100, -30, -9, 0, 9, 30, 100];
  const [y, d] = await runOn("wasm", false, () => geluParts(tf.tensor1d(edge), true));
  const near = (got: ArrayLike<number>, want: number[]) =>
    want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) < 1e-12 && Number.isFinite(got[i]), `${edge[i]}: ${got[i]}`));
  near(y.data, [0, 0, -9 * phi(-9), 0, 9, 30, 100]);
  near(d.data, [0, 0, 0, 0.5, 1, 1, 1]);
  const shape = [3, 5, 7];
  const values = xs(105, 3);
  const [wasm] = await runOn("wasm", false, () => geluParts(tf.tensor(values, shape), false));
  const [cpu] = await runOn("cpu", false, () => geluParts(tf.tensor(values, shape), false));
  assert.deepEqual(wasm.shape, shape);
  for (let i = 0; i < values.length; i++) assert.ok(Math.abs(wasm.data[i] - cpu.data[i]) < 2e-6, `${i}`);
});
