/**
 * Instruction data made from the poem corpus: the article's "people write questions and model answers" (阶段二),
 * with the poems themselves as the model answers. Four task families, each with a checker that says whether an
 * answer follows the instruction, and a plain-text form for a model that never saw the chat template:
 *
 * | family | instruction → answer | follows the instruction when | plain-text form (the pretrained model) |
 * |---|---|---|---|
 * | `topic` | 写一首关于月的五言绝句 → a real quatrain of that length containing 月 | it is one quatrain of the asked length that contains the topic | a quatrain of the asked length, a blank line, then the topic character to start the poem |
 * | `continue` | 续写：床前明月光 → the rest of the poem: 疑是地上霜。↵举头望明月，低头思故乡。 | the given verse, "，" and the answer make one quatrain | a blank line (where a poem starts in the training text), the given verse and "，" (the answer is what follows) |
 * | `author` | 这首诗的作者是谁？ + a poem → its author | it is a poet's name (the name of any author of the training poems); "right" when it is this poem's author | the poem, a newline and 这首诗的作者是 |
 * | `acrostic` | 写一首藏头诗：春夏秋冬 → a quatrain whose verses start with 春, 夏, 秋, 冬 | it is one quatrain whose verses start with the four characters | a blank line and the first of the four characters to start the poem |
 *
 * Training examples come from the corpus's training poems, held-out prompts from its validation poems (which neither
 * the pretrained model nor the fine-tuning saw). Poems with a character outside the model's vocabulary, in the poem
 * or in its author's name, are left out; the `author` family also leaves out authors that are not names (不详, 无名氏,
 * 佚名) or longer than four characters.
 *
 * @module
 */
import { Prng, SEED } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { parsePoem, type Poem } from "../data/poems.ts";
import type { ChatExample } from "./chat_template.ts";

/** The task families, in display order. */
export const INSTRUCTION_FAMILIES = Object.freeze(["topic", "continue", "author", "acrostic"] as const);

/** One of {@link INSTRUCTION_FAMILIES}. */
export type InstructionFamily = typeof INSTRUCTION_FAMILIES[number];

/** The family names in both languages, for tables. */
export const FAMILY_LABELS: Readonly<Record<InstructionFamily, { en: string; zh: string }>> = Object.freeze({
  topic: { en: "poem on a topic", zh: "按题写诗" },
  continue: { en: "continue a poem", zh: "续写" },
  author: { en: "name the author", zh: "说出作者" },
  acrostic: { en: "acrostic poem", zh: "藏头诗" },
});

/** Topic characters of the `topic` family: images common in Tang quatrains. */
export const TOPICS: readonly string[] = Object.freeze([..."月花春秋山水风雨雪云江柳酒夜日天"]);

/** Authors that are not names. */
const NOT_NAMES = new Set(["不详", "无名氏", "佚名"]);

/** An instruction, its model answer, and what its checker needs. */
export interface InstructionExample extends ChatExample {
  /** The task family. */
  family: InstructionFamily;
  /** The poem the example was made from. */
  poem: Poem;
  /** `topic`: the topic character. */
  topic?: string;
  /** `topic`: the asked verse length. */
  length?: 5 | 7;
  /** `acrostic`: the four first characters. */
  heads?: string;
}

/** The instruction data: training examples, held-out examples, and the names the `author` checker accepts. */
export interface InstructionData {
  /** Examples made from training poems (every family from every poem that allows it). */
  train: InstructionExample[];
  /** Examples made from validation poems: `perFamily` of each family, each from another poem. */
  heldOut: InstructionExample[];
  /** The authors of the training poems that are names (what "gives a name" means). */
  authors: ReadonlySet<string>;
}

/** Options of {@link instructionData}. */
export interface InstructionDataOptions {
  /** Characters the model knows: poems with any other character are left out (default: all characters). */
  vocabulary?: readonly string[];
  /** Held-out examples per family (default 25). */
  perFamily?: number;
  /** Seed of the topic choice and of the held-out sample (default 1337). */
  seed?: number;
}

/**
 * The instruction of one family for one poem, or `null` when the poem does not allow it (no topic character in its
 * first verse, an author that is not a name). The topic of a `topic` instruction is the first of the {@link TOPICS}
 * characters in the poem's first verse: every answer then shows its topic at once, a pattern a small model picks up in
 * a few hundred steps (a choice of data: real instruction sets are curated too).
 *
 * @param family The task family.
 * @param poem A poem of the corpus.
 * @returns The example, or null.
 * @example
 * ```ts
 * import { makeInstruction } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const lines: [string, string, string, string] = ["床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"];
 * const poem = { title: "静夜思", author: "李白", lines, source: "tangshi300" as const, text: "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。" };
 * assert.equal(makeInstruction("continue", poem)!.prompt, "续写：床前明月光");
 * assert.equal(makeInstruction("topic", poem)!.prompt, "写一首关于月的五言绝句");
 * assert.equal(makeInstruction("acrostic", poem)!.prompt, "写一首藏头诗：床疑举低");
 * assert.equal(makeInstruction("author", poem)!.response, "李白");
 * ```
 */
export function makeInstruction(family: InstructionFamily, poem: Poem): InstructionExample | null {
  const n = poem.lines[0].length as 5 | 7;
  switch (family) {
    case "topic": {
      const topic = [...poem.lines[0]].find((ch) => TOPICS.includes(ch));
      if (topic === undefined) return null;
      const prompt = `写一首关于${topic}的${n === 5 ? "五" : "七"}言绝句`;
      return { family, poem, prompt, response: poem.text, topic, length: n };
    }
    case "continue":
      return { family, poem, prompt: `续写：${poem.lines[0]}`, response: poem.text.slice(poem.lines[0].length + 1) };
    case "author":
      if (!isName(poem.author)) return null;
      return { family, poem, prompt: `这首诗的作者是谁？\n${poem.text}`, response: poem.author };
    case "acrostic": {
      const heads = poem.lines.map((line) => line[0]).join("");
      return { family, poem, prompt: `写一首藏头诗：${heads}`, response: poem.text, heads };
    }
    default:
      throw new RangeError(
        `Cannot make an instruction of family "${family}": families are ${INSTRUCTION_FAMILIES.join(", ")}`,
      );
  }
}

function isName(author: string): boolean {
  return !NOT_NAMES.has(author) && /^[\u4e00-\u9fff]{2,4}$/.test(author);
}

/**
 * Builds the instruction data from a poem corpus's train and val poems: every family from every training poem
 * (where the family allows it), and `perFamily` held-out examples of each family from validation poems, each family
 * from other poems.
 *
 * @param corpus The train and val poems (e.g. `loadPoems()`).
 * @param options Vocabulary filter, held-out size, seed.
 * @returns Training and held-out examples and the accepted author names.
 * @throws {RangeError} When perFamily is not a positive integer or the val poems are too few for it.
 * @example
 * ```ts
 * import { instructionData } from "@lib/rlhf/mod.ts";
 * import { loadPoems } from "@lib/data/mod.ts";
 * import assert from "node:assert/strict";
 * const corpus = await loadPoems({ limit: 2000 });
 * const data = instructionData(corpus, { vocabulary: corpus.vocabulary, perFamily: 3 });
 * assert.equal(data.heldOut.length, 12);
 * assert.ok(data.train.some((e) => e.family === "acrostic"));
 * assert.ok(data.authors.size > 10);
 * ```
 */
export function instructionData(
  corpus: { train: readonly Poem[]; val: readonly Poem[] },
  options: InstructionDataOptions = {},
): InstructionData {
  const { vocabulary, perFamily = 25, seed = SEED } = options;
  checkPositiveInteger(perFamily, "perFamily", "build the instruction data");
  const known = vocabulary ? new Set(vocabulary) : null;
  const usable = (p: Poem) => known === null || [...p.text, ...p.author].every((ch) => known.has(ch));
  const prng = new Prng(seed);
  const train: InstructionExample[] = [];
  for (const poem of corpus.train.filter(usable)) {
    for (const family of INSTRUCTION_FAMILIES) {
      const example = makeInstruction(family, poem);
      if (example) train.push(example);
    }
  }
  const val = prng.shuffle(corpus.val.filter(usable));
  const heldOut: InstructionExample[] = [];
  let next = 0;
  for (const family of INSTRUCTION_FAMILIES) {
    let made = 0;
    while (made < perFamily && next < val.length) {
      const example = makeInstruction(family, val[next++]);
      if (example) [heldOut[heldOut.length], made] = [example, made + 1];
    }
    if (made < perFamily) {
      throw new RangeError(
        `Cannot hold out ${perFamily} examples of each family as the ${val.length} usable val poems give only ` +
          `${made} of "${family}"`,
      );
    }
  }
  const authors = new Set(train.filter((e) => e.family === "author").map((e) => e.response));
  return { train, heldOut, authors };
}

/**
 * The examples in a chosen mix of families: each family's examples repeated in turn until the family has `weight ×`
 * the largest family's count, so that batches drawn from the list see the families in that proportion (the families
 * have from about 3,000 to 8,000 examples each; equal weights by default).
 *
 * @param examples Examples of one or more families.
 * @param weights Weight of each family (default 1; 0 leaves a family out).
 * @returns A new list, family after family.
 * @throws {RangeError} For a negative or non-finite weight.
 * @example
 * ```ts
 * import { balanceFamilies, type InstructionExample } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const e = (family: "topic" | "author", prompt: string) => ({ family, prompt }) as unknown as InstructionExample;
 * const list = [e("topic", "a"), e("author", "b"), e("author", "c")];
 * assert.deepEqual(balanceFamilies(list).map((x) => x.prompt), ["a", "a", "b", "c"]);
 * assert.deepEqual(balanceFamilies(list, { topic: 2 }).map((x) => x.prompt), ["a", "a", "a", "a", "b", "c"]);
 * ```
 */
export function balanceFamilies(
  examples: readonly InstructionExample[],
  weights: Partial<Record<InstructionFamily, number>> = {},
): InstructionExample[] {
  for (const [family, w] of Object.entries(weights)) {
    if (!(w >= 0 && Number.isFinite(w))) {
      throw new RangeError(`Cannot mix the families as the weight of "${family}" must be a number >= 0: got ${w}`);
    }
  }
  const groups = INSTRUCTION_FAMILIES.map((f) => ({ f, g: examples.filter((e) => e.family === f) }))
    .filter(({ g }) => g.length > 0);
  const most = Math.max(0, ...groups.map(({ g }) => g.length));
  return groups.flatMap(({ f, g }) =>
    Array.from({ length: Math.round(most * (weights[f] ?? 1)) }, (_, i) => g[i % g.length])
  );
}

/** What a checker says about one answer. */
export interface AnswerCheck {
  /** The answer follows the instruction (its form: a quatrain of the asked kind, a name). */
  follows: boolean;
  /** `author` only: the name is this poem's author. */
  correct?: boolean;
}

/**
 * Checks whether an answer follows its instruction (the rules of the module's table). Surrounding whitespace is
 * ignored.
 *
 * @param example The held-out example the answer is to.
 * @param answer The model's answer, without template tokens.
 * @param authors The names that count as "a name" for the `author` family.
 * @returns Whether it follows the instruction, and for `author` whether the name is right.
 * @example
 * ```ts
 * import { checkAnswer, makeInstruction } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const lines: [string, string, string, string] = ["床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"];
 * const poem = { title: "静夜思", author: "李白", lines, source: "tangshi300" as const, text: "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。" };
 * const author = makeInstruction("author", poem)!;
 * assert.deepEqual(checkAnswer(author, "杜甫", new Set(["李白", "杜甫"])), { follows: true, correct: false });
 * const topic = makeInstruction("topic", poem)!;
 * assert.equal(checkAnswer(topic, "春眠不觉晓，处处闻啼鸟。\n夜来风雨声，花落知多少。", new Set()).follows, false); // no 月
 * ```
 */
export function checkAnswer(example: InstructionExample, answer: string, authors: ReadonlySet<string>): AnswerCheck {
  if (typeof answer !== "string") {
    throw new TypeError(`Cannot check an answer as it must be a string: got ${typeof answer}`);
  }
  const text = answer.trim();
  const poem = parsePoem(text);
  switch (example.family) {
    case "topic":
      return { follows: poem !== null && poem[0].length === example.length && text.includes(example.topic!) };
    case "continue":
      return { follows: parsePoem(`${example.poem.lines[0]}，${text}`) !== null };
    case "author":
      return { follows: authors.has(text), correct: text === example.poem.author };
    case "acrostic":
      return { follows: poem !== null && poem.every((line, i) => line[0] === example.heads![i]) };
    default:
      throw new RangeError(`Cannot check an answer of family "${example.family}": it is not an instruction family`);
  }
}

/** A prompt in the form a pretrained poem model can take, and the part of the answer it already contains. */
export interface PlainPrompt {
  /** The text the model continues. */
  text: string;
  /** The end of `text` that belongs to the answer (e.g. the topic character that starts the poem). */
  prefix: string;
  /** Where the answer ends: at a blank line (a poem) or at the end of the first line or verse (a name). */
  until: "poem" | "verse";
}

/** The quatrain shown before a `topic` prompt in plain form, one of each length (from 唐诗三百首). */
export const PLAIN_EXAMPLES: Readonly<Record<5 | 7, string>> = Object.freeze({
  5: "白日依山尽，黄河入海流。\n欲穷千里目，更上一层楼。",
  7: "朝辞白帝彩云间，千里江陵一日还。\n两岸猿声啼不住，轻舟已过万重山。",
});

/**
 * The fair "before" prompt: the task in the best form a model trained only on poems can take (see the module's
 * table). It never contains the chat template's tokens, which the pretrained model has never seen.
 *
 * @param example The held-out example.
 * @returns The text to continue, the answer's prefix in it, and where the answer ends.
 * @example
 * ```ts
 * import { makeInstruction, plainPrompt } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const lines: [string, string, string, string] = ["床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"];
 * const poem = { title: "静夜思", author: "李白", lines, source: "tangshi300" as const, text: "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。" };
 * assert.deepEqual(plainPrompt(makeInstruction("continue", poem)!), { text: "\n\n床前明月光，", prefix: "", until: "poem" });
 * ```
 */
export function plainPrompt(example: InstructionExample): PlainPrompt {
  switch (example.family) {
    case "topic":
      return { text: `${PLAIN_EXAMPLES[example.length!]}\n\n${example.topic}`, prefix: example.topic!, until: "poem" };
    case "continue": {
      return { text: `\n\n${example.poem.lines[0]}，`, prefix: "", until: "poem" };
    }
    case "author":
      return { text: `${example.poem.text}\n这首诗的作者是`, prefix: "", until: "verse" };
    case "acrostic":
      return { text: `\n\n${example.heads![0]}`, prefix: example.heads![0], until: "poem" };
    default:
      throw new RangeError(
        `Cannot write a plain prompt of family "${example.family}": it is not an instruction family`,
      );
  }
}
