/**
 * The exercises of notebook 11 · GPT pretraining: the bigram baseline's loss by hand, top-p (nucleus) sampling, and
 * the parameter count of a GPT from its config.
 *
 * @module
 */
import { countParams, type GptConfig } from "../gpt/config.ts";
import { samplingProbs } from "../nn/generate.ts";
import type { CaseExercise } from "./check.ts";

type BigramLoss = (counts: number[][], ids: number[], k: number) => number;

/** −mean log P(b | a) with P(b | a) = (counts[a][b] + k) / (Σ_c counts[a][c] + k·V), over the pairs of ids. */
function bigramLossByHand(counts: readonly (readonly number[])[], ids: readonly number[], k: number): number {
  const v = counts.length, rows = counts.map((row) => row.reduce((s, c) => s + c, 0));
  let total = 0;
  for (let i = 0; i + 1 < ids.length; i++) {
    const [a, b] = [ids[i], ids[i + 1]];
    total -= Math.log((counts[a][b] + k) / (rows[a] + k * v));
  }
  return total / (ids.length - 1);
}

/** Variants of the loss with a usual slip, for the diagnosis. */
function slips(counts: number[][], ids: number[], k: number): Record<string, number> {
  const v = counts.length, rows = counts.map((row) => row.reduce((s, c) => s + c, 0));
  const pairs = ids.slice(1).map((b, i) => [ids[i], b]);
  const mean = (f: (a: number, b: number) => number) => pairs.reduce((s, [a, b]) => s + f(a, b), 0) / pairs.length;
  return {
    denominator: mean((a, b) => -Math.log((counts[a][b] + k) / (rows[a] + k))),
    sum: mean((a, b) => -Math.log((counts[a][b] + k) / (rows[a] + k * v))) * pairs.length,
    sign: mean((a, b) => Math.log((counts[a][b] + k) / (rows[a] + k * v))),
    log2: mean((a, b) => -Math.log2((counts[a][b] + k) / (rows[a] + k * v))),
  };
}

const COUNTS: number[][] = [[0, 3, 1], [2, 0, 2], [1, 1, 0]];

/** The learner writes `bigramLoss(counts, ids, k)`: the add-k bigram model's mean cross-entropy on a token stream. */
export const BIGRAM_LOSS: CaseExercise<BigramLoss> = Object.freeze<CaseExercise<BigramLoss>>({
  id: "11-bigram-loss",
  name: "bigramLoss",
  reference: bigramLossByHand as BigramLoss,
  cases: [
    { args: [COUNTS, [0, 1], 0] as [number[][], number[], number] },
    { args: [COUNTS, [0, 1, 2, 0], 0.5] as [number[][], number[], number] },
    { args: [COUNTS, [1, 1, 0, 2, 1], 0.1] as [number[][], number[], number] },
    { args: [[[5, 0], [0, 0]], [1, 0, 1], 1] as [number[][], number[], number] },
  ],
  tolerance: 1e-9,
  diagnose: (got, _expected, args) => {
    if (typeof got !== "number") return undefined;
    const found = Object.entries(slips(...args)).find(([, v]) => Math.abs(v - got) < 1e-9);
    return found?.[0];
  },
});

type Nucleus = (probs: number[], p: number) => number[];

/** The distribution top-p sampling draws from, as lib/nn's `samplingProbs` computes it. */
function nucleusOf(probs: readonly number[], p: number): number[] {
  return Array.from(samplingProbs(probs.map(Math.log), { topP: p }));
}

/** The nucleus without renormalising, and with one token too few or too many, for the diagnosis. */
function nucleusSlips(probs: number[], p: number, got: number[]): string | undefined {
  const expected = nucleusOf(probs, p);
  const kept = expected.filter((x) => x > 0).length, gotKept = got.filter((x) => x > 0).length;
  const close = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => Math.abs(x - b[i]) < 1e-9);
  if (close(got, probs.map((x, i) => (expected[i] > 0 ? x : 0)))) return "normalise";
  if (gotKept === kept - 1) return "reach";
  if (gotKept === kept + 1) return "extra";
  return undefined;
}

/** The learner writes `nucleus(probs, p)`: the top-p distribution (the fewest most likely tokens reaching p). */
export const TOP_P: CaseExercise<Nucleus> = Object.freeze<CaseExercise<Nucleus>>({
  id: "11-top-p",
  name: "nucleus",
  reference: nucleusOf as Nucleus,
  cases: [
    { args: [[0.5, 0.3, 0.2], 0.7] as [number[], number] },
    { args: [[0.1, 0.6, 0.05, 0.25], 0.9] as [number[], number] },
    { args: [[0.4, 0.35, 0.15, 0.1], 0.3] as [number[], number] },
    { args: [[0.05, 0.15, 0.45, 0.35], 0.75] as [number[], number] },
    { args: [[0.3, 0.2, 0.5], 1] as [number[], number] },
  ],
  tolerance: 1e-9,
  diagnose: (got, _expected, args) => (Array.isArray(got) ? nucleusSlips(args[0], args[1], got) : undefined),
});

/** The config fields a parameter count needs. */
export type ParamConfig = Pick<GptConfig, "vocabSize" | "blockSize" | "nLayer" | "nEmbd" | "bias">;

type ParamCount = (config: ParamConfig) => number;

const GPT2_SMALL: ParamConfig = { vocabSize: 50257, blockSize: 1024, nLayer: 12, nEmbd: 768, bias: true };
const GPT3: ParamConfig = { vocabSize: 50257, blockSize: 2048, nLayer: 96, nEmbd: 12288, bias: true };

/** The learner writes `gptParams(config)`: the number of parameters of a GPT, from its config alone. */
export const PARAM_COUNT: CaseExercise<ParamCount> = Object.freeze<CaseExercise<ParamCount>>({
  id: "11-param-count",
  name: "gptParams",
  reference: ((c: ParamConfig) => countParams({ ...c, nHead: 1 })) as ParamCount,
  equivalents: [countParams as unknown as ParamCount],
  cases: [
    {
      args: [{ vocabSize: 3000, blockSize: 64, nLayer: 4, nEmbd: 128, bias: false }] as [ParamConfig],
      label: "POEM_GPT.full",
    },
    { args: [{ vocabSize: 11, blockSize: 8, nLayer: 2, nEmbd: 16, bias: true }] as [ParamConfig], label: "GPT_TINY" },
    { args: [GPT2_SMALL] as [ParamConfig], label: "GPT-2 small (V 50257, T 1024, L 12, C 768, biases)" },
    { args: [GPT3] as [ParamConfig], label: "GPT-3 (V 50257, T 2048, L 96, C 12288, biases)" },
  ],
  tolerance: 0,
  diagnose: (got, expected, args) => {
    if (typeof got !== "number") return undefined;
    const { vocabSize: v, blockSize: t, nLayer: l, nEmbd: c, bias } = args[0];
    const e = expected as number;
    if (got === e + v * c) return "tied";
    if (got === e - t * c) return "positions";
    const norms = bias ? l * 4 * c + 2 * c : l * 2 * c + c;
    if (got === e - norms) return "layernorm";
    if (bias && got === e - l * 9 * c) return "biases";
    return undefined;
  },
});
