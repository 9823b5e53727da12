import assert from "node:assert/strict";
import { CATALOG, hasMessage, message } from "@lib/exercises/catalog.ts";

/** Every notebook's exercise module (lib/exercises/nbNN_name.ts), found on disk so that a new notebook needs no edit. */
const modules = await Promise.all(
  [...Deno.readDirSync(new URL("../../lib/exercises/", import.meta.url))]
    .map((e) => e.name).filter((name) => /^nb\d\d_\w+\.ts$/.test(name)).sort()
    .map((name) => import(`@lib/exercises/${name}`) as Promise<Record<string, unknown>>),
);

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

Deno.test("every catalog entry has English and Chinese text with the same placeholders", () => {
  for (const [id, text] of Object.entries(CATALOG)) {
    assert.ok(text.en.trim() && text.zh.trim(), `${id}: empty text`);
    assert.deepEqual(placeholders(text.zh), placeholders(text.en), `${id}: placeholders differ`);
    assert.match(text.zh, /[\u3400-\u9fff]/, `${id}: the Chinese text holds no Chinese`);
  }
});

Deno.test("every exercise of every notebook has a title and a hint, and each hint id it diagnoses exists", () => {
  const exercises = modules.flatMap((m) => Object.values(m))
    .filter((v): v is { id: string } => typeof v === "object" && v !== null && "reference" in v);
  assert.ok(exercises.length >= 12, `${exercises.length} exercises found`); // 00–03 have 9, 09 has 3
  for (const { id } of exercises) {
    assert.ok(hasMessage(`${id}.title`) && hasMessage(`${id}.hint`), id);
  }
  for (const id of Object.keys(CATALOG).filter((k) => k.includes(".hint."))) {
    assert.ok(exercises.some((e) => id.startsWith(`${e.id}.`)), `${id} belongs to no exercise`);
  }
});

Deno.test("message fills placeholders in the language asked for", () => {
  assert.equal(message("check.not_yet", { exercise: "03 · gini" }, "en"), "not yet: 03 · gini");
  assert.equal(message("check.not_yet", { exercise: "03 · gini" }, "zh"), "还没完成：03 · gini");
});

Deno.test("message refuses unknown ids and missing placeholders", () => {
  assert.throws(() => message("no.such"), /Cannot find the message as "no.such" is not in the exercise catalog/);
  assert.throws(() => message("check.not_yet", {}), /placeholder \{exercise\} has no value/);
});
