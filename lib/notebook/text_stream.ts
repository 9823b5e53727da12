/**
 * Text that grows in place in the notebook, one token at a time: how a language model's answer appears
 * ("ChatGPT 输出内容总是一个字一个字蹦出来").
 *
 * @module
 */
import { isSmoke } from "../core/mode.ts";
import { DISPLAY, type Displayable, escapeHtml, inJupyter, type MimeBundle, newDisplayId, show } from "./display.ts";

/** Options of {@link TextStream}. */
export interface TextStreamOptions {
  /** A caption above the text, e.g. the prompt or the sampling settings. */
  title?: string;
  /**
   * Milliseconds to pause after each append in the kernel, so a reader sees the text being written. Default 0. Smoke
   * mode (`LIANDAN_SMOKE=1`, the suite's run of the student editions, which nobody watches) skips the pause.
   */
  delay?: number;
}

/**
 * An output that shows text as it is appended: updated in place in the kernel (one display id), printed once by
 * {@link TextStream.done} elsewhere.
 *
 * @example
 * ```ts
 * import { TextStream } from "@lib/notebook/text_stream.ts";
 * import assert from "node:assert/strict";
 * const stream = new TextStream({ title: "接龙" });
 * for (const ch of "吃亏在眼前") await stream.append(ch);
 * assert.equal(stream.text, "吃亏在眼前");
 * await stream.done();
 * ```
 */
export class TextStream implements Displayable {
  /** Display id shared by every update. */
  readonly id: string = newDisplayId("text-stream");
  /** The text so far. */
  text = "";
  readonly #title: string;
  readonly #delay: number;
  #shown = false;

  /**
   * @param options Caption and per-append delay.
   * @throws {RangeError} When `delay` is not a non-negative number.
   */
  constructor(options: TextStreamOptions = {}) {
    const delay = options.delay ?? 0;
    if (!(delay >= 0 && Number.isFinite(delay))) {
      throw new RangeError(
        `Cannot make a text stream as delay must be a non-negative number: current value is ${delay}`,
      );
    }
    this.#title = options.title ?? "";
    this.#delay = delay;
  }

  /** Appends text and, in the kernel, redraws the output in place. */
  async append(piece: string): Promise<void> {
    this.text += piece;
    if (!inJupyter()) return;
    await show(this, { id: this.id, update: this.#shown });
    this.#shown = true;
    if (this.#delay > 0 && !isSmoke()) await new Promise((resolve) => setTimeout(resolve, this.#delay));
  }

  /** Shows the final text (the only output outside the kernel). */
  async done(): Promise<void> {
    await show(this, inJupyter() ? { id: this.id, update: this.#shown } : {});
    this.#shown = true;
  }

  /** The text as a MIME bundle: plain, and HTML in a large serif font that suits Chinese verse. */
  [DISPLAY](): MimeBundle {
    const caption = this.#title ? `<div style="color:#666;font-size:0.9em">${escapeHtml(this.#title)}</div>` : "";
    return {
      "text/plain": this.#title ? `${this.#title}\n${this.text}` : this.text,
      "text/html": `${caption}<pre style="font-size:1.3em;line-height:1.5;font-family:'Noto Serif CJK SC',` +
        `'Noto Sans CJK SC',serif;margin:0.2em 0">${escapeHtml(this.text)}</pre>`,
    };
  }
}

/**
 * Several texts written side by side, each column growing in place (one display): four ways of sampling the same
 * prompt, compared as they are written.
 *
 * @example
 * ```ts
 * import { TextColumns } from "@lib/notebook/text_stream.ts";
 * import assert from "node:assert/strict";
 * const cols = new TextColumns(["greedy", "top-p 0.9"]);
 * await cols.append(0, "明月");
 * await cols.append(1, "清风");
 * assert.deepEqual(cols.texts, ["明月", "清风"]);
 * await cols.done();
 * ```
 */
export class TextColumns implements Displayable {
  /** Display id shared by every update. */
  readonly id: string = newDisplayId("text-columns");
  /** The text of each column so far. */
  readonly texts: string[];
  readonly #titles: string[];
  readonly #delay: number;
  #shown = false;

  /**
   * @param titles One caption per column.
   * @param options `delay`: milliseconds to pause after each append in the kernel (skipped in smoke mode).
   * @throws {RangeError} When there is no column, or `delay` is not a non-negative number.
   */
  constructor(titles: readonly string[], options: { delay?: number } = {}) {
    if (!Array.isArray(titles) || titles.length === 0) {
      throw new RangeError("Cannot make text columns without titles: give one title per column");
    }
    const delay = options.delay ?? 0;
    if (!(delay >= 0 && Number.isFinite(delay))) {
      throw new RangeError(
        `Cannot make text columns as delay must be a non-negative number: current value is ${delay}`,
      );
    }
    this.#titles = titles.map(String);
    this.texts = titles.map(() => "");
    this.#delay = delay;
  }

  /**
   * Appends text to one column and, in the kernel, redraws the columns in place.
   * @throws {RangeError} For a column that does not exist.
   */
  async append(column: number, piece: string): Promise<void> {
    if (!Number.isInteger(column) || column < 0 || column >= this.texts.length) {
      throw new RangeError(
        `Cannot append to column ${column}: columns are numbered 0 to ${this.texts.length - 1}`,
      );
    }
    this.texts[column] += piece;
    if (!inJupyter()) return;
    await show(this, { id: this.id, update: this.#shown, flush: false });
    this.#shown = true;
    if (this.#delay > 0 && !isSmoke()) await new Promise((resolve) => setTimeout(resolve, this.#delay));
  }

  /** Shows the final columns (the only output outside the kernel). */
  async done(): Promise<void> {
    await show(this, inJupyter() ? { id: this.id, update: this.#shown } : {});
    this.#shown = true;
  }

  /** The columns as a MIME bundle: an HTML table of captions over texts, and the texts one after another. */
  [DISPLAY](): MimeBundle {
    const head = this.#titles.map((t) =>
      `<th style="text-align:left;color:#666;font-weight:normal">${escapeHtml(t)}</th>`
    );
    const font = "font-size:1.2em;line-height:1.5;font-family:'Noto Serif CJK SC','Noto Sans CJK SC',serif;margin:0";
    const cells = this.texts.map((t) =>
      `<td style="vertical-align:top"><pre style="${font}">${escapeHtml(t)}</pre></td>`
    );
    return {
      "text/plain": this.#titles.map((t, i) => `${t}\n${this.texts[i]}`).join("\n\n"),
      "text/html": `<table><thead><tr>${head.join("")}</tr></thead><tbody><tr>${cells.join("")}</tr></tbody></table>`,
    };
  }
}
