import assert from "node:assert/strict";
import { isLang, lang, LANG_ENV, LANGS, tr } from "@lib/notebook/mod.ts";

/** Runs `fn` with LIANDAN_LANG set to `value` (or unset), restoring it afterwards. */
function withLang<T>(value: string | undefined, fn: () => T): T {
  const before = Deno.env.get(LANG_ENV);
  if (value === undefined) Deno.env.delete(LANG_ENV);
  else Deno.env.set(LANG_ENV, value);
  try {
    return fn();
  } finally {
    if (before === undefined) Deno.env.delete(LANG_ENV);
    else Deno.env.set(LANG_ENV, before);
  }
}

Deno.test("lang: LIANDAN_LANG picks the language, English when unset or empty", () => {
  assert.deepEqual([...LANGS], ["en", "zh"]);
  assert.equal(withLang(undefined, lang), "en");
  assert.equal(withLang("", lang), "en");
  assert.equal(withLang("en", lang), "en");
  assert.equal(withLang("zh", lang), "zh");
  assert.equal(isLang("en") && isLang("zh") && !isLang("ZH") && !isLang(undefined), true);
});

Deno.test("lang: a bad LIANDAN_LANG says what is accepted", () => {
  assert.throws(() => withLang("zh-CN", lang), {
    name: "RangeError",
    message:
      'Cannot pick the course language as LIANDAN_LANG must be "en" or "zh" (or unset for English): current value is "zh-CN"',
  });
  assert.throws(() => withLang("fr", () => tr("step", "步数")), {
    name: "RangeError",
    message: /current value is "fr"/,
  });
});

Deno.test("tr: picks the edition's string", () => {
  assert.equal(withLang("zh", () => tr("Loss while training 训练中的损失", "训练中的损失")), "训练中的损失");
  assert.equal(
    withLang("en", () => tr("Loss while training 训练中的损失", "训练中的损失")),
    "Loss while training 训练中的损失",
  );
  assert.equal(withLang(undefined, () => tr("step", "步数")), "step");
});

Deno.test("tr: both texts must be non-empty strings", () => {
  assert.throws(() => tr("step", ""), {
    name: "TypeError",
    message: 'Cannot pick a translated string as its zh text must be a non-empty string: current value is "" ' +
      '(the other text is "step")',
  });
  assert.throws(() => tr(undefined as unknown as string, "步数"), {
    name: "TypeError",
    message: /its en text must be a non-empty string: current value is undefined/,
  });
});
