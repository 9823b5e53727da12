/**
 * Tokenizer benchmark: BPE training (incremental pair counts vs the naive re-count per merge), encoding and decoding
 * on ~1 MB corpora, next to the character tokenizer.
 *
 * Run: `deno task bench:tokenizer` (add `--quick` to skip the Tang poems, which need lib/data/poems).
 *
 * @module
 */
import { BpeTokenizer, CharTokenizer, mergeWord, pretokenize, trainBpe } from "../lib/text/mod.ts";

const SHAKESPEARE = "/work/shared/data/tinyshakespeare.txt";

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const out = fn();
  return [out, performance.now() - t0];
}

/** The textbook learner: re-counts all pairs before each merge; run for `merges` merges only. */
function naiveMerges(text: string, merges: number): number {
  const { alphabet } = trainBpe(text, { vocabSize: 256 + 100_000, minFrequency: 1e9 });
  const charId = new Map(alphabet.map((ch, i) => [ch, 256 + i]));
  const counts = new Map<string, number>();
  for (const w of pretokenize(text)) counts.set(w, (counts.get(w) ?? 0) + 1);
  let words: Array<{ ids: Int32Array; n: number }> = [...counts].map(([w, n]) => ({
    ids: Int32Array.from([...w], (ch) => charId.get(ch)!),
    n,
  }));
  let id = 256 + alphabet.length;
  for (let m = 0; m < merges; m++, id++) {
    const pairs = new Map<number, number>();
    for (const { ids, n } of words) {
      for (let j = 0; j + 1 < ids.length; j++) {
        pairs.set(ids[j] * 2 ** 20 + ids[j + 1], (pairs.get(ids[j] * 2 ** 20 + ids[j + 1]) ?? 0) + n);
      }
    }
    let best = -1, bestCount = 0;
    for (const [k, c] of pairs) if (c > bestCount || (c === bestCount && k < best)) best = k, bestCount = c;
    const a = Math.floor(best / 2 ** 20), b = best % 2 ** 20;
    words = words.map(({ ids, n }) => ({ ids: mergeWord(ids, a, b, id), n }));
  }
  return merges;
}

function report(name: string, text: string, tok: BpeTokenizer, trainMs: number): void {
  const chars = [...text].length;
  const [ids, encodeMs] = time(() => tok.encode(text));
  const [back, decodeMs] = time(() => tok.decode(ids));
  if (back !== text) throw new Error(`${name}: decode(encode(text)) differs from the text`);
  const mb = new TextEncoder().encode(text).length / 1e6;
  console.log(
    `${name}: ${mb.toFixed(2)} MB, ${tok}\n  train ${(trainMs / 1000).toFixed(2)} s, encode ${
      encodeMs.toFixed(0)
    } ms ` +
      `(${(mb / (encodeMs / 1000)).toFixed(1)} MB/s), decode ${decodeMs.toFixed(0)} ms, ` +
      `${(chars / ids.length).toFixed(2)} characters per token`,
  );
}

const shakespeare = await Deno.readTextFile(SHAKESPEARE);
const [bpe, trainMs] = time(() => BpeTokenizer.train(shakespeare, { vocabSize: 4096 }));
report("tiny Shakespeare, BPE 4096", shakespeare, bpe, trainMs);
const naiveN = 100;
const [, naiveMs] = time(() => naiveMerges(shakespeare, naiveN));
console.log(
  `  naive re-count learner: ${naiveN} merges in ${(naiveMs / 1000).toFixed(2)} s, so ~` +
    `${(naiveMs / naiveN * bpe.merges.length / 1000).toFixed(0)} s for the ${bpe.merges.length} merges above`,
);
const chars = CharTokenizer.fromText(shakespeare);
const [charIds, charMs] = time(() => chars.encode(shakespeare));
console.log(
  `tiny Shakespeare, characters: ${chars.vocabSize} ids, encode ${charMs.toFixed(0)} ms, ${charIds.length} tokens`,
);

if (!Deno.args.includes("--quick")) {
  const { loadPoems, poemText } = await import("../lib/data/poems.ts");
  const corpus = await loadPoems();
  const poems = poemText(corpus.train);
  const [pbpe, pMs] = time(() => BpeTokenizer.train(poems, { vocabSize: 4000, maxAlphabet: 3000 }));
  report("Tang poems (train split), BPE 4000, alphabet ≤ 3000", poems, pbpe, pMs);
  const top = pbpe.merges.slice(0, 20).map(([a, b]) => pbpe.idToToken(a) + pbpe.idToToken(b));
  console.log(`  first merges: ${top.join(" ")}`);
}
console.log(`machine: ${navigator.hardwareConcurrency} cores, load average ${Deno.loadavg().map((x) => x.toFixed(1))}`);
