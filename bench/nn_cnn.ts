/**
 * bench:nn's `cnn` section: a training step (forward, backward, Adam) of lib/nn's DigitCnn at batch 64, on wasm with
 * BLAS, wasm without BLAS and cpu, beside the same model and step in PyTorch (bench/reference/cnn_step.py, one
 * thread). Rounds alternate PyTorch, wasm+BLAS and wasm without BLAS so all three see the same machine load; the
 * ratio is our median step over PyTorch's, in wall time and in CPU time (less sensitive to other processes). The cpu
 * backend is slow enough (seconds per step) to get its own, shorter, timing at the end. Last, notebook 06's recipe
 * (lib/nn's `trainDigitCnn`: shifts of up to 2 px, one-cycle, 15 epochs) is trained on seeds 1–3 (`--seeds N`: 1..N,
 * 0 skips it) and its test accuracy on the 8k/2k digits split printed for each (issue 14: ≥ 97.5% each).
 *
 * @module
 */
import { blasInfo, setBlasEnabled, tf, useBackend } from "../lib/core/mod.ts";
import { loadDigits } from "../lib/data/digits.ts";
import { DigitCnn, predictDigits, trainDigitCnn } from "../lib/nn/cnn.ts";
import { type Flag, helpText, parseFlags } from "../tools/_gpt_cli.ts";
import { cpuMs, load, median, TorchReference } from "./_nn_section.ts";

const FLAGS: Record<string, Flag> = {
  rounds: { type: "int", default: 5, min: 1, help: "interleaved rounds (PyTorch, wasm+BLAS, wasm)" },
  steps: { type: "int", default: 10, min: 1, help: "timed steps per model and round" },
  "batch-size": { type: "int", default: 64, min: 1, help: "images per step" },
  "cpu-steps": { type: "int", default: 1, min: 0, help: "timed steps on the cpu backend (0 skips it)" },
  "no-torch": { type: "bool", default: false, help: "skip the PyTorch reference" },
  seeds: { type: "int", default: 3, min: 0, help: "train notebook 06's recipe on seeds 1..N, print test accuracies" },
};

/** Per-step wall times and the CPU time per step of a run of steps. */
interface Timing {
  wall: number[];
  cpu: number[];
}

/** A model, its fixed batch, and a function that runs one step. */
function setUp(batch: number) {
  const cnn = new DigitCnn();
  const x = tf.randomUniform([batch, 28, 28, 1], 0, 1, "float32", 1) as tf.Tensor4D;
  const y = tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), "int32");
  return { cnn, step: () => cnn.trainStep(x, y), dispose: () => (cnn.dispose(), tf.dispose([x, y])) };
}

/** Times `steps` steps; throws when a step leaves tensors behind. */
function time(step: () => number, steps: number, into: Timing): void {
  const tensors = tf.memory().numTensors;
  const c0 = cpuMs();
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    step();
    into.wall.push(performance.now() - t0);
  }
  into.cpu.push((cpuMs() - c0) / steps);
  if (tf.memory().numTensors !== tensors) {
    throw new Error(`A DigitCnn step leaked ${tf.memory().numTensors - tensors} tensors over ${steps} steps`);
  }
}

const fmt = (t: Timing) => `${median(t.wall).toFixed(1)} ms wall (median), ${median(t.cpu).toFixed(1)} ms CPU`;

/** The `cnn` section of bench:nn. */
export async function cnnSection(args: string[]): Promise<void> {
  const f = parseFlags(args, FLAGS);
  if (f === null) {
    console.log(helpText("deno task bench:nn --only cnn [flags]", FLAGS));
    return;
  }
  const [rounds, steps, batch] = [f.rounds as number, f.steps as number, f["batch-size"] as number];
  await useBackend("wasm");
  const model = setUp(batch);
  const flops = model.cnn.flops();
  console.log(
    `DigitCnn (${model.cnn.numParams()} parameters), batch ${batch}: ${
      ((flops.conv1 + flops.conv2 + flops.dense) / 1e6).toFixed(2)
    } M multiply-adds per image forward, ${(100 * flops.convShare).toFixed(1)}% of them in convolutions`,
  );
  const blas = blasInfo();
  console.log(`BLAS: ${blas.enabled ? `${blas.library}, ${blas.threads} thread(s)` : `off (${blas.reason})`}`);
  const torch = f["no-torch"] ? null : await TorchReference.start(
    new URL("reference/cnn_step.py", import.meta.url).pathname,
    ["--batch-size", String(batch)],
  );
  if (torch) console.log(`PyTorch ${torch.torch}, 1 thread`);
  const timings = {
    torch: { wall: [], cpu: [] } as Timing,
    blas: { wall: [], cpu: [] } as Timing,
    wasm: { wall: [], cpu: [] } as Timing,
  };
  const runWasm = (useBlas: boolean, into: Timing) => {
    setBlasEnabled(useBlas);
    for (let i = 0; i < 2; i++) model.step(); // re-warm after switching path
    time(model.step, steps, into);
  };
  const loads = [load()];
  for (let r = 0; r < rounds; r++) {
    if (torch) {
      const round = await torch.round(steps);
      timings.torch.wall.push(...round.wallMs);
      timings.torch.cpu.push(round.cpuMs.reduce((a, b) => a + b, 0) / steps);
    }
    if (blas.available) runWasm(true, timings.blas);
    runWasm(false, timings.wasm);
  }
  setBlasEnabled(blas.enabled);
  loads.push(load());
  await torch?.close();
  model.dispose();
  if (blas.available) console.log(`wasm + BLAS: ${fmt(timings.blas)}`);
  console.log(`wasm, no BLAS: ${fmt(timings.wasm)}`);
  if (torch) {
    console.log(`PyTorch: ${fmt(timings.torch)}`);
    for (const [name, t] of [["wasm + BLAS", timings.blas], ["wasm, no BLAS", timings.wasm]] as const) {
      if (t.wall.length === 0) continue;
      console.log(
        `ratio ${name} / PyTorch: ${(median(t.wall) / median(timings.torch.wall)).toFixed(2)}x (wall), ` +
          `${(median(t.cpu) / median(timings.torch.cpu)).toFixed(2)}x (CPU time)`,
      );
    }
  }
  console.log(`${rounds} rounds of ${steps} steps each; ${loads.join(" before, ")} after`);
  const cpuSteps = f["cpu-steps"] as number;
  if (cpuSteps > 0) {
    await useBackend("cpu");
    const onCpu = setUp(batch);
    onCpu.step(); // warm-up
    const t: Timing = { wall: [], cpu: [] };
    time(onCpu.step, cpuSteps, t);
    onCpu.dispose();
    console.log(`cpu backend: ${fmt(t)} over ${cpuSteps} step(s) (${load()})`);
    await useBackend("wasm");
  }
  const seeds = f.seeds as number;
  if (seeds > 0) await accuracyOverSeeds(seeds);
}

/** Trains notebook 06's recipe (full mode's 15 epochs) on seeds 1..n and prints each test accuracy. */
async function accuracyOverSeeds(n: number): Promise<void> {
  const digits = await loadDigits({ seed: 1337 });
  const accuracies: number[] = [];
  for (let seed = 1; seed <= n; seed++) {
    const c0 = cpuMs(), t0 = performance.now();
    const cnn = await trainDigitCnn(digits.train, { recipe: { epochs: 15, seed }, progress: false });
    const guesses = predictDigits(cnn, digits.test.images);
    cnn.dispose();
    const accuracy = guesses.filter((g, i) => g === digits.test.labels[i]).length / guesses.length;
    accuracies.push(accuracy);
    console.log(
      `notebook 06 recipe, seed ${seed}: test accuracy ${(100 * accuracy).toFixed(2)}% ` +
        `(${((performance.now() - t0) / 1000).toFixed(0)} s wall, ${((cpuMs() - c0) / 1000).toFixed(0)} s CPU)`,
    );
  }
  const low = Math.min(...accuracies);
  console.log(`notebook 06 recipe over ${n} seed(s): lowest ${(100 * low).toFixed(2)}% (target >= 97.5% each)`);
}
