/**
 * How byte-pair encoding builds a text's tokens, merge by merge: for display in a notebook (notebook 11 shows a line
 * of verse going from characters to the tokens a trained BPE gives it).
 *
 * @module
 */
import type { BpeTokenizer } from "./bpe_tokenizer.ts";
import { BYTE_TOKENS, MAX_BPE_VOCAB } from "./bpe_trainer.ts";
import { pretokenize } from "./pretokenize.ts";

/** One step of {@link bpeTrace}: the merge applied and the text's tokens after it. */
export interface BpeTraceStep {
  /** The merge's rank (its order in training; 0 is the first learned), or −1 for the starting characters. */
  rank: number;
  /** The token the merge made ("" for the start). */
  token: string;
  /** The text's tokens after this step. */
  tokens: string[];
}

/**
 * The tokens of a text after each merge that changes it, lowest rank first: exactly the order in which
 * {@link BpeTokenizer.encode} applies them, so the last step's tokens are `tokenizer.tokens(text)`.
 *
 * Characters outside the tokenizer's alphabet start as their UTF-8 byte tokens (`<0xE4>`), which are never merged.
 * Special tokens are not recognised here: give plain text.
 *
 * @param tokenizer A trained byte-pair tokenizer.
 * @param text The text to trace, e.g. one line of a poem.
 * @returns The starting characters (rank −1), then one step per merge applied.
 * @throws {TypeError} When text is not a string.
 * @example
 * ```ts
 * import { BpeTokenizer, bpeTrace } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = BpeTokenizer.train("明月光，明月光，明月。", { vocabSize: 263 });
 * const steps = bpeTrace(tok, "明月光");
 * assert.deepEqual(steps.map((s) => s.tokens), [["明", "月", "光"], ["明月", "光"], ["明月光"]]);
 * assert.deepEqual(steps.at(-1)!.tokens, tok.tokens("明月光"));
 * ```
 */
export function bpeTrace(tokenizer: BpeTokenizer, text: string): BpeTraceStep[] {
  if (typeof text !== "string") throw new TypeError(`Cannot trace text of type ${typeof text}: expected a string`);
  const alphabet = new Map(tokenizer.alphabet.map((ch, i) => [ch, BYTE_TOKENS + i]));
  const merges = tokenizer.merges;
  const mergeBase = BYTE_TOKENS + alphabet.size;
  const ranks = new Map(merges.map(([a, b], r) => [a * MAX_BPE_VOCAB + b, r]));
  // one segment per run of alphabet characters inside a pre-token; bytes of other characters stand alone
  const segments: { ids: number[]; mergeable: boolean }[] = [];
  for (const word of pretokenize(text)) {
    let run: number[] = [];
    for (const ch of word) {
      const id = alphabet.get(ch);
      if (id !== undefined) {
        run.push(id);
        continue;
      }
      if (run.length > 0) segments.push({ ids: run, mergeable: true });
      run = [];
      for (const b of new TextEncoder().encode(ch)) segments.push({ ids: [b], mergeable: false });
    }
    if (run.length > 0) segments.push({ ids: run, mergeable: true });
  }
  const tokens = () => segments.flatMap((s) => s.ids.map((id) => tokenizer.idToToken(id)));
  const steps: BpeTraceStep[] = [{ rank: -1, token: "", tokens: tokens() }];
  for (;;) {
    let best = Infinity;
    for (const { ids, mergeable } of segments) {
      if (!mergeable) continue;
      for (let i = 0; i + 1 < ids.length; i++) {
        const r = ranks.get(ids[i] * MAX_BPE_VOCAB + ids[i + 1]);
        if (r !== undefined && r < best) best = r;
      }
    }
    if (best === Infinity) return steps;
    const [a, b] = merges[best], merged = mergeBase + best;
    for (const s of segments) {
      if (!s.mergeable) continue;
      const out: number[] = [];
      for (let i = 0; i < s.ids.length; i++) {
        if (s.ids[i] === a && s.ids[i + 1] === b) out.push(merged), i++;
        else out.push(s.ids[i]);
      }
      s.ids = out;
    }
    steps.push({ rank: best, token: tokenizer.idToToken(merged), tokens: tokens() });
  }
}
