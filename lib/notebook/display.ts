/**
 * Rich display in the Deno Jupyter kernel, with a plain-text fallback everywhere else.
 *
 * An object is displayable when it has a `[Symbol.for("Jupyter.display")]()` method returning a MIME bundle
 * (`{"text/plain": …, "text/html": …}`); the kernel calls it for a cell's last expression, and {@link show}
 * calls it for anything else. Nothing here touches `Deno.jupyter` at import time: outside the kernel (in
 * `deno test`, in scripts) reading `Deno.jupyter` throws, so {@link inJupyter} guards every access.
 *
 * Kernel facts (Deno 2.9, measured with a raw Jupyter client): `console.log` output reaches the notebook at
 * once, but a `Deno.jupyter.display` call is sent only when the event loop turns (an `await`). A synchronous
 * loop therefore cannot update a display in place until it ends; {@link show} returns the promise to await.
 * And a settled display promise does not mean the message has left: after a burst of displays the kernel can
 * report the cell idle before the last one is published, and nbclient (`jupyter nbconvert --execute`, the test
 * runner) then drops it. {@link flushOutputs} waits long enough; `Progress.done()` and `LiveChart.done()` call it.
 *
 * @module
 */

/** The symbol Deno's kernel looks for: `obj[DISPLAY]()` returns the object's MIME bundle. */
export const DISPLAY: unique symbol = Symbol.for("Jupyter.display") as never;

/** A MIME bundle: MIME type to content, e.g. `{"text/plain": "3 points", "text/html": "<b>3</b> points"}`. */
export type MimeBundle = { "text/plain"?: string } & Record<string, unknown>;

/** Anything with a Jupyter display method. The method must be synchronous: the kernel does not await it. */
export interface Displayable {
  /** Returns the MIME bundle the notebook shows for this object. */
  [DISPLAY](): MimeBundle;
}

/** Where to show a value and whether to replace an earlier output. */
export interface ShowOptions {
  /** Display id: later calls with the same id and `update: true` replace this output in place. */
  id?: string;
  /** Replace the output shown earlier with the same `id` instead of adding a new one. */
  update?: boolean;
  /**
   * In the kernel, wait {@link FLUSH_MS} after sending so the output is published before the cell ends
   * (default true; frequent in-place updates pass false).
   */
  flush?: boolean;
}

/** The function that sends a bundle to the notebook: `Deno.jupyter.display` in raw mode, or a test double. */
export type KernelDisplay = (bundle: MimeBundle, options: { display_id?: string; update?: boolean }) => Promise<void>;

let fakeKernel: KernelDisplay | null = null;
let idCounter = 0;

/**
 * Pretends to run inside the kernel, sending every display to `kernel` (tests use it); `null` ends that.
 *
 * @param kernel The function that receives each bundle and its display options, or `null`.
 * @example
 * ```ts
 * import { inJupyter, setKernelDisplay, show } from "@lib/notebook/display.ts";
 * import assert from "node:assert/strict";
 * const sent: unknown[] = [];
 * setKernelDisplay(async (bundle) => void sent.push(bundle));
 * assert.equal(inJupyter(), true);
 * await show("hello");
 * setKernelDisplay(null);
 * assert.deepEqual(sent, [{ "text/plain": "hello" }]);
 * ```
 */
export function setKernelDisplay(kernel: KernelDisplay | null): void {
  fakeKernel = kernel;
}

let kernelCache: typeof Deno.jupyter | null | undefined;

/** Returns the real kernel's `Deno.jupyter`, or null outside the kernel (where reading it throws); looked up once. */
function realKernel(): typeof Deno.jupyter | null {
  if (kernelCache !== undefined) return kernelCache;
  try {
    const jupyter = Deno.jupyter;
    kernelCache = typeof jupyter?.display === "function" && typeof jupyter?.broadcast === "function" ? jupyter : null;
  } catch {
    kernelCache = null; // "Deno.jupyter is only available in `deno jupyter` subcommand"
  }
  return kernelCache;
}

/**
 * Tells whether code runs inside the Deno Jupyter kernel (or under {@link setKernelDisplay}).
 *
 * @returns True in the kernel; false in `deno test`, `deno run` and the REPL.
 * @example
 * ```ts
 * import { inJupyter } from "@lib/notebook/display.ts";
 * import assert from "node:assert/strict";
 * assert.equal(inJupyter(), false); // deno test is not the kernel
 * ```
 */
export function inJupyter(): boolean {
  return fakeKernel !== null || realKernel() !== null;
}

/**
 * Makes a fresh display id, unique in this process, for outputs that are later updated in place.
 *
 * @param prefix What the id starts with.
 * @returns An id such as `liandan-3-k2x9q`.
 */
export function newDisplayId(prefix = "liandan"): string {
  idCounter += 1;
  return `${prefix}-${idCounter}-${Math.random().toString(36).slice(2, 7)}`;
}

/**
 * Turns a value into a MIME bundle: its display method's bundle, a string as text, anything else inspected.
 *
 * @param value The value to show.
 * @returns A bundle with at least a `text/plain` entry.
 * @throws {TypeError} When a display method returns something that is not an object.
 * @example
 * ```ts
 * import { DISPLAY, toBundle } from "@lib/notebook/display.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(toBundle({ [DISPLAY]: () => ({ "text/html": "<i>x</i>" }) }), {
 *   "text/html": "<i>x</i>",
 *   "text/plain": "[object with no text/plain representation]",
 * });
 * assert.deepEqual(toBundle([1, 2]), { "text/plain": "[ 1, 2 ]" });
 * ```
 */
export function toBundle(value: unknown): MimeBundle {
  if (isDisplayable(value)) {
    const bundle = value[DISPLAY]();
    if (typeof bundle !== "object" || bundle === null) {
      throw new TypeError(`Cannot show a value as its display method must return a MIME bundle object: got ${bundle}`);
    }
    return { "text/plain": "[object with no text/plain representation]", ...bundle };
  }
  if (typeof value === "string") return { "text/plain": value };
  return { "text/plain": Deno.inspect(value, { colors: false, depth: 4 }) };
}

/** True when `value` has a `[DISPLAY]` method. */
export function isDisplayable(value: unknown): value is Displayable {
  return (typeof value === "object" || typeof value === "function") && value !== null &&
    typeof (value as Partial<Displayable>)[DISPLAY] === "function";
}

/**
 * Shows a value: in the kernel as a rich output (updatable in place with `id` + `update`), elsewhere by printing
 * its `text/plain` form with `console.log`. Await it at the end of a cell so the output is flushed before the
 * cell finishes.
 *
 * @param value A {@link Displayable}, a string, or any value (shown with `Deno.inspect`).
 * @param options `id` to name the output, `update: true` to replace the output shown earlier with that id,
 *   `flush: false` to skip the short wait that lets the kernel publish the output before the cell ends.
 * @returns A promise that settles once the kernel has sent the output.
 * @throws {TypeError} When `update` is set without an `id`.
 * @example
 * ```ts
 * import { show } from "@lib/notebook/display.ts";
 * await show("printed as text outside the kernel");
 * ```
 */
export async function show(value: unknown, options: ShowOptions = {}): Promise<void> {
  if (options.update && !options.id) {
    throw new TypeError("Cannot update a display as no id was given: pass {id, update: true} with the id shown first");
  }
  const bundle = toBundle(value);
  const target: KernelDisplay | undefined = fakeKernel ??
    (realKernel()?.display as KernelDisplay | undefined);
  if (!target) {
    console.log(bundle["text/plain"]);
    return;
  }
  const opts: { display_id?: string; update?: boolean; raw?: boolean } = { raw: true };
  if (options.id) opts.display_id = options.id;
  if (options.update) opts.update = true;
  await target(bundle, opts);
  if (options.flush ?? true) await flushOutputs(flushDelay(bundle));
}

/**
 * How long {@link show} waits after sending a bundle: {@link FLUSH_MS}, or {@link LARGE_FLUSH_MS} when its string
 * entries hold more than {@link LARGE_OUTPUT_CHARS} characters.
 *
 * @param bundle The bundle sent.
 * @returns Milliseconds.
 * @example
 * ```ts
 * import { FLUSH_MS, flushDelay, LARGE_FLUSH_MS } from "@lib/notebook/display.ts";
 * import assert from "node:assert/strict";
 * assert.equal(flushDelay({ "text/plain": "hi" }), FLUSH_MS);
 * assert.equal(flushDelay({ "text/plain": "x", "text/html": "y".repeat(200_000) }), LARGE_FLUSH_MS);
 * ```
 */
export function flushDelay(bundle: MimeBundle): number {
  let chars = 0;
  for (const v of Object.values(bundle)) chars += typeof v === "string" ? v.length : 0;
  return chars > LARGE_OUTPUT_CHARS ? LARGE_FLUSH_MS : FLUSH_MS;
}

/**
 * Outputs larger than this many characters (the first chart of a session carries plotly.js, about 4.8 MB) wait
 * {@link LARGE_FLUSH_MS} after sending: under load the kernel can interleave a large message with the cell's idle
 * message, and Jupyter then drops both as "Invalid Signature" (the chart never appears, the cell stays busy).
 */
export const LARGE_OUTPUT_CHARS = 100_000;

/** Milliseconds {@link show} waits after a large output (see {@link LARGE_OUTPUT_CHARS}). */
export const LARGE_FLUSH_MS = 500;

/** Milliseconds {@link flushOutputs} waits by default (5 ms sufficed in 20 of 20 runs; 0 ms lost 1 in 20). */
export const FLUSH_MS = 30;

/**
 * Gives the kernel time to publish displays already sent, so that a cell's last outputs are not reported after
 * the cell finished (nbclient drops those). Does nothing outside the kernel.
 *
 * @param ms How long to wait in the kernel.
 * @returns A promise that settles after the wait.
 * @example
 * ```ts
 * import { flushOutputs } from "@lib/notebook/display.ts";
 * await flushOutputs(); // immediate outside the kernel
 * ```
 */
export async function flushOutputs(ms: number = FLUSH_MS): Promise<void> {
  if (fakeKernel !== null || realKernel() === null) return;
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Escapes text for HTML content and attribute values.
 *
 * @param text Any text.
 * @returns The text with `& < > " '` escaped.
 * @example
 * ```ts
 * import { escapeHtml } from "@lib/notebook/display.ts";
 * import assert from "node:assert/strict";
 * assert.equal(escapeHtml(`<b title="x">`), "&lt;b title=&quot;x&quot;&gt;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/**
 * Formats a number for a human reader: 4 significant digits, exponent notation only for very large or small values.
 *
 * @param x The number.
 * @returns Text such as `1.235`, `0.01`, `1.5e-5`, `12350`, `NaN`.
 * @example
 * ```ts
 * import { formatNumber } from "@lib/notebook/display.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([1.23456, 0.01, 1e-5, 12345, 3, -0.5].map(formatNumber), ["1.235", "0.01", "1e-5", "12345", "3", "-0.5"]);
 * ```
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  if (a >= 1e6 || (a > 0 && a < 1e-3)) return x.toExponential(3).replace(/\.?0+e/, "e").replace("e+", "e");
  return String(Number(x.toPrecision(4)));
}
