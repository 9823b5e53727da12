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
