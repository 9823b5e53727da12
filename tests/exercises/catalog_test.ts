import assert from "node:assert/strict";
import { CATALOG, hasMessage, message } from "@lib/exercises/catalog.ts";
import * as nb00 from "@lib/exercises/nb00_welcome.ts";
import * as nb01 from "@lib/exercises/nb01_learning_from_data.ts";
import * as nb02 from "@lib/exercises/nb02_kinds_of_learning.ts";
import * as nb03 from "@lib/exercises/nb03_classic_algorithms.ts";
import * as nb11 from "@lib/exercises/nb11_gpt_pretraining.ts";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

Deno.test("every catalog entry has English and Chinese text with the same placeholders", () => {
  for (const [id, text] of Object.entries(CATALOG)) {
    assert.ok(text.en.trim() && text.zh.trim(), `${id}: empty text`);
    assert.deepEqual(placeholders(text.zh), placeholders(text.en), `${id}: placeholders differ`);
    assert.match(text.zh, /[\u3400-\u9fff]/, `${id}: the Chinese text holds no Chinese`);
  }
});

Deno.test("every exercise of notebooks 00–03 and 11 has a title and a hint, and each hint id it diagnoses exists", () => {
  const exercises = [nb00, nb01, nb02, nb03, nb11].flatMap((m) => Object.values(m))
    .filter((v): v is { id: string } => typeof v === "object" && v !== null && "reference" in v);
  assert.equal(exercises.length, 12);
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
