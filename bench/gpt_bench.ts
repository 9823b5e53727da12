/**
 * GPT benchmark: the nanoGPT "baby GPT" (4 layers, 4 heads, 128 wide, context 64, batch 12).
 *
 * `deno task bench:gpt [--steps 50]` times training steps and prints ms/step, tokens/s, peak memory and the tensor
 * count over the run (a leak shows as growth), plus KV-cache generation speed; when a Python with torch is found
 * (`LIANDAN_PYTHON`, then `/usr/bin/python3`, `python3`, `python`) it also runs bench/reference/gpt_step.py (the same
 * model and step in PyTorch on one thread) and prints the ratio.
 *
 * `deno task bench:gpt --train [FILE]` runs the full nanoGPT-comparable training on tiny Shakespeare (2000 iters,
 * default file `../shared/data/tinyshakespeare.txt` relative to the repo) and prints val loss and wall time; with torch
 * it then runs the same recipe in PyTorch (gpt_step.py --train) and prints both wall and CPU times and their ratios. It keeps
 * nanoGPT's model, batch, schedule shape and optimizer, with a peak learning rate of 3e-3 instead of nanoGPT's 1e-3
 * (`--lr 1e-3` for nanoGPT's own): a sweep of the PyTorch reference over seeds 1 and 2 gave a whole-split val loss of
 * 1.90 at 1e-3, 1.80 at 2e-3, 1.78 at 3e-3 and 1.78 at 5e-3 (README, Results).
 *
 * @module
 */
import { Prng, tf } from "../lib/core/mod.ts";
import { CharTokenizer } from "../lib/text/mod.ts";
import {
  estimateLoss,
  generate,
  getBatch,
  GPT,
  GPT_BABY,
  type GptConfig,
  gptConfig,
  splitLoss,
  trainGpt,
  trainStep,
} from "../lib/gpt/mod.ts";
import { AdamW } from "../lib/nn/mod.ts";
import { type Flag, helpText, parseFlags, runCli } from "../tools/_gpt_cli.ts";
import { findPython } from "../tools/nb.ts";

const REPO = new URL("..", import.meta.url).pathname;
const FLAGS: Record<string, Flag> = {
  steps: { type: "int", default: 100, min: 1, help: "timed training steps (the tensor count is checked over them)" },
  warmup: { type: "int", default: 5, min: 1, help: "untimed steps first (at least one, outside tf.profile)" },
  "batch-size": { type: "int", default: 12, min: 1, help: "sequences per step" },
  train: { type: "bool", default: false, help: "run the full training instead (--train FILE or --train --data FILE)" },
  data: { type: "string", default: `${REPO}../shared/data/tinyshakespeare.txt`, help: "text file for --train" },
  "max-iters": { type: "int", default: 2000, min: 1, help: "iterations for --train" },
  lr: { type: "number", default: 3e-3, min: 0, help: "peak learning rate for --train (nanoGPT's: 1e-3; see README)" },
  seed: { type: "int", default: 1337, min: 0, help: "seed of the initial weights and batches for --train" },
  "no-torch": { type: "bool", default: false, help: "skip the PyTorch reference" },
  "no-generation": { type: "bool", default: false, help: "skip the KV-cache generation timing" },
  "torch-device": { type: "string", default: "cpu", help: "PyTorch reference on cpu (one thread) or cuda" },
  "n-layer": { type: "int", default: GPT_BABY.nLayer, min: 1, help: "layers of the timed model" },
  "n-head": { type: "int", default: GPT_BABY.nHead, min: 1, help: "heads of the timed model" },
  "n-embd": { type: "int", default: GPT_BABY.nEmbd, min: 1, help: "width of the timed model" },
  "block-size": { type: "int", default: GPT_BABY.blockSize, min: 1, help: "context of the timed model" },
};

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** CPU time of this process in ms (user + system, all threads), from /proc: less noisy than wall time on a shared
 * machine. NaN where /proc is missing. */
function cpuMs(): number {
  try {
    const fields = Deno.readTextFileSync("/proc/self/stat").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 1/100 s
  } catch {
    return NaN;
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Times training steps of a GPT (the baby one by default); returns ms/step. */
async function benchSteps(
  config: GptConfig,
  steps: number,
  warmup: number,
  batchSize: number,
): Promise<{ wall: number; cpu: number }> {
  const model = new GPT(config);
  const opt = new AdamW(model.params);
  const prng = new Prng(1);
  const data = Int32Array.from({ length: 100_000 }, () => prng.int(config.vocabSize));
  const step = async () => {
    const { x, y } = getBatch(data, config.blockSize, batchSize, prng);
    await trainStep(model, opt, x, y, { lr: 1e-3, gradClip: 1 });
    tf.dispose([x, y]);
  };
  for (let i = 0; i < warmup; i++) await step();
  const peakStep = (await tf.profile(step)).peakBytes; // tensors alive at the busiest moment of one step
  const tensors0 = tf.memory().numTensors;
  let peakTf = tf.memory().numBytes, peakRss = Deno.memoryUsage().rss;
  const times: number[] = [];
  const cpu0 = cpuMs();
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
    peakTf = Math.max(peakTf, tf.memory().numBytes);
    peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
  }
  const cpu = (cpuMs() - cpu0) / steps;
  const mean = times.reduce((a, b) => a + b, 0) / steps;
  const tokens = batchSize * config.blockSize;
  console.log(`backend ${tf.getBackend()}, ${model.numParams()} parameters, batch ${batchSize}x${config.blockSize}`);
  console.log(
    `step: ${mean.toFixed(1)} ms mean, ${median(times).toFixed(1)} ms median, ${cpu.toFixed(1)} ms CPU ` +
      `over ${steps} steps`,
  );
  console.log(`tokens/s: ${(tokens / (median(times) / 1000)).toFixed(0)}`);
  console.log(
    `peak memory: tensors ${mib(peakStep)} within a step (${mib(peakTf)} between steps), process rss ${mib(peakRss)}`,
  );
  console.log(
    `tensors: ${tensors0} before, ${tf.memory().numTensors} after ${steps} steps (leak: ${
      tf.memory().numTensors - tensors0
    })`,
  );
  opt.dispose();
  model.dispose();
  return { wall: median(times), cpu };
}

/** Generation of a full context (blockSize − 1 new tokens) with and without the KV cache: best of 3, wall and CPU. */
async function benchGeneration(config: GptConfig): Promise<void> {
  const model = new GPT(config);
  const n = config.blockSize - 1;
  const time = async (kvCache: boolean) => {
    await generate(model, [0], { maxNewTokens: 8, kvCache }); // warm-up
    let wall = Infinity, cpu = Infinity;
    for (let i = 0; i < 3; i++) {
      const [t0, c0] = [performance.now(), cpuMs()];
      await generate(model, [0], { maxNewTokens: n, kvCache, seed: 1 });
      [wall, cpu] = [Math.min(wall, performance.now() - t0), Math.min(cpu, cpuMs() - c0)];
    }
    return { wall, cpu };
  };
  const [cached, full] = [await time(true), await time(false)];
  console.log(
    `generation of ${n} tokens: ${cached.wall.toFixed(0)} ms with KV cache, ${full.wall.toFixed(0)} ms recomputing ` +
      `(${(full.wall / cached.wall).toFixed(1)}x faster; CPU time ${cached.cpu.toFixed(0)} vs ${
        full.cpu.toFixed(0)
      } ms, ` +
      `${(full.cpu / cached.cpu).toFixed(1)}x)`,
  );
  model.dispose();
}

/** Runs the PyTorch reference when torch is installed; returns its ms/step (wall and CPU) or null. */
async function torchStep(
  config: GptConfig,
  steps: number,
  warmup: number,
  batchSize: number,
  device: string,
): Promise<{ wall: number; cpu: number } | null> {
  const python = await findPython(undefined, "torch");
  if (python === null) return null;
  const script = `${REPO}bench/reference/gpt_step.py`;
  const args = [script, "--steps", String(steps), "--warmup", String(warmup), "--batch-size", String(batchSize)];
  args.push("--device", device, "--vocab", String(config.vocabSize), "--block-size", String(config.blockSize));
  args.push("--n-layer", String(config.nLayer), "--n-head", String(config.nHead), "--n-embd", String(config.nEmbd));
  if (config.bias) args.push("--bias");
  const out = await new Deno.Command(python, { args }).output();
  if (!out.success) throw new Error(`gpt_step.py failed: ${new TextDecoder().decode(out.stderr)}`);
  const result = JSON.parse(new TextDecoder().decode(out.stdout));
  console.log(
    `PyTorch ${result.torch} (${device === "cpu" ? "1 thread" : result.device}): ${
      result.ms_per_step.toFixed(1)
    } ms/step, ${result.cpu_ms_per_step.toFixed(1)} ` +
      `ms CPU, ${result.params} parameters`,
  );
  return { wall: result.ms_per_step, cpu: result.cpu_ms_per_step };
}

/** What a full training run gave: wall and CPU seconds of the training loop (evaluations included), whole-split val loss. */
interface RunResult {
  seconds: number;
  cpuSeconds: number;
  valWhole: number;
}

/** nanoGPT's recipe in PyTorch (bench/reference/gpt_step.py --train) on the same file; null without torch. */
async function torchTraining(path: string, maxIters: number, lr: number, seed: number): Promise<RunResult | null> {
  const python = await findPython(undefined, "torch");
  if (python === null) return null;
  if (maxIters !== 2000) {
    console.log("PyTorch reference skipped: gpt_step.py --train runs nanoGPT's 2000 iterations only");
    return null;
  }
  const script = `${REPO}bench/reference/gpt_step.py`;
  const args = [script, "--train", path, "--lr", String(lr), "--seed", String(seed)];
  const out = await new Deno.Command(python, { args, stderr: "inherit" }).output();
  if (!out.success) throw new Error("gpt_step.py --train failed (its error is above)");
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  for (const line of lines.slice(0, -1)) console.log(`PyTorch ${line}`);
  const r = JSON.parse(lines.at(-1)!);
  console.log(
    `PyTorch ${r.torch} (1 thread): val loss ${r.val_loss.toFixed(4)} after ${maxIters} iterations in ` +
      `${r.seconds.toFixed(1)} s wall, ${r.cpu_seconds.toFixed(1)} s CPU; whole val split ${
        r.val_loss_whole.toFixed(4)
      }`,
  );
  return { seconds: r.seconds, cpuSeconds: r.cpu_seconds, valWhole: r.val_loss_whole };
}

/** The full training run on tiny Shakespeare, then (with torch) the same recipe in PyTorch and the two ratios. */
async function benchTrainingBoth(path: string, maxIters: number, lr: number, seed: number, torch: boolean) {
  const ours = await benchTraining(path, maxIters, lr, seed);
  const ref = torch ? await torchTraining(path, maxIters, lr, seed) : null;
  if (ref === null) return;
  console.log(
    `full run: ${(ours.seconds / ref.seconds).toFixed(2)}x PyTorch's wall time, ` +
      `${(ours.cpuSeconds / ref.cpuSeconds).toFixed(2)}x its CPU time; whole-split val loss ` +
      `${ours.valWhole.toFixed(4)} vs ${ref.valWhole.toFixed(4)}`,
  );
}

/** The full training run on tiny Shakespeare. */
async function benchTraining(path: string, maxIters: number, lr: number, seed: number): Promise<RunResult> {
  const text = await Deno.readTextFile(path);
  const tok = CharTokenizer.fromText(text, { specials: [] });
  const ids = tok.encode(text);
  const n = Math.floor(ids.length * 0.9);
  const model = new GPT({ ...GPT_BABY, vocabSize: tok.vocabSize }, seed);
  console.log(
    `${path}: ${ids.length} characters, vocabulary ${tok.vocabSize}, ${maxIters} iterations, lr ${lr}, seed ${seed}, ` +
      `backend ${tf.getBackend()}`,
  );
  const cpu0 = cpuMs();
  const run = await trainGpt(model, { train: ids.slice(0, n), val: ids.slice(n) }, {
    maxIters,
    lr,
    seed,
    progress: false,
    onEval: (e) => console.log(`step ${e.iter}: train loss ${e.train.toFixed(4)}, val loss ${e.val!.toFixed(4)}`),
  });
  const cpuSeconds = (cpuMs() - cpu0) / 1000;
  const last = run.evals.at(-1)!;
  console.log(
    `val loss ${last.val!.toFixed(4)} after ${run.iter} iterations in ${(run.ms / 1000).toFixed(1)} s wall, ` +
      `${cpuSeconds.toFixed(1)} s CPU (${(run.ms / run.iter).toFixed(1)} ms/iteration including evaluation)`,
  );
  // the 20-batch estimate above (as nanoGPT's) varies by about ±0.02 with the batches drawn; this one is tighter
  const precise = await estimateLoss(model, { val: ids.slice(n) }, { evalIters: 200, batchSize: 12, seed: 7 });
  console.log(`val loss over 200 batches (a more precise estimate of the same model): ${precise.val.toFixed(4)}`);
  const whole = await splitLoss(model, ids.slice(n));
  console.log(
    `val loss over the whole val split (consecutive windows of ${model.config.blockSize}): ${whole.toFixed(4)}`,
  );
  const sample = await generate(model, tok.encode("\n"), { maxNewTokens: 200, temperature: 0.8, seed: 1 });
  console.log(tok.decode(sample));
  run.opt.dispose();
  model.dispose();
  return { seconds: run.ms / 1000, cpuSeconds, valWhole: whole };
}

async function main(args: string[]): Promise<void> {
  const at = args.indexOf("--train"); // `--train FILE` names the text directly
  if (at >= 0 && args[at + 1] !== undefined && !args[at + 1].startsWith("--")) {
    args = [...args.slice(0, at + 1), "--data", args[at + 1], ...args.slice(at + 2)];
  }
  const f = parseFlags(args, FLAGS);
  if (!f) return console.log(helpText("Usage: deno task bench:gpt [--steps N] [--train [FILE]]", FLAGS));
  const load = await Deno.readTextFile("/proc/loadavg").catch(() => "?");
  console.log(`machine: ${navigator.hardwareConcurrency} cores, load average ${load.split(" ").slice(0, 3).join(" ")}`);
  if (f.train) {
    const [data, iters, lr, seed] = [f.data as string, f["max-iters"] as number, f.lr as number, f.seed as number];
    return await benchTrainingBoth(data, iters, lr, seed, !f["no-torch"]);
  }
  const [steps, warmup, batch] = [f.steps as number, f.warmup as number, f["batch-size"] as number];
  const config = gptConfig({
    ...GPT_BABY,
    nLayer: f["n-layer"] as number,
    nHead: f["n-head"] as number,
    nEmbd: f["n-embd"] as number,
    blockSize: f["block-size"] as number,
  });
  const ours = await benchSteps(config, steps, warmup, batch);
  if (!f["no-generation"]) await benchGeneration(config);
  const torch = f["no-torch"] ? null : await torchStep(config, steps, warmup, batch, f["torch-device"] as string);
  if (torch !== null) {
    console.log(
      `ratio: ${(ours.wall / torch.wall).toFixed(2)}x PyTorch's step time (wall), ` +
        `${(ours.cpu / torch.cpu).toFixed(2)}x (CPU time)`,
    );
  }
}

if (import.meta.main) await runCli(main);
