import assert from "node:assert/strict";
import fc from "fast-check";
import { BpeTokenizer, CharTokenizer, StreamDecoder } from "@lib/text/mod.ts";

const CORPUS = "床前明月光，疑是地上霜。举头望明月，低头思故乡。\nMoon light, moon light.\n".repeat(4);
const BPE = BpeTokenizer.train(CORPUS, { vocabSize: 330, specials: ["<|end|>"] });

function streamAll(stream: StreamDecoder, ids: number[]): string {
  return ids.map((id) => stream.push(id)).join("") + stream.flush();
}

Deno.test("property: streamed pieces join into decode(ids), for encoded text and for arbitrary ids", () => {
  const text = fc.string({ unit: "grapheme", maxLength: 30 }).map((t) => t + "<|end|>龍🐱");
  fc.assert(fc.property(text, (t) => streamAll(new StreamDecoder(BPE), BPE.encode(t)) === t));
  const ids = fc.array(fc.integer({ min: 0, max: BPE.vocabSize - 1 }), { maxLength: 30 });
  fc.assert(fc.property(ids, (xs) => streamAll(new StreamDecoder(BPE), xs) === BPE.decode(xs)));
  fc.assert(
    fc.property(
      ids,
      (xs) => streamAll(new StreamDecoder(BPE, { skipSpecial: true }), xs) === BPE.decode(xs, { skipSpecial: true }),
    ),
  );
});

Deno.test("a character split over byte tokens appears once it is complete; a cut one flushes as U+FFFD", () => {
  const stream = new StreamDecoder(BPE);
  const ids = BPE.encode("龍"); // 3 byte tokens
  assert.deepEqual(ids.map((id) => stream.push(id)), ["", "", "龍"]);
  assert.equal(stream.push(ids.slice(0, 2)), "");
  assert.equal(stream.flush(), "\ufffd");
});

Deno.test("a char tokenizer streams one character per id, and push accepts several ids", () => {
  const tok = CharTokenizer.fromText("白日依山尽");
  const stream = new StreamDecoder(tok);
  assert.equal(stream.push(tok.encode("白日")), "白日");
  assert.equal(stream.push(tok.encode("尽")[0]), "尽");
  assert.equal(new StreamDecoder(tok, { skipSpecial: true }).push([0, 1]), tok.decode([1]));
});

Deno.test("StreamDecoder checks its arguments", () => {
  assert.throws(() => new StreamDecoder({} as never), {
    name: "TypeError",
    message: "Cannot create StreamDecoder as [object Object] is not a tokenizer (it has no decode method)",
  });
  assert.throws(() => new StreamDecoder(BPE).push(BPE.vocabSize), RangeError);
});
