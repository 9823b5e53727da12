/**
 * The course map: the 17 notebooks of the curriculum, in order, with their titles in both languages and the part of
 * the article each one follows. The site's index (tools/site.ts) draws it, linking the notebooks that exist in
 * notebooks/ and marking the others as not written yet; a notebook's own title (its first heading) wins over the one
 * here once it exists.
 *
 * @module
 */
import type { Lang } from "./i18n.ts";

/** One notebook of the curriculum. */
export interface CourseEntry {
  /** Two digits, as in the file name (`00`). */
  number: string;
  /** The file name without number and extension (`welcome`). */
  slug: string;
  /** The part of the course it belongs to, in both languages. */
  part: Readonly<Record<Lang, string>>;
  /** A short title, in both languages. */
  title: Readonly<Record<Lang, string>>;
  /** The section of the article it follows (in Chinese, as the article writes it). */
  article: string;
}

const ML = { en: "Machine learning", zh: "机器学习" };
const DL = { en: "Deep learning", zh: "深度学习" };
const TF = { en: "Transformers", zh: "Transformer" };
const GPT = { en: "ChatGPT's three stages", zh: "ChatGPT 的三个阶段" };
const IMG = { en: "Images", zh: "图片" };
const START = { en: "Start here", zh: "从这里开始" };

/** The curriculum, in order. */
export const COURSE: readonly CourseEntry[] = Object.freeze([
  { number: "00", slug: "welcome", part: START, title: { en: "Welcome", zh: "欢迎" }, article: "AIGC是什么" },
  {
    number: "01",
    slug: "learning_from_data",
    part: ML,
    title: { en: "Learning from data", zh: "从数据中学习" },
    article: "机器如何进行学习",
  },
  {
    number: "02",
    slug: "kinds_of_learning",
    part: ML,
    title: { en: "Kinds of learning", zh: "机器学习的分类" },
    article: "机器学习的分类",
  },
  {
    number: "03",
    slug: "classic_algorithms",
    part: ML,
    title: { en: "Classic algorithms", zh: "传统机器学习算法" },
    article: "传统机器学习",
  },
  {
    number: "04",
    slug: "traditional_vs_deep",
    part: DL,
    title: { en: "Traditional vs deep learning", zh: "传统机器学习与深度学习" },
    article: "传统机器学习和深度学习的效果性能对比",
  },
  {
    number: "05",
    slug: "neurons_and_backprop",
    part: DL,
    title: { en: "Neurons and backpropagation", zh: "神经元与反向传播" },
    article: "神经网络, 感知机",
  },
  { number: "06", slug: "cnn_vision", part: DL, title: { en: "CNN", zh: "卷积神经网络" }, article: "卷积神经网络" },
  {
    number: "07",
    slug: "rnn_lstm",
    part: DL,
    title: { en: "RNN and LSTM", zh: "循环神经网络与 LSTM" },
    article: "循环神经网络, LSTM",
  },
  { number: "08", slug: "attention", part: TF, title: { en: "Attention", zh: "注意力机制" }, article: "Attention" },
  {
    number: "09",
    slug: "transformer",
    part: TF,
    title: { en: "The Transformer", zh: "Transformer" },
    article: "Transformer",
  },
  {
    number: "10",
    slug: "bert_vs_gpt",
    part: TF,
    title: { en: "BERT vs GPT", zh: "BERT 与 GPT" },
    article: "Bert vs GPT",
  },
  {
    number: "11",
    slug: "gpt_pretraining",
    part: GPT,
    title: { en: "GPT pre-training", zh: "GPT 预训练" },
    article: "GPT是什么, 无监督学习",
  },
  {
    number: "12",
    slug: "supervised_finetuning",
    part: GPT,
    title: { en: "Supervised fine-tuning", zh: "监督微调" },
    article: "监督学习 (SFT)",
  },
  {
    number: "13",
    slug: "reinforcement_learning",
    part: GPT,
    title: { en: "Reinforcement learning", zh: "强化学习" },
    article: "强化学习, 超级玛丽",
  },
  {
    number: "14",
    slug: "reward_model",
    part: GPT,
    title: { en: "The reward model", zh: "打分模型" },
    article: "打分模型",
  },
  { number: "15", slug: "rlhf_ppo", part: GPT, title: { en: "RLHF with PPO", zh: "RLHF 与 PPO" }, article: "RLHF" },
  {
    number: "16",
    slug: "image_generation",
    part: IMG,
    title: { en: "Image generation", zh: "图片生成" },
    article: "图片AIGC",
  },
]);

/**
 * The curriculum entry of a notebook, by its file name's number.
 *
 * @param name A notebook name such as `04_traditional_vs_deep` (with or without `.ipynb`).
 * @returns The entry, or undefined for a notebook outside the curriculum.
 * @example
 * ```ts
 * import { courseEntry } from "./course.ts";
 * import assert from "node:assert/strict";
 * assert.equal(courseEntry("09_transformer.ipynb")?.title.zh, "Transformer");
 * assert.equal(courseEntry("_scratch"), undefined);
 * ```
 */
export function courseEntry(name: string): CourseEntry | undefined {
  const number = /^(\d\d)_/.exec(name)?.[1];
  return COURSE.find((e) => e.number === number);
}
