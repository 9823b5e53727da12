import assert from "node:assert/strict";
import { BpeTokenizer, CharTokenizer, showTokens } from "@lib/text/mod.ts";

Deno.test("showTokens gives ids, tokens and coloured boxes with the id on hover", () => {
  const tok = BpeTokenizer.train("明月光，明月光。", { vocabSize: 300 });
  const view = showTokens(tok, "明月光\n龍");
  assert.deepEqual(view.ids, tok.encode("明月光\n龍"));
  assert.deepEqual(view.tokens, ["明月光", "<0x0A>", "<0xE9>", "<0xBE>", "<0x8D>"]);
  assert.equal((view.html.match(/<span /g) ?? []).length, 5);
  assert.match(view.html, new RegExp(`title="id ${view.ids[0]}"`));
  assert.match(view.html, /&lt;0xE9&gt;/);
  assert.match(view.html, /5 tokens for 5 characters/);
});

Deno.test("showTokens displays whitespace visibly and as plain text joined by |", () => {
  const tok = CharTokenizer.fromText("a b\n");
  const bundle = showTokens(tok, "a b\n")[Symbol.for("Jupyter.display") as never] as unknown as () => Record<
    string,
    string
  >;
  const shown = bundle();
  assert.equal(shown["text/plain"], "a|␣|b|↵");
  assert.match(shown["text/html"], /↵<\/span><br>/);
});
