import assert from "node:assert/strict";
import fc from "fast-check";
import { BpeTokenizer, byteTokenName } from "@lib/text/bpe_tokenizer.ts";
import { pretokenize } from "@lib/text/pretokenize.ts";
import { CHAT_TOKENS } from "@lib/text/special_tokens.ts";

const CORPUS = "床前明月光，疑是地上霜。举头望明月，低头思故乡。\n".repeat(5) +
  "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。\n".repeat(3) +
  "First Citizen: Before we proceed any further, hear me speak.\nAll: Speak, speak.\n".repeat(4);
const TOK = BpeTokenizer.train(CORPUS, { vocabSize: 400 });

const chinese = fc.integer({ min: 0x4e00, max: 0x9fff }).map((cp) => String.fromCodePoint(cp));
const emoji = fc.integer({ min: 0x1f300, max: 0x1faff }).map((cp) => String.fromCodePoint(cp));
const english = fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz ABCXYZ.,;:!?'\n\t0123456789");
const seen = fc.constantFrom(...new Set(CORPUS));
const mixed = fc.array(fc.oneof(chinese, emoji, english, seen, fc.string({ unit: "grapheme", maxLength: 3 })), {
  maxLength: 40,
}).map((parts) => parts.join(""));

Deno.test("round trip: encode then decode gives back any Chinese, English, emoji or mixed text", () => {
  for (const text of [chinese, emoji, english, seen].map((unit) => fc.array(unit).map((cs) => cs.join("")))) {
    fc.assert(fc.property(text, (t) => TOK.decode(TOK.encode(t)) === t));
  }
  fc.assert(fc.property(mixed, (t) => TOK.decode(TOK.encode(t)) === t), { numRuns: 300 });
});

Deno.test("round trip holds for a grown vocabulary and any string of graphemes", () => {
  fc.assert(fc.property(fc.string({ unit: "grapheme" }), (t) => TOK.decode(TOK.encode(t)) === t));
});

Deno.test("encoding equals applying every merge in order to each pre-token (the reference algorithm)", () => {
  const strings = [...new Array<string>(256).fill(""), ...TOK.alphabet];
  for (const [a, b] of TOK.merges) strings.push(strings[a] + strings[b]);
  const reference = (text: string) =>
    pretokenize(text).flatMap((word) => {
      let parts = [...word];
      for (const [a, b] of TOK.merges) {
        const merged: string[] = [];
        for (let i = 0; i < parts.length; i++) {
          if (parts[i] === strings[a] && parts[i + 1] === strings[b]) merged.push(strings[a] + strings[b]), i++;
          else merged.push(parts[i]);
        }
        parts = merged;
      }
      return parts;
    });
  fc.assert(fc.property(fc.array(seen, { maxLength: 50 }).map((cs) => cs.join("")), (t) => {
    assert.deepEqual(TOK.tokens(t), reference(t));
  }));
  assert.deepEqual(TOK.tokens(CORPUS.slice(0, 60)), reference(CORPUS.slice(0, 60)));
});

Deno.test("frequent words become single tokens and unseen characters fall back to UTF-8 bytes", () => {
  assert.deepEqual(TOK.tokens("床前明月光"), ["床前明月光"]);
  assert.deepEqual(TOK.tokens("明月光"), ["明月", "光"]);
  assert.deepEqual(TOK.tokens(" speak"), [" speak"]);
  assert.deepEqual(TOK.tokens("龍"), ["<0xE9>", "<0xBE>", "<0x8D>"]);
  assert.deepEqual(TOK.encode("龍"), [0xe9, 0xbe, 0x8d]);
  assert.deepEqual(TOK.tokens("明龍月"), ["明", "<0xE9>", "<0xBE>", "<0x8D>", "月"]);
  assert.equal(TOK.tokenToId("<0xE9>"), 0xe9);
  assert.equal(byteTokenName(7), "<0x07>");
  assert.deepEqual(TOK.idToBytes(0xe9), Uint8Array.of(0xe9));
  assert.deepEqual(TOK.idToBytes(TOK.tokenToId("明")!), new TextEncoder().encode("明"));
});

Deno.test("vocabSize counts bytes, alphabet, merges and special tokens", () => {
  assert.equal(TOK.vocabSize, 256 + TOK.alphabet.length + TOK.merges.length);
  assert.ok(TOK.vocabSize <= 400);
  const ids = TOK.encode(CORPUS);
  assert.ok(ids.every((id) => Number.isInteger(id) && id >= 0 && id < TOK.vocabSize));
  assert.ok(ids.length < [...CORPUS].length / 2, `merges should shorten the corpus: ${ids.length} tokens`);
});

Deno.test("special tokens are atomic, get the last ids, and survive JSON", () => {
  const tok = BpeTokenizer.train(CORPUS, { vocabSize: 400, specials: ["<|end|>"] });
  const [user, assistant, end] = tok.addSpecialTokens(CHAT_TOKENS);
  assert.equal(end, tok.vocabSize - 3, "<|end|> keeps its id from training");
  assert.deepEqual([user, assistant], [tok.vocabSize - 2, tok.vocabSize - 1]);
  assert.deepEqual(tok.specialTokens, { "<|end|>": end, "<|user|>": user, "<|assistant|>": assistant });
  const chat = "<|user|>明月？<|assistant|>明月光。<|end|>";
  const ids = tok.encode(chat);
  assert.deepEqual([ids[0], ids.at(-1)], [user, end]);
  assert.equal(tok.decode(ids), chat);
  assert.equal(tok.decode(ids, { skipSpecial: true }), "明月？明月光。");
  assert.ok(!tok.encode(chat, { allowSpecial: false }).includes(user));
  assert.equal(tok.decode(tok.encode(chat, { allowSpecial: false })), chat);
  const copy = BpeTokenizer.fromJSON(JSON.parse(JSON.stringify(tok)));
  assert.deepEqual(copy.encode(chat + CORPUS), tok.encode(chat + CORPUS));
  assert.deepEqual(copy.specialTokens, tok.specialTokens);
});

Deno.test("save and load keep every id", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await TOK.save(path);
    const copy = await BpeTokenizer.load(path);
    assert.deepEqual(copy.toJSON(), TOK.toJSON());
    assert.deepEqual(copy.encode(CORPUS), TOK.encode(CORPUS));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("decode accepts typed arrays, and cut multi-byte characters decode to U+FFFD", () => {
  assert.equal(TOK.decode(Int32Array.from(TOK.encode("明月"))), "明月");
  assert.equal(TOK.decode([0xe9, 0xbe]), "\ufffd");
  assert.equal(TOK.decode(TOK.encode("a\ud800b")), "a\ufffdb", "a lone surrogate is not well-formed text");
});

Deno.test("a tokenizer with no merges is a character tokenizer with a byte fallback", () => {
  const tok = new BpeTokenizer({ alphabet: ["a", "b"], merges: [] });
  assert.deepEqual(tok.encode("abc"), [256, 257, 0x63]);
  assert.equal(tok.idToToken(257), "b");
});

Deno.test("bad models, ids and JSON throw errors naming the value", () => {
  assert.throws(() => new BpeTokenizer({ alphabet: ["a", "ab"], merges: [] }), {
    name: "RangeError",
    message: 'Cannot create BpeTokenizer as alphabet entry 1 ("ab") must be one character, unique',
  });
  assert.throws(() => new BpeTokenizer({ alphabet: ["a", "a"], merges: [] }), {
    name: "RangeError",
    message: 'Cannot create BpeTokenizer as alphabet entry 1 ("a") must be one character, unique',
  });
  assert.throws(() => new BpeTokenizer({ alphabet: ["a"], merges: [[256, 257]] }), {
    name: "RangeError",
    message: "Cannot create BpeTokenizer as merge 0 ([256, 257]) must join ids of earlier tokens in [256, 257): " +
      "257 is not one",
  });
  assert.throws(() => TOK.decode([TOK.vocabSize]), {
    name: "RangeError",
    message: `Cannot decode token id ${TOK.vocabSize} at position 0 as ids must be integers in [0, ${TOK.vocabSize})`,
  });
  assert.throws(() => TOK.decode([1.5]), RangeError);
  assert.throws(() => TOK.idToToken(-1), RangeError);
  assert.throws(() => TOK.encode(3 as unknown as string), {
    name: "TypeError",
    message: "Cannot encode text of type number: expected a string",
  });
  assert.throws(() => TOK.addSpecialTokens([""]), {
    name: "RangeError",
    message: "Cannot add special token as it must be a non-empty string",
  });
  assert.throws(() => TOK.specialId("<|end|>"), {
    name: "RangeError",
    message: 'Cannot find special token "<|end|>": this tokenizer has []; add it with addSpecialTokens',
  });
  const json = TOK.toJSON();
  assert.throws(() => BpeTokenizer.fromJSON({ ...json, version: 2 }), {
    name: "RangeError",
    message: "Cannot read tokenizer of format version 2: this library reads version 1",
  });
  assert.throws(() => BpeTokenizer.fromJSON({ ...json, merges: null }), {
    name: "TypeError",
    message: "Cannot read BPE tokenizer as its merges is not an array",
  });
  assert.throws(() => BpeTokenizer.fromJSON({ ...json, format: "gpt2" }), {
    name: "TypeError",
    message: 'Cannot read tokenizer as its JSON must have format "liandan-tokenizer": got "gpt2"',
  });
});

Deno.test("the notebook display lists sizes and merges", () => {
  const show = (TOK as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")];
  const bundle = show.call(TOK);
  assert.equal(
    bundle["text/plain"],
    `BpeTokenizer(vocabSize=${TOK.vocabSize}: 256 bytes + ${TOK.alphabet.length} characters + ` +
      `${TOK.merges.length} merges + 0 special)`,
  );
  assert.match(bundle["text/html"], /first merges/);
  assert.match(bundle["text/html"], /→/);
});

Deno.test("property: decoding any ids equals decoding the concatenated UTF-8 bytes of their tokens", () => {
  const tok = BpeTokenizer.train(CORPUS, { vocabSize: 400, specials: ["<|end|>"] });
  const utf8 = new TextEncoder();
  const reference = (ids: number[]) => {
    const bytes = ids.flatMap((id) => id < 256 ? [id] : [...utf8.encode(tok.idToToken(id))]);
    return new TextDecoder().decode(Uint8Array.from(bytes));
  };
  const bytesAndTokens = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: tok.vocabSize - 1 }));
  fc.assert(fc.property(fc.array(bytesAndTokens, { maxLength: 30 }), (ids) => tok.decode(ids) === reference(ids)));
});

Deno.test("property: a tokenizer trained on random text round-trips any other text", () => {
  fc.assert(
    fc.property(mixed, mixed, fc.integer({ min: 257, max: 420 }), (train, other, vocabSize) => {
      const tok = BpeTokenizer.train(train, { vocabSize, minFrequency: 1 });
      assert.ok(tok.vocabSize <= vocabSize);
      assert.equal(tok.decode(tok.encode(train)), train);
      assert.equal(tok.decode(tok.encode(other)), other);
    }),
    { numRuns: 100 },
  );
});
