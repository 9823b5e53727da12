/**
 * The exercises of notebook 09 · The Transformer: the canonical Chinese reading of a number by the rules of
 * lib/data/numerals.ts, the padding mask of a batch of token ids, and one step of beam search.
 *
 * @module
 */
import { paddingMask } from "../attention/padding_mask.ts";
import { tf } from "../core/mod.ts";
import { toChineseNumeral } from "../data/numerals.ts";
import type { CaseExercise } from "./check.ts";

type Reading = (n: number) => string;
type Mask = (ids: tf.Tensor, padId: number) => tf.Tensor;
type BeamStep = (beams: PartialBeam[], nextLogProbs: number[][], width: number) => PartialBeam[];

/** Numbers that exercise every rule: interior zeros, 十 at the start, zeros across 万, trailing and silent zeros. */
const READING_CASES = [
  7,
  0,
  15,
  20,
  101,
  115,
  1010,
  1024,
  2000,
  10000,
  10001,
  10010,
  100100,
  150000,
  1100000,
  10001000,
  10101010,
  99999999,
];

/** The usual slips: a reading that says 一十, says two 零 in a row, ends in 零, or says 两. */
function diagnoseReading(got: unknown, expected: unknown): string | undefined {
  if (typeof got !== "string" || typeof expected !== "string") return undefined;
  if (got.includes("两")) return "liang";
  if (got.startsWith("一十") && expected.startsWith("十")) return "yishi";
  if (got.includes("零零")) return "double-ling";
  if (got.length > 1 && got.endsWith("零")) return "trailing-ling";
  if (!expected.includes("零") && got.includes("零")) return "silent";
  if (expected.includes("万零") && !got.includes("万零")) return "wan-ling";
  return undefined;
}

/** The learner writes `readNumber(n)`: the canonical reading of 0 ≤ n ≤ 99,999,999, e.g. 一千零二十四 for 1024. */
export const NUMBER_READING: CaseExercise<Reading> = Object.freeze<CaseExercise<Reading>>({
  id: "09-reading",
  name: "readNumber",
  reference: (n: number) => toChineseNumeral(n),
  equivalents: [toChineseNumeral],
  cases: READING_CASES.map((n) => ({ args: [n] as [number] })),
  diagnose: diagnoseReading,
});

/** The learner writes `padMask(ids, padId)`: a float32 `[B, 1, 1, T]` keep-mask, 1 for tokens and 0 for padding. */
export const PADDING_MASK: CaseExercise<Mask> = Object.freeze<CaseExercise<Mask>>({
  id: "09-padding-mask",
  name: "padMask",
  reference: (ids: tf.Tensor, padId: number) => paddingMask(ids, padId),
  equivalents: [paddingMask],
  cases: () => [
    { args: [tf.tensor2d([[5, 6, 0]], [1, 3], "int32"), 0] as [tf.Tensor, number] },
    {
      args: [tf.tensor2d([[3, 4, 5, 0, 0], [7, 0, 0, 0, 0], [8, 9, 9, 9, 9]], [3, 5], "int32"), 0] as [
        tf.Tensor,
        number,
      ],
    },
    { args: [tf.tensor2d([[0, 2, 1, 1], [2, 2, 2, 1]], [2, 4], "int32"), 1] as [tf.Tensor, number] },
  ],
  diagnose: (got: unknown, expected: unknown) => {
    if (!(got instanceof tf.Tensor) || !(expected instanceof tf.Tensor) || got.size !== expected.size) return undefined;
    const g = got.dataSync(), e = expected.dataSync();
    return g.every((v, i) => v === 1 - e[i]) ? "inverted" : undefined;
  },
});

/** A partial output of beam search: its token ids and their total log-probability. */
export interface PartialBeam {
  /** Token ids written so far. */
  ids: number[];
  /** Their total log-probability. */
  logProb: number;
}

/** Every extension of every beam by one token, best first (ties: earlier beam, then smaller token), cut to width. */
function referenceBeamStep(beams: PartialBeam[], nextLogProbs: number[][], width: number): PartialBeam[] {
  const all = beams.flatMap((beam, b) =>
    nextLogProbs[b].map((lp, token) => ({ ids: [...beam.ids, token], logProb: beam.logProb + lp }))
  );
  return all.sort((x, y) => y.logProb - x.logProb).slice(0, width);
}

const BEAM_CASES: [PartialBeam[], number[][], number][] = [
  [[{ ids: [], logProb: 0 }], [[Math.log(0.5), Math.log(0.3), Math.log(0.2)]], 2],
  [
    [{ ids: [1], logProb: Math.log(0.6) }, { ids: [2], logProb: Math.log(0.4) }],
    [[Math.log(0.55), Math.log(0.45)], [Math.log(0.6), Math.log(0.4)]], // both survivors extend beam [1]
    2,
  ],
  [
    [{ ids: [0, 1], logProb: -1 }, { ids: [2, 2], logProb: -1.5 }, { ids: [1, 0], logProb: -4 }],
    [[-2, -0.5, -3], [-0.1, -2.5, -4], [-0.01, -5, -6]],
    3,
  ],
];

/**
 * The learner writes `beamStep(beams, nextLogProbs, width)`: every beam extended by every token (`nextLogProbs[b][t]`
 * is log P(token t | beam b)), the `width` best by total log-probability, best first.
 */
export const BEAM_STEP: CaseExercise<BeamStep> = Object.freeze<CaseExercise<BeamStep>>({
  id: "09-beam-step",
  name: "beamStep",
  reference: referenceBeamStep,
  cases: BEAM_CASES.map((args) => ({ args })),
  tolerance: 1e-9,
  diagnose: (got: unknown, _expected: unknown, args: [PartialBeam[], number[][], number]) => {
    if (!Array.isArray(got) || got.length === 0) return undefined;
    const [beams, next] = args;
    // kept the token's own log-probability instead of adding the beam's
    const local = beams.flatMap((beam, b) => next[b].map((lp, t) => ({ ids: [...beam.ids, t], logProb: lp })))
      .sort((x, y) => y.logProb - x.logProb);
    if (got[0]?.logProb === local[0].logProb && beams.some((b) => b.logProb !== 0)) return "not-added";
    // greedy from each beam: its best token only
    const greedy = new Set(beams.map((beam, b) => [...beam.ids, next[b].indexOf(Math.max(...next[b]))].join()));
    const ids = new Set(got.map((g: PartialBeam) => g?.ids?.join()));
    if (ids.size === greedy.size && [...greedy].every((g) => ids.has(g))) return "per-beam";
    return undefined;
  },
});
