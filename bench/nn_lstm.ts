/**
 * LSTM benchmark: a character LSTM's training step, ours (the fused kernel, lib/core/kernels/lstm.ts, and optionally
 * the readable cell) against `torch.nn.LSTM` on one thread (bench/reference/lstm_step.py), in the same run,
 * interleaved round by round.
 *
 * A step: token ids `[B, T]` → embedding `[V, H]` → LSTM(H) → loss, backward, one Adam step over every parameter.
 * Two losses: **no head**, `mean(hs ⊙ r)` for a fixed random `r` (the recurrence's own cost), and **head**, a
 * `Linear(H, V)` and cross-entropy (a language model: the head is one big BLAS product on both sides and hides the
 * recurrence's cost, so both ratios are reported). Defaults: B = 32, T = 64, V = 3000, H = 128 and 256.
 *
 * In `deno task bench:nn` (bench/nn_bench.ts) this is the `lstm` section, {@link lstmSection}: `deno task bench:nn
 * --only lstm [--rounds 3] [--steps 5] [--readable] [--rnn] [--hidden 128,256]` (`--help` lists the flags); alone, `deno run
 * -A bench/nn_lstm.ts` with the same flags. `await benchLstm(options)` prints the same table and returns its rows.
 *
 * Times are medians of wall time per step; CPU time per step (from /proc on our side, `time.process_time` on
 * PyTorch's) is printed beside them, as it is steadier on a shared machine. The ratio is ours ÷ PyTorch's.
 *
 * @module
 */
import { blasInfo, Prng, tf, useBackend } from "../lib/core/mod.ts";
import { AdamW, crossEntropy, embedding, initLstmWeights, initRnnWeights, linear, lstm, rnn } from "../lib/nn/mod.ts";
import { findPython } from "../tools/nb.ts";
import { type Flag, helpText, parseFlags } from "../tools/_gpt_cli.ts";
import { cpuMs, median } from "./_nn_section.ts";

const REPO = new URL("..", import.meta.url).pathname;

/** Options of {@link benchLstm}. */
export interface LstmBenchOptions {
  /** Batch size B. Default 32. */
  batch?: number;
  /** Sequence length T. Default 64. */
  seq?: number;
  /** Vocabulary V (embedding rows and head width). Default 3000. */
  vocab?: number;
  /** Hidden sizes H to time. Default [128, 256]. */
  hidden?: number[];
  /** Interleaved rounds (ours, then PyTorch's). Default 3. */
  rounds?: number;
  /** Timed steps per case and round. Default 5. */
  steps?: number;
  /** Also time the readable cell (lib/nn/lstm_cell.ts step by step), at the first hidden size without head. */
  readable?: boolean;
  /** Also time the plain RNN (lib/nn/recurrent.ts's `rnn`), fused and step by step, at the first hidden size without
   * head (no PyTorch reference). */
  rnn?: boolean;
  /** Skip PyTorch. */
  noTorch?: boolean;
  /** Print the table (default true). */
  log?: boolean;
}

/** One row of {@link benchLstm}'s result. */
export interface LstmBenchRow {
  /** `fused` or `readable` (the LSTM), `rnn fused` or `rnn steps` (the plain RNN). */
  impl: string;
  hidden: number;
  /** 0 = no head, else the head's width (V). */
  head: number;
  /** Ours: median wall ms per step over all rounds, and CPU ms per step. */
  ms: number;
  cpuMs: number;
  /** PyTorch's, or null without it. */
  torchMs: number | null;
  torchCpuMs: number | null;
}

interface Case {
  impl: "fused" | "readable" | "rnn fused" | "rnn steps";
  hidden: number;
  head: number;
}

/** A model and its training step for one case; the step returns the loss. */
function makeCase(c: Case, B: number, T: number, V: number) {
  const prng = new Prng(1);
  const H = c.hidden;
  const plain = c.impl.startsWith("rnn");
  const w = plain ? initRnnWeights(H, H, prng) : initLstmWeights(H, H, prng);
  const params = new Map<string, tf.Variable>([
    ["embedding", tf.variable(tf.randomNormal([V, H], 0, 1, "float32", prng.tfSeed()))],
    ...Object.entries(w).map(([k, t]) => [k, tf.variable(t)] as [string, tf.Variable]),
  ]);
  tf.dispose(Object.values(w));
  if (c.head) {
    params.set("headW", tf.variable(tf.randomUniform([H, c.head], -1 / Math.sqrt(H), 1 / Math.sqrt(H), "float32", 3)));
    params.set("headB", tf.variable(tf.zeros([c.head])));
  }
  const p = (k: string) => params.get(k)!;
  const ids = Int32Array.from({ length: B * (T + 1) }, () => prng.int(V));
  const x = tf.tensor1d(ids.filter((_, i) => i % (T + 1) !== T), "int32"); // [B·T]
  const y = tf.tensor1d(ids.filter((_, i) => i % (T + 1) !== 0), "int32"); // [B·T], the next ids
  const r = tf.randomNormal([B, T, H], 0, 1, "float32", 4);
  const opt = new AdamW(params, { lr: 1e-3, weightDecay: 0, beta2: 0.999 });
  const fused = c.impl === "fused" || c.impl === "rnn fused";
  const loss = () =>
    tf.tidy(() => {
      const e = embedding(p("embedding") as tf.Tensor2D, x).reshape([B, T, H]); // [B, T, H]
      const w = { kernel: p("kernel"), recurrentKernel: p("recurrentKernel"), bias: p("bias") };
      const { hs } = plain ? rnn(e, w, undefined, { fused }) : lstm(e, w, undefined, { fused }); // [B, T, H]
      if (!c.head) return tf.mean(tf.mul(hs, r)) as tf.Scalar;
      const logits = linear(hs.reshape([B * T, H]), p("headW") as tf.Tensor2D, p("headB") as tf.Tensor1D);
      return crossEntropy(logits as tf.Tensor2D, y);
    });
  return {
    step: async () => {
      const { value, grads } = tf.variableGrads(loss);
      await opt.step(grads);
      const v = (await value.data())[0];
      tf.dispose([value, ...Object.values(grads)]);
      return v;
    },
    dispose: () => tf.dispose([x, y, r, ...params.values()]),
  };
}

/** Runs a case for `steps` timed steps after one warm-up; returns wall times and CPU ms per step. */
async function timeCase(c: Case, B: number, T: number, V: number, steps: number) {
  const m = makeCase(c, B, T, V);
  await m.step();
  const times: number[] = [];
  const c0 = cpuMs();
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await m.step();
    times.push(performance.now() - t0);
  }
  const cpu = (cpuMs() - c0) / steps;
  m.dispose();
  return { times, cpu };
}

/** Runs the PyTorch reference on all cases once; null when no Python with torch is found. */
async function torchRound(cases: { hidden: number; head: number }[], B: number, T: number, V: number, steps: number) {
  const python = await findPython(undefined, "torch");
  if (python === null) return null;
  const args = [`${REPO}bench/reference/lstm_step.py`, "--cases", JSON.stringify(cases), "--batch", String(B)];
  args.push("--seq", String(T), "--vocab", String(V), "--steps", String(steps), "--warmup", "1");
  const out = await new Deno.Command(python, { args }).output();
  if (!out.success) throw new Error(`lstm_step.py failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(new TextDecoder().decode(out.stdout)) as {
    torch: string;
    cases: { hidden: number; head: number; ms_per_step: number; cpu_ms_per_step: number }[];
  };
}

/**
 * Times the character LSTM's training step, ours against `torch.nn.LSTM` (one thread), interleaved, and prints a
 * table with both ratios (wall and CPU time) per hidden size, without and with the output head.
 *
 * @param options Sizes, rounds, steps; see {@link LstmBenchOptions}.
 * @returns One row per case.
 */
export async function benchLstm(options: LstmBenchOptions = {}): Promise<LstmBenchRow[]> {
  const { batch: B = 32, seq: T = 64, vocab: V = 3000, hidden = [128, 256], rounds = 3, steps = 5 } = options;
  const log = options.log ?? true;
  const ours: Case[] = hidden.flatMap((h) => [0, V].map((head) => ({ impl: "fused" as const, hidden: h, head })));
  if (options.readable) ours.push({ impl: "readable", hidden: hidden[0], head: 0 });
  if (options.rnn) {
    ours.push(...(["rnn fused", "rnn steps"] as const).map((impl) => ({ impl, hidden: hidden[0], head: 0 })));
  }
  const torchCases = ours.filter((c) => c.impl === "fused").map(({ hidden, head }) => ({ hidden, head }));
  const acc = ours.map(() => ({ times: [] as number[], cpu: [] as number[] }));
  const torchAcc = torchCases.map(() => ({ times: [] as number[], cpu: [] as number[] }));
  let torchVersion: string | null = null;
  for (let round = 0; round < rounds; round++) {
    for (const [i, c] of ours.entries()) {
      const slow = c.impl === "readable" || c.impl === "rnn steps";
      const { times, cpu } = await timeCase(c, B, T, V, slow ? Math.min(steps, 2) : steps);
      acc[i].times.push(...times);
      acc[i].cpu.push(cpu);
    }
    const ref = options.noTorch ? null : await torchRound(torchCases, B, T, V, steps);
    if (ref) {
      torchVersion = ref.torch;
      ref.cases.forEach((r, i) => (torchAcc[i].times.push(r.ms_per_step), torchAcc[i].cpu.push(r.cpu_ms_per_step)));
    }
  }
  const rows: LstmBenchRow[] = ours.map((c, i) => {
    const j = c.impl.startsWith("rnn") ? -1 : torchCases.findIndex((t) => t.hidden === c.hidden && t.head === c.head);
    const have = torchVersion !== null && j >= 0;
    return {
      impl: c.impl,
      hidden: c.hidden,
      head: c.head,
      ms: median(acc[i].times),
      cpuMs: median(acc[i].cpu),
      torchMs: have ? median(torchAcc[j].times) : null,
      torchCpuMs: have ? median(torchAcc[j].cpu) : null,
    };
  });
  if (log) printTable(rows, { B, T, V, rounds, steps, torchVersion });
  return rows;
}

function printTable(
  rows: LstmBenchRow[],
  s: { B: number; T: number; V: number; rounds: number; steps: number; torchVersion: string | null },
): void {
  const f = (x: number | null, d = 1) => (x === null ? "—" : x.toFixed(d));
  const ratio = (a: number, b: number | null) => (b === null ? "—" : `${(a / b).toFixed(2)}×`);
  console.log(
    `LSTM training step (embedding → LSTM → loss, backward, Adam), batch ${s.B} × ${s.T} steps, vocab ${s.V}; ` +
      `backend ${tf.getBackend()}; ${s.rounds} rounds × ${s.steps} steps, interleaved with PyTorch ${
        s.torchVersion ?? "(not found)"
      } on 1 thread; load ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`,
  );
  console.log("impl       H    head  | ours ms (CPU) | torch ms (CPU) | ratio wall | ratio CPU");
  for (const r of rows) {
    console.log(
      `${r.impl.padEnd(10)} ${String(r.hidden).padEnd(4)} ${(r.head ? String(r.head) : "none").padEnd(5)} | ` +
        `${f(r.ms).padStart(7)} (${f(r.cpuMs, 0)}) | ${f(r.torchMs).padStart(8)} (${f(r.torchCpuMs, 0)}) | ` +
        `${ratio(r.ms, r.torchMs).padStart(10)} | ${ratio(r.cpuMs, r.torchCpuMs).padStart(9)}`,
    );
  }
}

const FLAGS: Record<string, Flag> = {
  rounds: { type: "int", default: 3, min: 1, help: "interleaved rounds (ours, then PyTorch's)" },
  steps: { type: "int", default: 5, min: 1, help: "timed steps per case and round" },
  batch: { type: "int", default: 32, min: 1, help: "sequences per step (B)" },
  seq: { type: "int", default: 64, min: 1, help: "time steps per sequence (T)" },
  vocab: { type: "int", default: 3000, min: 2, help: "vocabulary: embedding rows and the head's width (V)" },
  hidden: { type: "string", default: "128,256", help: "hidden sizes H to time, comma-separated" },
  readable: { type: "bool", default: false, help: "also time the readable cell (first H, no head)" },
  rnn: { type: "bool", default: false, help: "also time the plain RNN, fused and step by step (first H, no head)" },
  "no-torch": { type: "bool", default: false, help: "skip the PyTorch reference" },
};

/**
 * The `lstm` section of bench:nn: {@link benchLstm} on the wasm backend, then one line per hidden size with the ratio
 * to PyTorch without the head (the recurrence: target ≤ 3×) and with it.
 *
 * @param args Flags (`--help` lists them).
 */
export async function lstmSection(args: string[]): Promise<void> {
  const f = parseFlags(args, FLAGS);
  if (f === null) {
    console.log(helpText("deno task bench:nn --only lstm [flags]", FLAGS));
    return;
  }
  const hidden = String(f.hidden).split(",").map(Number);
  if (hidden.some((h) => !Number.isInteger(h) || h < 1)) {
    throw new RangeError(
      `Cannot run the LSTM bench as --hidden must list positive integers: current value is ${f.hidden}`,
    );
  }
  await useBackend("wasm");
  const blas = blasInfo();
  console.log(`BLAS: ${blas.enabled ? `${blas.library}, ${blas.threads} thread(s)` : `off (${blas.reason})`}`);
  const rows = await benchLstm({
    batch: f.batch as number,
    seq: f.seq as number,
    vocab: f.vocab as number,
    hidden,
    rounds: f.rounds as number,
    steps: f.steps as number,
    readable: f.readable as boolean,
    rnn: f.rnn as boolean,
    noTorch: f["no-torch"] as boolean,
  });
  for (const h of hidden) {
    const [bare, head] = [0, f.vocab as number].map((w) =>
      rows.find((r) => r.impl === "fused" && r.hidden === h && r.head === w)!
    );
    if (bare.torchMs === null || head.torchMs === null) continue;
    console.log(
      `ratio fused LSTM / torch.nn.LSTM, H ${h}: ${(bare.ms / bare.torchMs).toFixed(2)}x without the head ` +
        `(target ≤ 3x), ${(head.ms / head.torchMs).toFixed(2)}x with the ${head.head}-wide head (wall); CPU time ` +
        `${(bare.cpuMs / bare.torchCpuMs!).toFixed(2)}x and ${(head.cpuMs / head.torchCpuMs!).toFixed(2)}x`,
    );
  }
}

if (import.meta.main) await lstmSection(Deno.args);
