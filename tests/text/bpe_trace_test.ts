import assert from "node:assert/strict";
import { type BpeProgress, BpeTokenizer, bpeTrace, trainBpe } from "@lib/text/mod.ts";

const TEXT = "床前明月光，疑是地上霜。举头望明月，低头思故乡。\n\n明月几时有，把酒问青天。明月松间照，清泉石上流。";

Deno.test("bpeTrace ends at the tokens encode gives, one merge at a time in rank order", () => {
  const tok = BpeTokenizer.train(TEXT, { vocabSize: 256 + 40 });
  for (const line of ["举头望明月", "明月几时有，低头思故乡。", "明月🌙光", "hello"]) {
    const steps = bpeTrace(tok, line);
    assert.deepEqual(steps.at(-1)!.tokens, tok.tokens(line), line);
    assert.equal(steps[0].rank, -1);
    for (let i = 1; i < steps.length; i++) {
      assert.ok(steps[i].rank > steps[i - 1].rank, "ranks ascend");
      assert.ok(steps[i].tokens.length < steps[i - 1].tokens.length, "each step merges");
      assert.ok(steps[i].tokens.includes(steps[i].token));
    }
  }
});

Deno.test("bpeTrace starts from the characters, with bytes for characters outside the alphabet", () => {
  const tok = BpeTokenizer.train(TEXT, { vocabSize: 256 + 40 });
  assert.deepEqual(bpeTrace(tok, "举头望明月")[0].tokens, ["举", "头", "望", "明", "月"]);
  assert.deepEqual(bpeTrace(tok, "月🌙")[0].tokens, ["月", "<0xF0>", "<0x9F>", "<0x8C>", "<0x99>"]);
});

Deno.test("trainBpe's onMerge reports every merge with its pair and count, most frequent first", () => {
  const seen: BpeProgress[] = [];
  const { merges } = trainBpe(TEXT, { vocabSize: 256 + 40, onMerge: (m) => seen.push(m) });
  assert.equal(seen.length, merges.length);
  assert.deepEqual(seen.map((m) => m.merges), merges.map((_, i) => i + 1));
  assert.deepEqual(seen[0], { merges: 1, target: seen[0].target, token: "明月", count: 4, left: "明", right: "月" });
  for (const m of seen) assert.equal(m.left + m.right, m.token);
});

Deno.test("bpeTrace refuses a non-string", () => {
  const tok = BpeTokenizer.train(TEXT, { vocabSize: 300 });
  assert.throws(() => bpeTrace(tok, 5 as unknown as string), /type number: expected a string/);
});
