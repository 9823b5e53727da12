/**
 * The WebGPU backend against tfjs's cpu backend, on whatever adapter this machine has (Mesa's software renderer on a
 * CI machine; a GPU elsewhere). Ignored, visibly, where Deno finds no adapter at all.
 */
import assert from "node:assert/strict";
import { tf, useBackend, WEBGPU_SYNC_READ } from "@lib/core/mod.ts";
import { generate, GPT, GPT_TINY, trainGpt } from "@lib/gpt/mod.ts";
import { AdamW } from "@lib/nn/mod.ts";
import { checkParity, parityTable } from "../../tools/backend_parity.ts";

const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
const adapter = gpu ? await gpu.requestAdapter() : null;

/** A test that runs on the webgpu backend (ignored without an adapter) and goes back to wasm afterwards. */
function webgpuTest(name: string, fn: () => Promise<void>): void {
  Deno.test({
    name: `webgpu: ${name}`,
    ignore: !adapter,
    fn: async () => {
      await useBackend("webgpu");
      try {
        await fn();
      } finally {
        await useBackend("wasm");
      }
    },
  });
}

webgpuTest("the GPT's operations, gradients and AdamW steps equal cpu's", async () => {
  const rows = await checkParity("webgpu");
  assert.ok(rows.every((r) => r.ok), parityTable(rows));
  assert.equal(tf.getBackend(), "webgpu", "the backend in use before is restored");
});

webgpuTest(
  "trainGpt learns and generate samples without synchronous reads (which Deno's WebGPU cannot do)",
  async () => {
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
    assert.equal((await run.opt.getState()).t, 60);
    run.opt.dispose();
    model.dispose();
  },
);

webgpuTest("a synchronous read says what to do instead of failing inside tfjs", async () => {
  const x = tf.ones([1000]); // still on the CPU side: reads as usual
  assert.equal(x.dataSync()[999], 1);
  const y = tf.add(x, 1); // computed on the GPU (tfjs computes fewer than 128 values on the CPU)
  assert.throws(() => y.dataSync(), { message: WEBGPU_SYNC_READ });
  assert.equal((await y.data())[999], 2);
  tf.dispose([x, y]);
});

webgpuTest("AdamW with flat moments on the GPU takes the host path's steps; state round-trips", async () => {
  const grads = [[[0.3, -2, 1, 1], [1, -1]], [[0.1, 0.4, 2, 2], [-1, 2]], [[-0.5, 1, 3, 3], [3, 3]]];
  const run = async (backend: string, restoreAfter: number) => {
    await useBackend(backend);
    const w = tf.tidy(() => tf.variable(tf.tensor2d([[0.5, -1], [2, 3]])));
    const b = tf.tidy(() => tf.variable(tf.tensor1d([2, 1])));
    const params = new Map<string, tf.Variable>([["w", w], ["b", b]]);
    let opt = new AdamW(params, { lr: 0.1, weightDecay: 0.5 });
    const norms: number[] = [];
    for (const [i, [gw, gb]] of grads.entries()) {
      if (i === restoreAfter) { // a fresh optimizer from the saved state continues the same run
        const state = await opt.getState();
        opt.dispose();
        opt = new AdamW(params, { lr: 0.1, weightDecay: 0.5 });
        opt.setState(state);
      }
      const g: Record<string, tf.Tensor> = { w: tf.tensor2d(gw, [2, 2]) };
      if (i !== 1) g.b = tf.tensor1d(gb);
      norms.push(await opt.step(g, 0.1, 1)); // step 1 leaves b alone: the flat moments are rebuilt around it
      tf.dispose(Object.values(g));
    }
    const out = [...await w.data(), ...await b.data(), ...norms];
    opt.dispose();
    tf.dispose([w, b]);
    return out;
  };
  const host = await run("wasm", -1);
  for (const restoreAfter of [-1, 2]) {
    const tensors = tf.memory().numTensors;
    const gpu = await run("webgpu", restoreAfter);
    gpu.forEach((v, i) => assert.ok(Math.abs(v - host[i]) < 1e-5, `value ${i}: ${v} vs ${host[i]}`));
    assert.equal(tf.memory().numTensors, tensors, "moments rebuilt, restored and disposed without a leak");
  }
});
