import assert from "node:assert/strict";
import fc from "fast-check";
import { CharTokenizer } from "@lib/text/char_tokenizer.ts";
import { CHAT_TOKENS } from "@lib/text/special_tokens.ts";

const POEM = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。";

Deno.test("fromText puts specials first, then characters by frequency, ties in code-point order", () => {
  const tok = CharTokenizer.fromText("bbaac", { specials: ["<unk>", "<pad>"] });
  assert.deepEqual(tok.vocabulary, ["<unk>", "<pad>", "a", "b", "c"]);
  assert.deepEqual(tok.specialTokens, { "<unk>": 0, "<pad>": 1 });
  assert.equal(tok.unkId, 0);
});

Deno.test("fromText caps the vocabulary and maps the dropped characters to <unk>", () => {
  const tok = CharTokenizer.fromText("aaabbc", { maxVocab: 3 });
  assert.equal(tok.vocabSize, 3);
  assert.deepEqual(tok.encode("abcz"), [1, 2, 0, 0]);
  assert.equal(tok.decode(tok.encode("abc")), "ab<unk>");
});

Deno.test("a vocabulary list gives ids by index, as loadPoems's vocabulary does", () => {
  const tok = new CharTokenizer(["<unk>", "明", "月", "\n"]);
  assert.deepEqual(tok.encode("明月\n月"), [1, 2, 3, 2]);
  assert.deepEqual(tok.encode("日"), [0]);
  assert.equal(tok.decode([1, 2, 3]), "明月\n");
  assert.equal(tok.idToToken(2), "月");
  assert.equal(tok.tokenToId("月"), 2);
  assert.equal(tok.tokenToId("日"), undefined);
});

Deno.test("characters outside the basic plane (emoji, rare CJK) are one token each", () => {
  const tok = CharTokenizer.fromText("😀𠀀a");
  assert.deepEqual(tok.tokens("a😀𠀀"), ["a", "😀", "𠀀"]);
  assert.equal(tok.encode("😀").length, 1);
});

Deno.test("special tokens are encoded whole, or as plain text with allowSpecial false", () => {
  const tok = CharTokenizer.fromText("<|>enduser好" + POEM);
  const ids = tok.addSpecialTokens(CHAT_TOKENS);
  assert.deepEqual(ids, [tok.vocabSize - 3, tok.vocabSize - 2, tok.vocabSize - 1]);
  assert.deepEqual(tok.addSpecialTokens(["<|end|>"]), [ids[2]], "adding again keeps the id");
  assert.deepEqual(tok.encode("<|user|>好<|end|>"), [ids[0], tok.tokenToId("好"), ids[2]]);
  assert.equal(tok.encode("<|end|>", { allowSpecial: false }).length, 7);
  assert.equal(tok.decode(tok.encode("<|user|>好<|end|>"), { skipSpecial: true }), "好");
  assert.equal(tok.specialId("<|assistant|>"), ids[1]);
});

Deno.test("round trip: any text made of vocabulary characters decodes to itself", () => {
  const alphabet = [..."春眠不觉晓处闻啼鸟abcXYZ 0129,.!?\n😀🐱𠀀é"];
  const tok = new CharTokenizer(["<unk>", ...alphabet]);
  const text = fc.array(fc.constantFrom(...alphabet), { maxLength: 60 }).map((cs) => cs.join(""));
  fc.assert(fc.property(text, (t) => tok.decode(tok.encode(t)) === t));
});

Deno.test("round trip through JSON and a file keeps the ids", async () => {
  const tok = CharTokenizer.fromText(POEM, { maxVocab: 10 });
  tok.addSpecialTokens(["<|end|>"]);
  const copy = CharTokenizer.fromJSON(JSON.parse(JSON.stringify(tok)));
  assert.deepEqual(copy.vocabulary, tok.vocabulary);
  assert.deepEqual(copy.specialTokens, tok.specialTokens);
  assert.deepEqual(copy.encode(POEM + "<|end|>"), tok.encode(POEM + "<|end|>"));
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    await tok.save(path);
    assert.deepEqual((await CharTokenizer.load(path)).encode(POEM), tok.encode(POEM));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("without <unk>, an unknown character is an error naming it", () => {
  const tok = new CharTokenizer(["a", "b"]);
  assert.equal(tok.unkId, undefined);
  assert.throws(() => tok.encode("abz"), {
    name: "RangeError",
    message: 'Cannot encode character "z" (U+007A) at position 2 as it is not in the vocabulary and the tokenizer ' +
      "has no unknown token",
  });
});

Deno.test("bad arguments throw errors that name the value", () => {
  assert.throws(() => new CharTokenizer(["a", "a"]), {
    name: "RangeError",
    message: 'Cannot add token "a" to CharTokenizer as it is already in the vocabulary',
  });
  assert.throws(() => new CharTokenizer(["a", ""]), {
    name: "RangeError",
    message: 'Cannot add token "" to CharTokenizer as it must be a non-empty string',
  });
  assert.throws(() => new CharTokenizer("abc" as unknown as string[]), {
    name: "TypeError",
    message: "Cannot create CharTokenizer as vocabulary must be an array of strings: got abc",
  });
  assert.throws(() => new CharTokenizer(["a"], { unk: "<unk>" }), {
    name: "RangeError",
    message: 'Cannot create CharTokenizer as its unknown token "<unk>" is not in the vocabulary',
  });
  assert.throws(() => CharTokenizer.fromText("abc", { maxVocab: 1 }), {
    name: "RangeError",
    message: "Cannot build CharTokenizer as maxVocab must be an integer larger than the 1 special tokens: " +
      "current value is 1",
  });
  assert.throws(() => CharTokenizer.fromText(42 as unknown as string), {
    name: "TypeError",
    message: "Cannot build CharTokenizer from text of type number",
  });
  const tok = CharTokenizer.fromText("ab");
  assert.throws(() => tok.encode(null as unknown as string), {
    name: "TypeError",
    message: "Cannot encode text of type object: expected a string",
  });
  assert.throws(() => tok.decode([0, 3]), {
    name: "RangeError",
    message: "Cannot decode token id 3 at position 1 as ids must be integers in [0, 3)",
  });
  assert.throws(() => tok.specialId("<|end|>"), {
    name: "RangeError",
    message: 'Cannot find special token "<|end|>": this tokenizer has ["<unk>"]; add it with addSpecialTokens',
  });
  assert.throws(() => CharTokenizer.fromJSON({ format: "liandan-tokenizer", version: 1, kind: "bpe" }), {
    name: "RangeError",
    message: 'Cannot read a "bpe" tokenizer as a "char" tokenizer',
  });
});

Deno.test("the notebook display shows the size and the special tokens", () => {
  const tok = CharTokenizer.fromText(POEM);
  const bundle = tok[Symbol.for("Jupyter.display") as keyof CharTokenizer] as unknown as () => Record<string, string>;
  const shown = bundle.call(tok);
  assert.equal(shown["text/plain"], `CharTokenizer(vocabSize=${tok.vocabSize}, specials=<unk>)`);
  assert.match(shown["text/html"], /&lt;unk&gt;/);
  assert.match(shown["text/html"], /↵/);
});

Deno.test("property: a tokenizer built from a text round-trips that text (Chinese, English, emoji, mixed)", () => {
  const unit = fc.oneof(
    fc.integer({ min: 0x4e00, max: 0x9fff }).map((cp) => String.fromCodePoint(cp)),
    fc.integer({ min: 0x1f300, max: 0x1faff }).map((cp) => String.fromCodePoint(cp)),
    fc.constantFrom(..."abc XYZ.,!?\n\t"),
    fc.string({ unit: "grapheme", maxLength: 2 }),
  );
  const text = fc.array(unit, { maxLength: 50 }).map((parts) => parts.join(""));
  fc.assert(fc.property(text, (t) => {
    const tok = CharTokenizer.fromText(t);
    assert.equal(tok.decode(tok.encode(t)), t);
    assert.equal(tok.encode(t).length, [...t].length - (t.split("<unk>").length - 1) * 4);
  }));
});
