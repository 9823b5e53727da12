import assert from "node:assert/strict";
import fc from "fast-check";
import { type BpeProgress, mergeWord, trainBpe } from "@lib/text/bpe_trainer.ts";
import { pretokenize } from "@lib/text/pretokenize.ts";

/** The textbook learner: re-count every pair before each merge (slow, obviously right). */
function naiveTrain(text: string, vocabSize: number, minFrequency = 2): Array<[number, number]> {
  const { alphabet } = trainBpe(text, { vocabSize: 256 + 100_000, minFrequency: 1e9 });
  const charId = new Map(alphabet.map((ch, i) => [ch, 256 + i]));
  let words = pretokenize(text).map((w) => [...w].map((ch) => charId.get(ch)!));
  const merges: Array<[number, number]> = [];
  for (let id = 256 + alphabet.length; id < vocabSize; id++) {
    const counts = new Map<string, number>();
    for (const w of words) {
      for (let j = 0; j + 1 < w.length; j++) {
        const k = `${w[j]},${w[j + 1]}`;
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
    }
    let best: [number, number] | undefined, bestCount = 0;
    for (const [k, c] of counts) {
      const [a, b] = k.split(",").map(Number);
      if (c > bestCount || (c === bestCount && (a < best![0] || (a === best![0] && b < best![1])))) {
        best = [a, b], bestCount = c;
      }
    }
    if (best === undefined || bestCount < minFrequency) break;
    merges.push(best);
    words = words.map((w) => [...mergeWord(Int32Array.from(w), best[0], best[1], id)]);
  }
  return merges;
}

Deno.test("the classic example: low, lower, newest, widest", () => {
  const text = "low ".repeat(5) + "lower ".repeat(2) + "newest ".repeat(6) + "widest ".repeat(3);
  const { alphabet, merges } = trainBpe(text, { vocabSize: 256 + 11 + 4 });
  const tokens = [...new Array<string>(256).fill("?"), ...alphabet];
  for (const [a, b] of merges) tokens.push(tokens[a] + tokens[b]);
  assert.equal(alphabet.length, 11);
  assert.deepEqual(tokens.slice(256 + alphabet.length), ["es", "est", "lo", "low"]); // as in Sennrich et al. (2016)
});

Deno.test("incremental counting learns exactly the merges of the naive re-counting learner", () => {
  const text = "床前明月光，疑是地上霜。举头望明月，低头思故乡。\n".repeat(3) +
    "the cat sat on the mat; the rat ate the cat's hat. aaaa bbbb abab\n";
  assert.deepEqual(trainBpe(text, { vocabSize: 400 }).merges, naiveTrain(text, 400));
});

Deno.test("property: incremental and naive learners agree on random text", () => {
  const text = fc.array(fc.constantFrom(..."ab c明月\n。"), { minLength: 1, maxLength: 80 }).map((cs) => cs.join(""));
  fc.assert(
    fc.property(text, fc.integer({ min: 1, max: 3 }), (t, minFrequency) => {
      const ours = trainBpe(t, { vocabSize: 300, minFrequency }).merges;
      assert.deepEqual(ours, naiveTrain(t, 300, minFrequency));
    }),
    { numRuns: 60 },
  );
});

Deno.test("mergeWord joins non-overlapping pairs left to right", () => {
  assert.deepEqual([...mergeWord(Int32Array.of(1, 1, 1), 1, 1, 9)], [9, 1]);
  assert.deepEqual([...mergeWord(Int32Array.of(1, 2, 1, 2, 3), 1, 2, 9)], [9, 9, 3]);
  const same = Int32Array.of(3, 4);
  assert.equal(mergeWord(same, 1, 2, 9), same);
});

Deno.test("characterCoverage and maxAlphabet leave rare characters to the byte fallback", () => {
  const text = "a".repeat(1000) + "b".repeat(10) + "c";
  assert.deepEqual(trainBpe(text, { vocabSize: 300 }).alphabet, ["a", "b", "c"]);
  assert.deepEqual(trainBpe(text, { vocabSize: 300, characterCoverage: 0.98 }).alphabet, ["a"]);
  assert.deepEqual(trainBpe(text, { vocabSize: 300, maxAlphabet: 2 }).alphabet, ["a", "b"]);
  assert.deepEqual(trainBpe(text, { vocabSize: 258 }).alphabet, ["a", "b"], "capped by the vocabulary");
});

Deno.test("training stops when no pair is frequent enough, and reports progress", () => {
  const seen: BpeProgress[] = [];
  const { merges } = trainBpe("abcd abcd", { vocabSize: 1000, onProgress: (p) => seen.push(p) });
  assert.equal(merges.length, 3);
  assert.deepEqual(seen, [{ merges: 3, target: 1000 - 256 - 5, token: "abcd", count: 2, left: "ab", right: "cd" }]);
});

Deno.test("special tokens are neither counted nor merged", () => {
  const { alphabet } = trainBpe("<|end|>ab<|end|>ab", { vocabSize: 300, specials: ["<|end|>"] });
  assert.deepEqual(alphabet, ["a", "b"]);
});

Deno.test("bad options throw errors naming the value", () => {
  assert.throws(() => trainBpe("ab", { vocabSize: 256 }), {
    name: "RangeError",
    message: "Cannot train BPE as vocabSize must be an integer in [257, 1048576] (256 byte tokens, 0 special " +
      "tokens and at least one character): current value is 256",
  });
  assert.throws(() => trainBpe("ab", { vocabSize: 300, minFrequency: 0 }), {
    name: "RangeError",
    message: "Cannot train BPE as minFrequency must be a positive integer: current value is 0",
  });
  assert.throws(() => trainBpe("ab", { vocabSize: 300, characterCoverage: 1.5 }), {
    name: "RangeError",
    message: "Cannot train BPE as characterCoverage must be in (0, 1]: current value is 1.5",
  });
  assert.throws(() => trainBpe("ab", { vocabSize: 300, maxAlphabet: 0 }), {
    name: "RangeError",
    message: "Cannot train BPE as maxAlphabet must be a positive integer: current value is 0",
  });
  assert.throws(() => trainBpe(7 as unknown as string, { vocabSize: 300 }), {
    name: "TypeError",
    message: "Cannot train BPE on text of type number",
  });
});
