/**
 * The edition's language: notebooks come in English and Chinese editions (tools/i18n.ts), and the strings their code
 * prints or plots (chart titles, axis labels, table headers, progress labels) follow the kernel's `LIANDAN_LANG`,
 * which the runner (`deno task nb --lang zh`) and `deno task lab --lang zh` set for the Chinese edition.
 *
 * ```ts ignore
 * linePlot(series, { title: tr("Loss while training 训练中的损失", "训练中的损失"), xTitle: tr("step", "步数") });
 * ```
 *
 * The English string keeps the article's Chinese terms beside it where the prose does; the Chinese one is plain
 * Chinese with the terms of docs/glossary.md.
 *
 * @module
 */

/** A language of the course's editions. */
export type Lang = "en" | "zh";

/** Every language an edition can be in, English (the source) first. */
export const LANGS: readonly Lang[] = Object.freeze(["en", "zh"] as const);

/** The environment variable that picks the language of the strings code prints. */
export const LANG_ENV = "LIANDAN_LANG";

/**
 * Whether a value names a course language.
 *
 * @param value Anything.
 * @returns True for "en" and "zh".
 * @example
 * ```ts
 * import { isLang } from "@lib/notebook/lang.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isLang("zh"), true);
 * assert.equal(isLang("cn"), false);
 * ```
 */
export function isLang(value: unknown): value is Lang {
  return value === "en" || value === "zh";
}

/**
 * The language of this kernel's edition: `LIANDAN_LANG` (`en` or `zh`), English when it is unset or empty.
 *
 * @returns "en" or "zh".
 * @throws {RangeError} When `LIANDAN_LANG` holds anything else.
 * @example
 * ```ts
 * import { lang } from "@lib/notebook/lang.ts";
 * import assert from "node:assert/strict";
 * const before = Deno.env.get("LIANDAN_LANG");
 * Deno.env.set("LIANDAN_LANG", "zh");
 * assert.equal(lang(), "zh");
 * Deno.env.delete("LIANDAN_LANG");
 * assert.equal(lang(), "en");
 * if (before !== undefined) Deno.env.set("LIANDAN_LANG", before);
 * ```
 */
export function lang(): "en" | "zh" {
  const value = globalThis.Deno?.env.get(LANG_ENV) ?? "";
  if (value === "") return "en";
  if (!isLang(value)) {
    throw new RangeError(
      `Cannot pick the course language as ${LANG_ENV} must be "en" or "zh" (or unset for English): ` +
        `current value is ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Picks the string of the edition's language ({@link lang}).
 *
 * @param en The English text (the article's Chinese terms may stand beside it, as in the prose).
 * @param zh The Chinese text.
 * @returns `zh` in the Chinese edition, `en` otherwise.
 * @throws {TypeError} When either text is not a non-empty string.
 * @throws {RangeError} When `LIANDAN_LANG` is neither "en" nor "zh".
 * @example
 * ```ts
 * import { tr } from "@lib/notebook/lang.ts";
 * import assert from "node:assert/strict";
 * const before = Deno.env.get("LIANDAN_LANG");
 * Deno.env.set("LIANDAN_LANG", "zh");
 * assert.equal(tr("step", "步数"), "步数");
 * Deno.env.set("LIANDAN_LANG", "en");
 * assert.equal(tr("step", "步数"), "step");
 * if (before === undefined) Deno.env.delete("LIANDAN_LANG");
 * else Deno.env.set("LIANDAN_LANG", before);
 * ```
 */
export function tr(en: string, zh: string): string {
  for (const [name, text] of [["en", en], ["zh", zh]] as const) {
    if (typeof text !== "string" || text === "") {
      throw new TypeError(
        `Cannot pick a translated string as its ${name} text must be a non-empty string: current value is ` +
          `${JSON.stringify(text)} (the other text is ${JSON.stringify(name === "en" ? zh : en)})`,
      );
    }
  }
  return lang() === "zh" ? zh : en;
}
