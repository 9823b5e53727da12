/**
 * Test helper shared by the browser checks (tests/browser_test.ts, tests/site_browser_test.ts): where Chromium is and
 * how it is started here, and the check that Chinese text is drawn with a CJK font, each character its own glyph
 * (the fonts Chromium used, asked through the DevTools protocol, and a canvas image per character).
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";

/** Chromium's path (`LIANDAN_CHROMIUM`, else Debian's). */
export const CHROMIUM = Deno.env.get("LIANDAN_CHROMIUM") ?? "/usr/bin/chromium";

/** Chromium's flags: as root, without a GPU, and quiet on a closed network. */
export const CHROMIUM_ARGS: readonly string[] = Object.freeze([
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
]);

/** A Chinese (CJK unified ideograph) character. */
export const CJK = /[\u3400-\u9fff]/;

/** Simplified Chinese fonts (what a `lang="zh-CN"` page must get). */
export const SC_FONT = /CJK SC|Han Sans (SC|CN)|PingFang SC|YaHei/i;

/** Whether a command runs and exits 0. */
export async function works(command: string, args: string[]): Promise<boolean> {
  try {
    return (await new Deno.Command(command, { args, stdout: "null", stderr: "null" }).output()).success;
  } catch {
    return false;
  }
}

/** The fonts Chromium used for each node matching `selector` (at most 40) whose own text holds Chinese. */
async function chineseFonts(page: Page, selector: string): Promise<{ text: string; fonts: string[] }[]> {
  const texts: string[] = await page.evaluate(({ pattern, selector }) => {
    const cjk = new RegExp(pattern);
    document.querySelectorAll("[data-liandan-cjk]").forEach((n) => n.removeAttribute("data-liandan-cjk"));
    // Prose elements nest (a <strong> in a <p>): take those whose own text holds Chinese; chart text as a whole.
    const own = (n: Element) => [...n.childNodes].some((c) => c.nodeType === 3 && cjk.test(c.textContent ?? ""));
    const nodes = [...document.querySelectorAll(selector)].filter((n) =>
      n instanceof SVGElement ? cjk.test(n.textContent ?? "") : own(n)
    ).slice(0, 40);
    nodes.forEach((n, i) => n.setAttribute("data-liandan-cjk", String(i)));
    return nodes.map((n) => n.textContent ?? "");
  }, { pattern: CJK.source, selector });
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("DOM.enable");
  await cdp.send("CSS.enable");
  const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
  const { nodeIds } = await cdp.send("DOM.querySelectorAll", { nodeId: root.nodeId, selector: "[data-liandan-cjk]" });
  const result = [];
  for (const [i, nodeId] of nodeIds.entries()) {
    const { fonts } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
    result.push({ text: texts[i], fonts: fonts.map((f) => `${f.familyName} (${f.glyphCount} glyphs)`) });
  }
  await cdp.detach();
  return result;
}

/**
 * Draws each distinct Chinese character of `text` (at most 60) on a canvas in the first marked node's font, and the
 * private-use character U+E000 (which no font draws: the .notdef box), and says how many distinct images there are.
 */
async function distinctGlyphs(page: Page, text: string): Promise<{ chars: number; distinct: number }> {
  return await page.evaluate(({ text, pattern }) => {
    const el = document.querySelector("[data-liandan-cjk]")!;
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 48;
    const ctx = canvas.getContext("2d", { willReadFrequently: true })!;
    ctx.font = `32px ${getComputedStyle(el).fontFamily}`;
    const image = (ch: string) => {
      ctx.clearRect(0, 0, 48, 48);
      ctx.fillText(ch, 4, 36);
      return Array.from(ctx.getImageData(0, 0, 48, 48).data).join(",");
    };
    const chars = [...new Set([...text].filter((c) => new RegExp(pattern).test(c)))].slice(0, 60);
    return { chars: chars.length, distinct: new Set([...chars, "\ue000"].map(image)).size };
  }, { text, pattern: CJK.source });
}

/**
 * Asserts that every node of `selector` holding Chinese is drawn with a font matching `font`, each character its own
 * glyph.
 *
 * @returns The fonts of the first such node, for the log.
 */
export async function assertCjkFont(
  page: Page,
  selector: string,
  what: string,
  font = /CJK|Han Sans|Hei|Noto Sans SC/i,
): Promise<string[]> {
  const fonts = await chineseFonts(page, selector);
  assert.ok(fonts.length > 0, `expected Chinese text in ${what}`);
  for (const { text, fonts: used } of fonts) {
    assert.ok(used.some((f) => font.test(f)), `"${text}" is drawn with ${used}`);
  }
  const glyphs = await distinctGlyphs(page, fonts.map((f) => f.text).join(""));
  assert.equal(
    glyphs.distinct,
    glyphs.chars + 1,
    `each Chinese character in ${what} must have its own glyph, not tofu`,
  );
  return fonts[0].fonts;
}
