/**
 * The exercises of notebook 12 · Supervised fine-tuning: the response mask of a templated example, and the checker of
 * the acrostic family (藏头诗).
 *
 * @module
 */
import { checkAnswer, type InstructionExample } from "../rlhf/instructions.ts";
import type { CaseExercise } from "./check.ts";

type Mask = (ids: number[], assistantId: number) => number[];
type Acrostic = (heads: string, answer: string) => boolean;

/** The mask of lib/rlhf's encodeChat: target t (the token ids[t + 1]) counts when it comes after `<|assistant|>`. */
function referenceMask(ids: number[], assistantId: number): number[] {
  const start = ids.indexOf(assistantId);
  return ids.slice(1).map((_, t) => (t + 1 > start ? 1 : 0));
}

// ids: 90 <|user|>, 91 <|assistant|>, 92 <|end|>; ordinary tokens below 90
const MASK_CASES: [number[], number][] = [
  [[90, 5, 6, 91, 7, 92], 91],
  [[90, 1, 2, 3, 4, 5, 91, 8, 8, 8, 8, 92], 91],
  [[90, 91, 3, 92], 91],
  [[90, 4, 91, 92], 91],
  [[7, 3, 3, 8, 1, 2, 9], 8],
];

/** The usual slips: one entry per id (not per target), the mask shifted by one, the prompt and answer swapped. */
function diagnoseMask(got: unknown, expected: unknown, args: [number[], number]): string | undefined {
  if (!Array.isArray(got) || !Array.isArray(expected)) return undefined;
  if (got.length === args[0].length) return "length";
  if (got.length !== expected.length) return undefined;
  if (got.every((v, i) => v === 1 - (expected[i] as number))) return "inverted";
  const ones = (a: unknown[]) => a.filter((v) => v === 1).length;
  if (Math.abs(ones(got) - ones(expected)) === 1) return "shift";
  return undefined;
}

/**
 * The learner writes `responseMask(ids, assistantId)`: for the ids of `<|user|> prompt <|assistant|> response
 * <|end|>`, one entry per next-token target (`ids.length − 1`), 1 when the target is part of the response (its
 * `<|end|>` included), 0 for the prompt and the role tokens.
 */
export const RESPONSE_MASK: CaseExercise<Mask> = Object.freeze<CaseExercise<Mask>>({
  id: "12-response-mask",
  name: "responseMask",
  reference: referenceMask,
  cases: MASK_CASES.map(([ids, assistant]) => ({ args: [ids, assistant] as [number[], number] })),
  diagnose: diagnoseMask,
});

/** lib/rlhf's checker of the acrostic family, for the heads and an answer. */
function referenceAcrostic(heads: string, answer: string): boolean {
  const example = { family: "acrostic", heads, prompt: "", response: "" } as unknown as InstructionExample;
  return checkAnswer(example, answer, new Set()).follows;
}

const ACROSTIC_CASES: [string, string][] = [
  ["床疑举低", "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。"],
  ["床疑举低", "  床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n"],
  ["床疑举低", "床前明月光，疑是地上霜。\n举头望明月，思故乡低头。"],
  ["白黄欲更", "白日依山尽，黄河入海流。\n欲穷千里目，更上一层楼。"],
  ["白黄欲更", "白日依山尽，黄河入海流。"],
  ["白黄欲更", "白日依山尽，黄河入海流。\n欲穷千里目，更上一层楼。\n白日依山尽，黄河入海流。"],
  ["朝千两轻", "朝辞白帝彩云间，千里江陵一日还。\n两岸猿声啼不住，轻舟已过万重山。"],
  ["朝千两轻", "朝辞白帝彩云间，千里江陵一日还。\n两岸猿声啼不住，轻舟过万重山。"],
  ["春处夜花", "春眠不觉晓，处处闻啼鸟。\n夜来风雨声，花落知多少"],
  ["春处夜花", "春眠不觉晓，处处闻啼鸟，夜来风雨声，花落知多少。"],
];

/** The usual slips: only the first verse's head checked, or the form (four verses of one length) not checked. */
function diagnoseAcrostic(got: unknown, expected: unknown, args: [string, string]): string | undefined {
  if (got !== true || expected !== false) return undefined;
  const verses = args[1].trim().split(/[，。\n]+/).filter((v) => v.length > 0);
  const headsRight = verses.length >= 4 && verses.slice(0, 4).every((v, i) => v[0] === args[0][i]);
  return headsRight ? "form" : "heads";
}

/**
 * The learner writes `followsAcrostic(heads, answer)`: true when the answer is one quatrain in the course's format
 * (lib/data's `parsePoem`: two lines of two verses, "，" and "。", four verses of 5 or 7 characters each) whose
 * verses start with the four characters of `heads`.
 */
export const ACROSTIC_CHECK: CaseExercise<Acrostic> = Object.freeze<CaseExercise<Acrostic>>({
  id: "12-acrostic",
  name: "followsAcrostic",
  reference: referenceAcrostic,
  cases: ACROSTIC_CASES.map(([heads, answer]) => ({ args: [heads, answer] as [string, string] })),
  diagnose: diagnoseAcrostic,
});
