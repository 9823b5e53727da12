/**
 * `deno task gpt:train --data FILE [flags]`: trains a character-level GPT on any text file, with checkpoints.
 *
 * The text is split 90/10 into train and val (like nanoGPT); the vocabulary is the file's characters. A checkpoint
 * (model, tokenizer, optimizer, loss history) is written to `--out` at every evaluation, so `--resume` continues a
 * stopped run on the same loss curve. Run with `--help` for every flag.
 *
 * @module
 */
import { exists } from "../lib/checkpoint/fs.ts";
import { CharTokenizer, type Tokenizer } from "../lib/text/mod.ts";
import { GPT, gptCheckpointer, loadGpt, trainGpt } from "../lib/gpt/mod.ts";
import { type Flag, helpText, parseFlags, runCli, UsageError } from "./_gpt_cli.ts";

/** The flags of gpt:train. */
export const TRAIN_FLAGS: Record<string, Flag> = {
  data: { type: "string", required: true, help: "UTF-8 text file to train on" },
  out: { type: "string", default: ".cache/gpt", help: "checkpoint directory (written at every evaluation)" },
  resume: { type: "bool", default: false, help: "continue the run saved in --out (its model flags win)" },
  "n-layer": { type: "int", default: 4, min: 1, help: "Transformer blocks" },
  "n-head": { type: "int", default: 4, min: 1, help: "attention heads (must divide --n-embd)" },
  "n-embd": { type: "int", default: 128, min: 1, help: "embedding width" },
  "block-size": { type: "int", default: 64, min: 1, help: "context length in characters" },
  dropout: { type: "number", default: 0, min: 0, max: 0.99, help: "dropout rate" },
  bias: { type: "bool", default: false, help: "biases in linear layers and LayerNorms (GPT-2 style; nanoGPT: off)" },
  "batch-size": { type: "int", default: 12, min: 1, help: "sequences per step" },
  "max-iters": { type: "int", default: 2000, min: 1, help: "training steps in total" },
  lr: { type: "number", default: 3e-3, min: 0, help: "peak learning rate, cosine decay to lr/10 (nanoGPT: 1e-3)" },
  "warmup-iters": { type: "int", default: 100, min: 0, help: "linear warmup steps" },
  "weight-decay": { type: "number", default: 0.1, min: 0, help: "AdamW weight decay (matrices only)" },
  "grad-clip": { type: "number", default: 1, min: 0, help: "clip the gradient norm to this (0 = off)" },
  "eval-interval": { type: "int", default: 250, min: 1, help: "steps between loss estimates and checkpoints" },
  "eval-iters": { type: "int", default: 20, min: 1, help: "batches per loss estimate" },
  "val-fraction": { type: "number", default: 0.1, min: 0, max: 0.5, help: "share of the text held out (at the end)" },
  seed: { type: "int", default: 1337, min: 1, help: "seed of weights, batches and dropout" },
  quiet: { type: "bool", default: false, help: "no progress bar" },
};

const USAGE = "Usage: deno task gpt:train --data FILE [--n-layer N --n-head N --n-embd N --block-size N " +
  "--batch-size N --max-iters N --lr X --eval-interval N --out DIR --resume]";

/** What a training run reports. */
export interface TrainSummary {
  /** Last loss estimates. */
  train: number;
  val?: number;
  /** Steps done in total. */
  iters: number;
  /** Wall-clock seconds of this run. */
  seconds: number;
  /** Where the checkpoint is. */
  out: string;
}

async function readText(path: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    throw new UsageError(`Cannot read --data ${path}: ${(e as Error).message}`);
  }
}

/**
 * Runs gpt:train with these arguments.
 *
 * @param args Command-line arguments.
 * @param log Where to print progress lines.
 * @returns The run's summary, or null after `--help`.
 * @throws {UsageError} For bad flags or an unreadable file; {@link RangeError} for an invalid model shape.
 */
export async function trainMain(
  args: string[],
  log: (line: string) => void = console.log,
): Promise<TrainSummary | null> {
  const f = parseFlags(args, TRAIN_FLAGS);
  if (!f) {
    log(helpText(USAGE, TRAIN_FLAGS));
    return null;
  }
  const text = await readText(f.data as string);
  const out = f.out as string;
  let model: GPT, tokenizer: Tokenizer, resumeFrom;
  if (f.resume && await exists(out)) {
    const loaded = await loadGpt(out);
    if (!loaded.tokenizer) throw new UsageError(`Cannot resume from ${out}: the checkpoint has no tokenizer`);
    [model, tokenizer, resumeFrom] = [loaded.model, loaded.tokenizer, loaded.state];
    log(`resuming from ${out} at step ${loaded.step}`);
  } else {
    if (f.resume) log(`no checkpoint in ${out} yet: starting a new run`);
    tokenizer = CharTokenizer.fromText(text, { specials: [] });
    model = new GPT({
      vocabSize: tokenizer.vocabSize,
      nLayer: f["n-layer"] as number,
      nHead: f["n-head"] as number,
      nEmbd: f["n-embd"] as number,
      blockSize: f["block-size"] as number,
      dropout: f.dropout as number,
      bias: f.bias as boolean,
    }, f.seed as number);
  }
  const ids = tokenizer.encode(text);
  const n = Math.floor(ids.length * (1 - (f["val-fraction"] as number)));
  const data = { train: ids.slice(0, n), val: n < ids.length ? ids.slice(n) : undefined };
  const c = model.config;
  log(`${ids.length} tokens (${data.train.length} train, ${data.val?.length ?? 0} val), vocabulary ${c.vocabSize}`);
  log(
    `GPT: ${c.nLayer} layers, ${c.nHead} heads, ${c.nEmbd} wide, context ${c.blockSize}: ` +
      `${(model.numParams() / 1e6).toFixed(2)}M parameters`,
  );
  const run = await trainGpt(model, data, {
    maxIters: f["max-iters"] as number,
    batchSize: f["batch-size"] as number,
    lr: f.lr as number,
    warmupIters: f["warmup-iters"] as number,
    weightDecay: f["weight-decay"] as number,
    gradClip: f["grad-clip"] as number,
    evalInterval: f["eval-interval"] as number,
    evalIters: f["eval-iters"] as number,
    seed: f.seed as number,
    progress: !f.quiet,
    resumeFrom,
    checkpointInterval: f["eval-interval"] as number,
    onCheckpoint: gptCheckpointer(out, model, tokenizer),
    onEval: (e) =>
      log(
        `step ${e.iter}: train loss ${e.train.toFixed(4)}` +
          (e.val === undefined ? "" : `, val loss ${e.val.toFixed(4)}`),
      ),
  });
  const last = run.evals.at(-1)!;
  log(`done in ${(run.ms / 1000).toFixed(1)} s; checkpoint in ${out} (deno task gpt:sample --ckpt ${out})`);
  run.opt.dispose();
  model.dispose();
  return { train: last.train, val: last.val, iters: run.iter, seconds: run.ms / 1000, out };
}

if (import.meta.main) await runCli(async (args) => void await trainMain(args));
