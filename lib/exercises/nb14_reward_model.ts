/**
 * The exercises of notebook 14 · The reward model: the Bradley–Terry loss of a batch of pairs, and the labeler's rhyme
 * key of a pinyin syllable.
 *
 * @module
 */
import { rhymeKey } from "../rlhf/rhyme.ts";
import type { CaseExercise } from "./check.ts";

type BradleyTerry = (chosen: number[], rejected: number[]) => number;
type RhymeKey = (syllable: string) => string;

/** The mean of −log σ(r_c − r_r), computed stably as softplus(r_r − r_c). */
function referenceBradleyTerry(chosen: number[], rejected: number[]): number {
  const softplus = (z: number) => Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
  return chosen.reduce((s, c, i) => s + softplus(rejected[i] - c), 0) / chosen.length;
}

const BT_CASES: [number[], number[]][] = [
  [[0], [0]],
  [[2], [0]],
  [[0], [2]],
  [[1.5, -0.5, 3], [0.5, 0.5, -1]],
  [[400], [-400]],
  [[-400], [400]],
  [[0.1, 0.2, 0.3, 0.4], [0.4, 0.3, 0.2, 0.1]],
];

/** The usual slips: the sum instead of the mean, the sign of the difference swapped, σ itself instead of −log σ. */
function diagnoseBradleyTerry(got: unknown, expected: unknown, args: [number[], number[]]): string | undefined {
  if (typeof got !== "number" || typeof expected !== "number") return undefined;
  if (Number.isNaN(got) || !Number.isFinite(got)) return "overflow";
  const n = args[0].length;
  if (n > 1 && Math.abs(got - expected * n) < 1e-6) return "sum";
  if (Math.abs(got - referenceBradleyTerry(args[1], args[0])) < 1e-6) return "sign";
  return undefined;
}

/**
 * The learner writes `bradleyTerry(chosen, rejected)`: the mean over pairs of −log σ(chosen[i] − rejected[i]), finite
 * even for rewards 800 apart.
 */
export const BRADLEY_TERRY: CaseExercise<BradleyTerry> = Object.freeze<CaseExercise<BradleyTerry>>({
  id: "14-bradley-terry",
  name: "bradleyTerry",
  reference: referenceBradleyTerry,
  cases: BT_CASES.map(([c, r]) => ({ args: [c, r] as [number[], number[]] })),
  tolerance: 1e-6,
  diagnose: diagnoseBradleyTerry,
});

const RHYME_CASES = [
  "shuang",
  "xiang",
  "guang",
  "liu",
  "lou",
  "gui",
  "fei",
  "chun",
  "ren",
  "xin",
  "deng",
  "qing",
  "dong",
  "jia",
  "hua",
  "xie",
  "lan",
  "tian",
  "shi",
  "zhu",
  "guo",
  "luo",
];

/** The usual slips: the medial kept (uang ≠ ang), the written abbreviations not expanded (liu → iu, not ou). */
function diagnoseRhyme(got: unknown, expected: unknown, args: [string]): string | undefined {
  if (typeof got !== "string" || typeof expected !== "string") return undefined;
  if (got.length > 1 && "iu".includes(got[0]) && got.slice(1) === expected) return "medial";
  if (
    ["iu", "ui", "un", "in", "ing", "ong", "u", "i", "n", "ng"].includes(got) && /(iu|ui|un|in|ing|ong)$/.test(args[0])
  ) {
    return "expand";
  }
  return undefined;
}

/**
 * The learner writes `rhymeKeyOf(syllable)` for syllables with an initial (no y/w spelling, no ü): remove the
 * initial, expand iu, ui, un, in, ing, ong, drop a medial i or u when more follows.
 */
export const RHYME_KEY: CaseExercise<RhymeKey> = Object.freeze<CaseExercise<RhymeKey>>({
  id: "14-rhyme-key",
  name: "rhymeKeyOf",
  reference: rhymeKey,
  cases: RHYME_CASES.map((s) => ({ args: [s] as [string] })),
  diagnose: diagnoseRhyme,
});
