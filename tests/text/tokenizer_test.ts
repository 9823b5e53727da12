import assert from "node:assert/strict";
import { checkIds, checkTokenizerHeader, TOKENIZER_FORMAT, TOKENIZER_VERSION } from "@lib/text/tokenizer.ts";

Deno.test("checkTokenizerHeader accepts this format and version and checks the kind", () => {
  const header = { format: TOKENIZER_FORMAT, version: TOKENIZER_VERSION, kind: "bpe" } as const;
  assert.deepEqual(checkTokenizerHeader(header), header);
  assert.deepEqual(checkTokenizerHeader(header, "bpe"), header);
  assert.throws(() => checkTokenizerHeader(header, "char"), {
    name: "RangeError",
    message: 'Cannot read a "bpe" tokenizer as a "char" tokenizer',
  });
  assert.throws(() => checkTokenizerHeader(null), {
    name: "TypeError",
    message: 'Cannot read tokenizer as its JSON must have format "liandan-tokenizer": got null',
  });
  assert.throws(() => checkTokenizerHeader({ ...header, version: 0 }), {
    name: "RangeError",
    message: "Cannot read tokenizer of format version 0: this library reads version 1",
  });
});

Deno.test("checkIds names the first bad id and its position", () => {
  checkIds(new Int32Array([0, 4]), 5);
  assert.throws(() => checkIds([0, -1], 5), {
    name: "RangeError",
    message: "Cannot decode token id -1 at position 1 as ids must be integers in [0, 5)",
  });
  assert.throws(() => checkIds(7 as unknown as number[], 5), {
    name: "TypeError",
    message: "Cannot decode ids as they must be an array of integers: current value is 7",
  });
});
