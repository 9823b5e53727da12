/**
 * Test helper: run the same tensor code on the cpu backend and on wasm (BLAS on or off) and assert the outputs equal.
 *
 * @module
 */
import assert from "node:assert/strict";
import { backendName, tf, useBackend } from "@lib/core/mod.ts";
import { blasActive, setBlasEnabled } from "@lib/core/kernels/mod.ts";

/** Tensor code under test: returns its outputs. */
export type Case = () => tf.Tensor[];

/** Runs `f` on a backend (wasm with BLAS on or off) and returns shapes, dtypes and values of its outputs; asserts
 * that the kernels left no data buffers behind. */
export async function runOn(backend: "cpu" | "wasm", blas: boolean, f: Case) {
  const [before, wasBlas] = [backendName(), blasActive()];
  await useBackend(backend);
  setBlasEnabled(blas);
  try {
    const buffers = tf.memory().numDataBuffers;
    const out = tf.tidy(() => f().map((t) => ({ shape: t.shape, dtype: t.dtype, data: t.dataSync() })));
    assert.equal(tf.memory().numDataBuffers, buffers, `${backend}: the kernels left data buffers behind`);
    return out;
  } finally {
    setBlasEnabled(wasBlas);
    await useBackend(before);
  }
}

/**
 * Asserts that `f` gives the same shapes, dtypes and values on cpu and wasm: within 1e-4, relative to the output's
 * largest magnitude when that exceeds 1 (long float32 sums round differently in another order).
 */
export async function assertSameAsCpu(f: Case, blas = false): Promise<void> {
  const cpu = await runOn("cpu", false, f);
  const wasm = await runOn("wasm", blas, f);
  assert.equal(wasm.length, cpu.length);
  cpu.forEach((expected, i) => {
    const scale = Array.from(expected.data).reduce((m: number, v) => Math.max(m, Math.abs(Number(v))), 1);
    assert.deepEqual(wasm[i].shape, expected.shape, `output ${i}: shape`);
    assert.equal(wasm[i].dtype, expected.dtype, `output ${i}: dtype`);
    for (let j = 0; j < expected.data.length; j++) {
      const [e, a] = [Number(expected.data[j]), Number(wasm[i].data[j])];
      assert.ok(Math.abs(a - e) <= 1e-4 * scale, `output ${i}[${j}] (BLAS ${blas}): wasm ${a}, cpu ${e}`);
    }
  });
}
