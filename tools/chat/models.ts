/**
 * The models the chat page talks to: notebook 11's pretrained poem GPT, notebook 12's SFT model and notebook 15's
 * RLHF model, each loaded from the model cache (full mode when cached, else quick mode, and the page says which), or
 * reported missing with the command that makes it.
 *
 * A {@link ChatModel} answers one prompt at a time, streaming each token with the model's top next-token
 * probabilities (文字接龙 made visible), and stops as soon as its signal aborts.
 *
 * @module
 */
import { listCache } from "@lib/checkpoint/mod.ts";
import { setQuick } from "@lib/core/mode.ts";
import { generate } from "@lib/nn/mod.ts";
import { POEM_GPT_NAME, poemGpt } from "@lib/gpt/mod.ts";
import {
  encodeScored,
  END_TOKEN,
  formatChat,
  REWARD_MODEL_NAME,
  rewardModel,
  rewardsOf,
  RLHF_GPT_NAME,
  rlhfGpt,
  SFT_GPT_NAME,
  sftGpt,
} from "@lib/rlhf/mod.ts";
import type { GPT } from "@lib/gpt/mod.ts";
import type { CharTokenizer } from "@lib/text/mod.ts";

/** Text in both languages. */
export interface Bilingual {
  en: string;
  zh: string;
}

/** Sampling settings of one request (checked by the server before they get here). */
export interface ChatSettings {
  /** Divides the logits; 0 is greedy. */
  temperature: number;
  /** Sample among the k most likely tokens; 0 turns it off. */
  topK: number;
  /** Nucleus sampling threshold in (0, 1]; 1 turns it off. */
  topP: number;
  /** At most this many new tokens. */
  maxTokens: number;
  /** Seed of the sampling: same seed, same answer. */
  seed: number;
}

/** One streamed token. */
export interface TokenEvent {
  /** Position in the answer, from 0. */
  index: number;
  /** The token's text. */
  text: string;
  /** The model's five most likely next tokens at this step (temperature 1, before filtering), best first. */
  top: [string, number][];
}

/** A model the page can talk to. */
export interface ChatModel {
  /** `"pretrained"`, `"sft"` or `"rlhf"`. */
  id: string;
  /** Its name on the page. */
  label: Bilingual;
  /** Which checkpoint was loaded. */
  mode: "full" | "quick";
  /** How the prompt reaches the model (raw text, or the chat template of notebook 12). */
  template: Bilingual;
  /** Writes an answer, calling `onToken` for each token; stops early when `signal` aborts. */
  answer(
    prompt: string,
    settings: ChatSettings,
    onToken: (e: TokenEvent) => unknown,
    signal: AbortSignal,
  ): Promise<string>;
  /** Frees the model. */
  dispose(): void;
}

/** A model that is not in the cache: the page shows how to make it. */
export interface MissingModel {
  id: string;
  label: Bilingual;
  /** What makes it. */
  missing: Bilingual;
}

/** Whether a slot of the page holds a model. */
export function isAvailable(m: ChatModel | MissingModel): m is ChatModel {
  return "answer" in m;
}

/** The five most likely tokens of a softmax over `logits`, as `[text, probability]`. */
export function topTokens(logits: ArrayLike<number>, decode: (id: number) => string, k = 5): [string, number][] {
  let max = -Infinity;
  for (let i = 0; i < logits.length; i++) max = Math.max(max, logits[i]);
  let sum = 0;
  const p = new Float64Array(logits.length);
  for (let i = 0; i < logits.length; i++) sum += p[i] = Math.exp(logits[i] - max);
  const best = Array.from(p.keys()).sort((a, b) => p[b] - p[a]).slice(0, k);
  return best.map((id) => [decode(id), Number((p[id] / sum).toFixed(4))]);
}

/** What a character GPT needs to chat: the model, its tokenizer and how a prompt becomes tokens. */
export interface GptChatParts {
  id: string;
  label: Bilingual;
  mode: "full" | "quick";
  template: Bilingual;
  model: GPT;
  tokenizer: CharTokenizer;
  /** Token ids of the context the answer continues. */
  encodePrompt(prompt: string): number[];
  /** Tokens that end the answer (included in the output, left out of the text). */
  stopTokens?: number[];
  /** Text that ends the answer (e.g. the blank line between two poems). */
  stopText?: string;
}

/** A {@link ChatModel} over a character GPT. */
export function gptChatModel(parts: GptChatParts): ChatModel {
  const { model, tokenizer } = parts;
  const banned = tokenizer.unkId === undefined ? [] : [tokenizer.unkId]; // never write <unk>
  return {
    id: parts.id,
    label: parts.label,
    mode: parts.mode,
    template: parts.template,
    async answer(prompt, settings, onToken, signal) {
      const context = parts.encodePrompt(prompt);
      let text = "";
      const stops = parts.stopTokens ?? [];
      await generate(model, context, {
        maxNewTokens: settings.maxTokens,
        temperature: settings.temperature,
        greedy: settings.temperature === 0,
        topK: settings.topK > 0 ? settings.topK : undefined,
        topP: settings.topP < 1 ? settings.topP : undefined,
        seed: settings.seed,
        banned,
        stopTokens: stops,
        stop: () => signal.aborted || (parts.stopText !== undefined && text.endsWith(parts.stopText)),
        onToken: async (id, index, logits) => {
          if (stops.includes(id)) return;
          const piece = tokenizer.decode([id]);
          text += piece;
          if (parts.stopText !== undefined && text.endsWith(parts.stopText)) return;
          await onToken({ index, text: piece, top: topTokens(logits, (t) => tokenizer.decode([t])) });
        },
      });
      return parts.stopText === undefined ? text : text.split(parts.stopText)[0];
    },
    dispose: () => model.dispose(),
  };
}

/** Which mode to load an entry in: full when a fresh full checkpoint is cached, else quick. */
export async function cachedMode(name: string): Promise<{ mode: "full" | "quick"; cached: boolean }> {
  const fresh = (await listCache(name)).filter((e) => e.stale === null && e.record !== null);
  if (fresh.some((e) => e.mode === "full")) return { mode: "full", cached: true };
  return { mode: "quick", cached: fresh.some((e) => e.mode === "quick") };
}

/** Runs `load` with quick mode set as `mode` says, restoring it after. */
export async function inMode<T>(mode: "full" | "quick", load: () => Promise<T>): Promise<T> {
  setQuick(mode === "quick");
  try {
    return await load();
  } finally {
    setQuick(null);
  }
}

/** Notebook 11's poem GPT: the raw prompt, continued until the blank line that ends a poem. Trains the quick one
 * into the cache when neither is there (about a minute). */
export async function loadPretrained(log: (line: string) => void): Promise<ChatModel> {
  const { mode, cached } = await cachedMode(POEM_GPT_NAME);
  if (!cached) {
    log(`${POEM_GPT_NAME}: not in the model cache; training the quick one (notebook 11's model, about a minute)…`);
  }
  const gpt = await inMode(mode, () => poemGpt({ progress: !cached, quiet: true }));
  log(`${POEM_GPT_NAME}: ${mode} checkpoint loaded (${gpt.model.numParams().toLocaleString("en")} parameters)`);
  return gptChatModel({
    id: "pretrained",
    label: { en: "Pretrained (notebook 11)", zh: "预训练模型（第 11 课）" },
    mode,
    template: { en: "raw prompt, continued as text", zh: "原样输入，按文字接龙续写" },
    model: gpt.model,
    tokenizer: gpt.tokenizer,
    encodePrompt: (prompt) => gpt.tokenizer.encode(prompt),
    stopText: "\n\n",
  });
}

/** Notebook 12's SFT model: the prompt in its chat template, answered until `<|end|>`. Trains the quick one into the
 * cache when neither is there but a poem GPT is (it starts from that; under a minute). */
export async function loadSft(log: (line: string) => void): Promise<ChatModel> {
  const { mode, cached } = await cachedMode(SFT_GPT_NAME);
  if (!cached) log(`${SFT_GPT_NAME}: not in the model cache; fine-tuning the quick one (notebook 12's model)…`);
  const sft = await inMode(mode, () => sftGpt({ progress: !cached, quiet: true }));
  log(`${SFT_GPT_NAME}: ${mode} checkpoint loaded (${sft.model.numParams().toLocaleString("en")} parameters)`);
  return chatTemplateModel("sft", { en: "SFT (notebook 12)", zh: "监督微调（第 12 课）" }, mode, sft);
}

/** A slot over a GPT tuned in the chat template (12's and 15's): the prompt in the template, answered until
 * `<|end|>`. */
function chatTemplateModel(
  id: string,
  label: Bilingual,
  mode: "full" | "quick",
  { model, tokenizer }: { model: GPT; tokenizer: CharTokenizer },
): ChatModel {
  return gptChatModel({
    id,
    label,
    mode,
    template: { en: "chat template <|user|>…<|assistant|>", zh: "对话模板 <|user|>…<|assistant|>" },
    model,
    tokenizer,
    encodePrompt: (prompt) => tokenizer.encode(formatChat(prompt)),
    stopTokens: [tokenizer.specialId(END_TOKEN)],
  });
}

const RLHF_LABEL = { en: "RLHF (notebook 15)", zh: "RLHF（第 15 课）" };

/** What the RLHF slot says when its model cannot be made here. */
const RLHF_MISSING = { en: "notebook 15 (or deno task pretrain)", zh: "第 15 课（或 deno task pretrain）" };

/** Whether the cache holds a fresh quick-mode checkpoint of `name`. */
async function quickCached(name: string): Promise<boolean> {
  return (await listCache(name)).some((e) => e.mode === "quick" && e.stale === null && e.record !== null);
}

/** Notebook 15's PPO model: the SFT model's chat template, answered until `<|end|>`. When neither checkpoint is cached
 * it tunes the quick one (seconds), provided what it is tuned from is cached too: the quick SFT model (loadSft, run
 * before, trains it when no SFT model is there) and the quick reward model it learns from (training that samples
 * thousands of answers: notebook 14's job). Else the slot says what makes it. */
export async function loadRlhf(log: (line: string) => void): Promise<ChatModel | MissingModel> {
  const { mode, cached } = await cachedMode(RLHF_GPT_NAME);
  if (!cached) {
    const absent: string[] = [];
    for (const input of [SFT_GPT_NAME, REWARD_MODEL_NAME]) if (!(await quickCached(input))) absent.push(input);
    if (absent.length > 0) {
      log(`${RLHF_GPT_NAME}: not in the model cache, nor the quick ${absent.join(" and ")} it is tuned from`);
      return { id: "rlhf", label: RLHF_LABEL, missing: RLHF_MISSING };
    }
    log(`${RLHF_GPT_NAME}: not in the model cache; tuning the quick one with PPO (notebook 15's model, seconds)…`);
  }
  const tuned = await inMode(mode, () => rlhfGpt({ progress: !cached, quiet: true }));
  log(`${RLHF_GPT_NAME}: ${mode} checkpoint loaded (${tuned.model.numParams().toLocaleString("en")} parameters)`);
  return chatTemplateModel("rlhf", RLHF_LABEL, mode, tuned);
}

/** The three slots of the page, loaded or missing. */
export async function loadChatModels(log: (line: string) => void = console.log): Promise<(ChatModel | MissingModel)[]> {
  return [await loadPretrained(log), await loadSft(log), await loadRlhf(log)];
}

/** Scores a finished answer: the reward model of notebook 14. */
export interface RewardScorer {
  /** Which checkpoint was loaded. */
  mode: "full" | "quick";
  /** The reward of `answer` to `prompt` (read at `<|end|>` of the chat template). */
  score(prompt: string, answer: string): Promise<number>;
  /** Frees the model. */
  dispose(): void;
}

/** Notebook 14's reward model when the cache has it (it is not trained here: that samples thousands of answers),
 * else null, and the log says which command makes it. */
export async function loadReward(log: (line: string) => void): Promise<RewardScorer | null> {
  const { mode, cached } = await cachedMode(REWARD_MODEL_NAME);
  if (!cached) {
    log(`${REWARD_MODEL_NAME}: not in the model cache; notebook 14 or deno task pretrain makes it (no reward scores)`);
    return null;
  }
  const rm = await inMode(mode, () => rewardModel({ progress: false, quiet: true }));
  log(`${REWARD_MODEL_NAME}: ${mode} checkpoint loaded`);
  const pad = rm.tokenizer.specialId(END_TOKEN);
  return {
    mode,
    score: async (prompt, answer) => {
      const row = encodeScored(rm.tokenizer, prompt, answer, rm.model.config.blockSize);
      return Number((await rewardsOf(rm.model, [row], pad))[0].toFixed(3));
    },
    dispose: () => rm.model.dispose(),
  };
}
