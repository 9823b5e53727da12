import assert from "node:assert/strict";
import { addChatTokens, encodeChat, maskView } from "@lib/rlhf/mod.ts";
import { CharTokenizer } from "@lib/text/mod.ts";

Deno.test("maskView: a box per token, green where the loss counts it; newlines shown as ↵", () => {
  const tok = new CharTokenizer(["<unk>", "\n", "问", "答"]);
  addChatTokens(tok);
  const view = maskView(tok, encodeChat(tok, { prompt: "问", response: "答\n答" }), ["learned", "ignored"]);
  assert.deepEqual(view.tokens, ["<|user|>", "问", "<|assistant|>", "答", "↵", "答", "<|end|>"]);
  assert.deepEqual(view.learned, [false, false, false, true, true, true, true]);
  assert.equal((view.html.match(/#b7e4c7/g) ?? []).length, 4 + 1, "four learned tokens and the legend");
  assert.match(view.html, /&lt;\|user\|&gt;/);
  assert.match(view.html, /learned/);
  assert.match(view.html, /4 \/ 7/);
  assert.throws(() => maskView(tok, { ids: [1, 2], mask: [], promptLength: 1 }), /0 entries for 2 ids: it needs 1/);
});
