/**
 * The language of the learner-facing strings: `LIANDAN_LANG=zh` for the Chinese edition, English otherwise.
 *
 * Read in this one place, so that every module that talks to the learner (exercise checks, their hints) agrees.
 *
 * @module
 */

/** The languages the course is written in. */
export type Lang = "en" | "zh";

/**
 * The edition's language, from the `LIANDAN_LANG` environment variable (`zh`, `zh-CN`, … mean Chinese).
 *
 * @returns `"zh"` or `"en"` (the default, also when the variable cannot be read).
 * @example
 * ```ts
 * import { lang } from "@lib/notebook/lang.ts";
 * import assert from "node:assert/strict";
 * assert.ok(lang() === "en" || lang() === "zh");
 * ```
 */
export function lang(): Lang {
  let value = "";
  try {
    value = (Deno.env.get("LIANDAN_LANG") ?? "").trim().toLowerCase();
  } catch {
    // No --allow-env: English.
  }
  return value === "zh" || value.startsWith("zh-") || value.startsWith("zh_") ? "zh" : "en";
}
