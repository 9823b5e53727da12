/**
 * `deno task gpt:sample --ckpt DIR --prompt TEXT [flags]`: streams text from a GPT trained by gpt:train.
 *
 * The prompt is encoded with the checkpoint's tokenizer; a prompt longer than the model's context is cropped to its
 * last `blockSize` tokens. Run with `--help` for every flag.
 *
 * @module
 */
import { generate, loadGpt } from "../lib/gpt/mod.ts";
import { type Flag, helpText, parseFlags, runCli, UsageError } from "./_gpt_cli.ts";

/** The flags of gpt:sample. */
export const SAMPLE_FLAGS: Record<string, Flag> = {
  ckpt: { type: "string", required: true, help: "checkpoint directory written by gpt:train" },
  prompt: { type: "string", default: "\n", help: "text to continue" },
  "max-new-tokens": { type: "int", default: 500, min: 0, help: "tokens to generate" },
  temperature: { type: "number", default: 0.8, min: 0, help: "sampling temperature (0 = greedy)" },
  "top-k": { type: "int", min: 1, help: "sample among the k most likely tokens only" },
  "top-p": { type: "number", min: 0.001, max: 1, help: "sample among the most likely tokens adding up to p only" },
  seed: { type: "int", default: 1337, min: 1, help: "sampling seed (same seed, same text)" },
  "no-kv-cache": { type: "bool", default: false, help: "recompute the whole context for every token" },
};

const USAGE = "Usage: deno task gpt:sample --ckpt DIR --prompt TEXT [--temperature X --top-k N --top-p X " +
  "--max-new-tokens N --seed N]";

/**
 * Runs gpt:sample with these arguments, writing the text as it is generated.
 *
 * @param args Command-line arguments.
 * @param write Where each new piece of text goes (default: stdout, unbuffered).
 * @returns The generated text (without the prompt), or null after `--help`.
 * @throws {UsageError} For bad flags or a prompt the tokenizer cannot encode; {@link CheckpointError} for a bad
 *   checkpoint.
 */
export async function sampleMain(
  args: string[],
  write: (text: string) => void = (t) => void Deno.stdout.writeSync(new TextEncoder().encode(t)),
): Promise<string | null> {
  const f = parseFlags(args, SAMPLE_FLAGS);
  if (!f) {
    write(helpText(USAGE, SAMPLE_FLAGS) + "\n");
    return null;
  }
  const { model, tokenizer } = await loadGpt(f.ckpt as string);
  try {
    if (!tokenizer) throw new UsageError(`Cannot sample from ${f.ckpt}: the checkpoint has no tokenizer`);
    const prompt = tokenizer.encode(f.prompt as string);
    if (prompt.length === 0) throw new UsageError("Cannot sample from an empty --prompt: give at least one character");
    const ids: number[] = [];
    let shown = "";
    write(f.prompt as string);
    await generate(model, prompt, {
      maxNewTokens: f["max-new-tokens"] as number,
      temperature: f.temperature as number,
      topK: f["top-k"] as number | undefined,
      topP: f["top-p"] as number | undefined,
      seed: f.seed as number,
      kvCache: !f["no-kv-cache"],
      onToken: (t) => {
        ids.push(t);
        const text = tokenizer.decode(ids);
        if (text.endsWith("\uFFFD")) return; // half of a multi-byte character: wait for the rest
        write(text.slice(shown.length));
        shown = text;
      },
    });
    const text = tokenizer.decode(ids);
    if (text.length > shown.length) write(text.slice(shown.length));
    write("\n");
    return text;
  } finally {
    model.dispose();
  }
}

if (import.meta.main) await runCli(async (args) => void await sampleMain(args));
