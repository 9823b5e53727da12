/**
 * Asking a model the held-out instructions and scoring its answers: the pretrained model in each task's plain-text
 * form ({@link plainPrompt}), the fine-tuned one through the chat template, both with the same sampling and the same
 * seed per prompt, and the instruction-following rate of each family.
 *
 * @module
 */
import { SEED } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { generate, type SamplingOptions } from "../nn/generate.ts";
import type { LanguageModel } from "../nn/model.ts";
import { type CharTokenizer, END_TOKEN } from "../text/mod.ts";
import { formatChat } from "./chat_template.ts";
import {
  type AnswerCheck,
  checkAnswer,
  INSTRUCTION_FAMILIES,
  type InstructionExample,
  type InstructionFamily,
  plainPrompt,
} from "./instructions.ts";

/** How the model is asked: `"chat"` through the template, `"plain"` in the task's plain-text form. */
export type AskForm = "chat" | "plain";

/** Options of {@link answerInstructions}. */
export interface AnswerOptions extends SamplingOptions {
  /** Most tokens per answer (default 40: a seven-character quatrain is 33). */
  maxNewTokens?: number;
  /** Seed of the first prompt; prompt i samples with seed + i (default 1337). */
  seed?: number;
  /** Called after each answer (e.g. a progress bar's advance). */
  onAnswer?: (index: number, answer: string) => unknown;
}

/** The default sampling of the comparison: temperature 0.7 among the 20 most likely tokens. */
export const ANSWER_SAMPLING: Readonly<SamplingOptions> = Object.freeze({ temperature: 0.7, topK: 20 });

/**
 * Generates one answer per example. In `"chat"` form the model reads `<|user|> prompt <|assistant|>` and the answer
 * ends at `<|end|>`; in `"plain"` form it continues {@link plainPrompt}'s text and the answer (the prefix included)
 * ends at a blank line, or for a name at the end of the line or verse. Special tokens are never sampled (`<unk>`, the
 * role tokens), but for the `<|end|>` that ends a chat answer.
 *
 * @param model A language model over the tokenizer's ids.
 * @param tokenizer Its tokenizer (with the chat tokens for `"chat"`).
 * @param examples The held-out examples.
 * @param form How to ask.
 * @param options Length, sampling (default {@link ANSWER_SAMPLING}), seed, a callback.
 * @returns The answers, without template tokens, in example order.
 * @throws {RangeError} For a form that is neither, or a tokenizer without the chat tokens in `"chat"` form.
 * @example
 * ```ts
 * import { answerInstructions, makeInstruction } from "@lib/rlhf/mod.ts";
 * import { GPT } from "@lib/gpt/mod.ts";
 * import { CharTokenizer } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const lines: [string, string, string, string] = ["床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"];
 * const poem = { title: "静夜思", author: "李白", lines, source: "tangshi300" as const, text: "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。" };
 * const tok = CharTokenizer.fromText(poem.text + "续写");
 * const model = new GPT({ vocabSize: tok.vocabSize, blockSize: 32, nLayer: 1, nHead: 1, nEmbd: 8 });
 * const [answer] = await answerInstructions(model, tok, [makeInstruction("acrostic", poem)!], "plain", { maxNewTokens: 3 });
 * assert.ok(answer.startsWith("床")); // the first head starts the poem
 * model.dispose();
 * ```
 */
export async function answerInstructions(
  model: LanguageModel,
  tokenizer: CharTokenizer,
  examples: readonly InstructionExample[],
  form: AskForm,
  options: AnswerOptions = {},
): Promise<string[]> {
  if (form !== "chat" && form !== "plain") {
    throw new RangeError(`Cannot ask the instructions in form "${form}": use "chat" or "plain"`);
  }
  const { maxNewTokens = 40, seed = SEED, onAnswer, ...sampling } = options;
  checkPositiveInteger(maxNewTokens, "maxNewTokens", "answer the instructions");
  const end = form === "chat" ? tokenizer.specialId(END_TOKEN) : -1;
  const specials = Object.values(tokenizer.specialTokens).filter((id) => id !== end);
  const banned = [...(sampling.banned ?? []), ...specials];
  const answers: string[] = [];
  for (const [i, example] of examples.entries()) {
    const plain = form === "plain" ? plainPrompt(example) : null;
    const prompt = tokenizer.encode(plain ? plain.text : formatChat(example.prompt));
    const ended = plain ? endOfPlain(tokenizer, plain.until) : () => false;
    const out = await generate(model, prompt, {
      ...ANSWER_SAMPLING,
      ...sampling,
      banned,
      maxNewTokens,
      seed: seed + i,
      stopTokens: end >= 0 ? [end] : [],
      stop: ended,
    });
    const text = tokenizer.decode(out.filter((id) => id !== end));
    const answer = plain ? cutPlain(plain.prefix + text, plain.until) : text;
    answers.push(answer);
    await onAnswer?.(i, answer);
  }
  return answers;
}

/** A stop test on the generated ids: a blank line ends a poem; a newline, "，" or "。" ends a name. */
function endOfPlain(tokenizer: CharTokenizer, until: "poem" | "verse"): (ids: readonly number[]) => boolean {
  return (ids) => {
    const text = tokenizer.decode(ids.slice(-2));
    return until === "poem" ? text.endsWith("\n\n") : /[\n，。]$/.test(text);
  };
}

function cutPlain(text: string, until: "poem" | "verse"): string {
  return until === "poem" ? text.split("\n\n")[0] : text.split(/[\n，。]/)[0];
}

/** The scores of one set of answers. */
export interface InstructionScores {
  /** The check of each answer, in example order. */
  checks: AnswerCheck[];
  /** Share of answers that follow the instruction, by family. */
  byFamily: Record<InstructionFamily, number>;
  /** Share of all answers that follow their instruction (the families weigh as many examples as they have). */
  overall: number;
  /** `author` family: share that gives a name, and share that gives the right name. */
  author: { givesName: number; rightName: number };
}

/**
 * Scores answers with each family's checker ({@link checkAnswer}).
 *
 * @param examples The examples answered.
 * @param answers One answer per example.
 * @param authors The names that count for the `author` family.
 * @returns The checks, the rates by family and overall, and the author family's two rates.
 * @throws {RangeError} When the answers are not one per example.
 * @example
 * ```ts
 * import { makeInstruction, scoreAnswers } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const lines: [string, string, string, string] = ["床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"];
 * const poem = { title: "静夜思", author: "李白", lines, source: "tangshi300" as const, text: "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。" };
 * const examples = [makeInstruction("author", poem)!, makeInstruction("continue", poem)!];
 * const scores = scoreAnswers(examples, ["杜甫", "疑是地上霜。\n举头望明月，低头思故乡。"], new Set(["杜甫", "李白"]));
 * assert.equal(scores.overall, 1);
 * assert.deepEqual(scores.author, { givesName: 1, rightName: 0 });
 * ```
 */
export function scoreAnswers(
  examples: readonly InstructionExample[],
  answers: readonly string[],
  authors: ReadonlySet<string>,
): InstructionScores {
  if (!Array.isArray(answers) || answers.length !== examples.length) {
    throw new RangeError(
      `Cannot score the answers as there must be one per example: got ${answers?.length} for ${examples.length}`,
    );
  }
  const checks = examples.map((e, i) => checkAnswer(e, answers[i], authors));
  const rate = (keep: (i: number) => boolean, count: (c: AnswerCheck) => boolean) => {
    const idx = checks.map((_, i) => i).filter(keep);
    return idx.length === 0 ? 0 : idx.filter((i) => count(checks[i])).length / idx.length;
  };
  const byFamily = Object.fromEntries(
    INSTRUCTION_FAMILIES.map((f) => [f, rate((i) => examples[i].family === f, (c) => c.follows)]),
  ) as Record<InstructionFamily, number>;
  const isAuthor = (i: number) => examples[i].family === "author";
  return {
    checks,
    byFamily,
    overall: rate(() => true, (c) => c.follows),
    author: { givesName: rate(isAuthor, (c) => c.follows), rightName: rate(isAuthor, (c) => c.correct === true) },
  };
}
