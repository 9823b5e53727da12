import assert from "node:assert/strict";
import { loadSpam, tokenizeEmail } from "@lib/data/spam.ts";

Deno.test("tokenizeEmail drops headers, soft line breaks and HTML, lower-cases, keeps 2–20 letter words", () => {
  assert.deepEqual(tokenizeEmail("From: a@b.c\nSubject: WIN\n\nHello <a href='x'>World</a>! Fr=\nee a 42 x"), [
    "hello",
    "world",
    "free",
  ]);
  assert.deepEqual(tokenizeEmail("no blank line, so no body"), []);
  assert.deepEqual(tokenizeEmail("h\n\n" + "a".repeat(25)), ["a".repeat(20), "aaaaa"]);
});

Deno.test("loadSpam reads all 6046 messages with their groups", async () => {
  const spam = await loadSpam();
  assert.equal(spam.size, 6046);
  assert.equal(spam.y.filter((v) => v === 1).length, 1896);
  assert.deepEqual([...new Set(spam.groups)].sort(), ["easy-ham-1", "easy-ham-2", "hard-ham-1", "spam-1", "spam-2"]);
  spam.groups.forEach((g, i) => assert.equal(spam.y[i], g.startsWith("spam") ? 1 : 0));
  assert.match(spam.toString(), /SpamAssassin: 6046 messages \(4150 ham, 1896 spam\)/);
});
