/**
 * The WebGPU backend against tfjs's cpu backend, on whatever adapter this machine has (Mesa's software renderer on a
 * CI machine; a GPU elsewhere). Ignored, visibly, where Deno finds no adapter at all.
 */
import assert from "node:assert/strict";
import { tf, useBackend, WEBGPU_SYNC_READ } from "@lib/core/mod.ts";
import { generate, GPT, GPT_TINY, trainGpt } from "@lib/gpt/mod.ts";
import { checkParity, parityTable } from "../../tools/backend_parity.ts";

const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
const adapter = gpu ? await gpu.requestAdapter() : null;

Deno.test({
  name: "webgpu: the GPT's operations, gradients and AdamW steps equal cpu's",
  ignore: !adapter,
  fn: async () => {
    const rows = await checkParity("webgpu");
    assert.ok(rows.every((r) => r.ok), parityTable(rows));
    assert.equal(tf.getBackend(), "wasm", "the backend in use before is restored");
  },
});

Deno.test({
  name: "webgpu: trainGpt learns and generate samples without synchronous reads (which Deno's WebGPU cannot do)",
  ignore: !adapter,
  fn: async () => {
    await useBackend("webgpu");
    try {
      const model = new GPT(GPT_TINY);
      const train = Array.from({ length: 400 }, (_, i) => [1, 2, 3, 4, 5][i % 5]);
      const run = await trainGpt(model, { train, val: train }, {
        maxIters: 60,
        lr: 1e-2,
        evalIters: 4,
        batchSize: 4,
        progress: false,
      });
      assert.ok(run.evals.at(-1)!.val! < 0.5, `val loss ${run.evals.at(-1)!.val}`);
      const out = await generate(model, [1, 2], { maxNewTokens: 6, temperature: 0.1, seed: 1 });
      assert.deepEqual(out, [3, 4, 5, 1, 2, 3]);
      const state = await run.opt.getState();
      assert.equal(state.t, 60);
      run.opt.dispose();
      model.dispose();
    } finally {
      await useBackend("wasm");
    }
  },
});

Deno.test({
  name: "webgpu: a synchronous read says what to do instead of failing inside tfjs",
  ignore: !adapter,
  fn: async () => {
    await useBackend("webgpu");
    try {
      const x = tf.ones([1000]); // still on the CPU side: reads as usual
      assert.equal(x.dataSync()[999], 1);
      const y = tf.add(x, 1); // computed on the GPU (tfjs computes fewer than 128 values on the CPU)
      assert.throws(() => y.dataSync(), { message: WEBGPU_SYNC_READ });
      assert.equal((await y.data())[999], 2);
      tf.dispose([x, y]);
    } finally {
      await useBackend("wasm");
    }
  },
});
