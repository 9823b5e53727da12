/**
 * Progress bars for training loops: an HTML bar updated in place in the notebook, throttled text lines elsewhere.
 *
 * ```ts ignore
 * const bar = progress(byMode(2000, 100), { label: "train" });
 * for await (const step of bar) {
 *   const loss = trainStep(step);
 *   bar.set({ loss });
 * }
 * await bar.done();
 * ```
 *
 * Use `for await` in the notebook: the kernel sends a display only when the event loop turns, so a plain
 * synchronous `for…of` cannot move the HTML bar until the loop ends. A synchronous loop in the kernel still gets
 * feedback: when an update is found unsent, the bar prints throttled text lines instead and shows its final state
 * when the loop ends.
 *
 * @module
 */
import {
  DISPLAY,
  type Displayable,
  escapeHtml,
  flushOutputs,
  formatNumber,
  inJupyter,
  type MimeBundle,
  newDisplayId,
  show,
} from "./display.ts";

/** Options of {@link progress}. */
export interface ProgressOptions {
  /** Shown before the counts, e.g. "train". */
  label?: string;
  /** Number of steps, for an iterable without a length (arrays and counts know theirs). */
  total?: number;
  /** Milliseconds between in-place updates of the HTML bar in the kernel (default 100, about 10 per second). */
  every?: number;
  /** Milliseconds between text lines outside the kernel or in a synchronous loop (default 2000). */
  textEvery?: number;
  /** Clock in milliseconds (default `performance.now`); tests inject a fake one. */
  now?: () => number;
  /** Where text lines go (default `console.log`). */
  print?: (line: string) => void;
}

/** Where a bar stands: still running, finished every step, or left early (break, exception, or `done()`). */
export type ProgressStatus = "running" | "done" | "stopped";

/** Metric values shown next to the bar: numbers are formatted to 4 significant digits. */
export type Metrics = Record<string, number | string>;

const DEFAULT_EVERY_MS = 100;
const DEFAULT_TEXT_EVERY_MS = 2000;

/**
 * A progress bar over a count or an iterable; iterate it with `for…of` or `for await…of`, or (for a loop that
 * does not iterate it) count steps with {@link Progress.advance}. Made by {@link progress}.
 */
export class Progress<T> implements Iterable<T>, AsyncIterable<T>, Displayable {
  /** Display id of the HTML bar in the kernel. */
  readonly id: string = newDisplayId("progress");
  /** Label shown before the counts. */
  readonly label: string;
  /** Number of steps, when known. */
  readonly total: number | undefined;
  /** Steps completed so far. */
  step = 0;
  /** Running, done, or stopped early. */
  status: ProgressStatus = "running";
  /** Latest metrics given to {@link Progress.set}. */
  metrics: Metrics = {};

  #source: Iterable<T> | AsyncIterable<T>;
  #every: number;
  #textEvery: number;
  #now: () => number;
  #print: (line: string) => void;
  #start = NaN;
  #end = NaN;
  #lastCheck = -Infinity;
  #lastText = NaN;
  #shown = false;
  #inFlight = 0;
  #error: unknown = undefined;
  #pending: Promise<void> = Promise.resolve();
  #iterated = false;

  /**
   * @param source What to iterate.
   * @param total Number of steps when known.
   * @param options Label, update intervals, clock and printer.
   */
  constructor(source: Iterable<T> | AsyncIterable<T>, total: number | undefined, options: ProgressOptions) {
    this.#source = source;
    this.total = total;
    this.label = options.label ?? "";
    this.#every = options.every ?? DEFAULT_EVERY_MS;
    this.#textEvery = options.textEvery ?? DEFAULT_TEXT_EVERY_MS;
    this.#now = options.now ?? (() => performance.now());
    this.#print = options.print ?? ((line) => console.log(line));
  }

  /**
   * Records the latest metrics (merged with earlier ones); they appear at the next update. Cheap: no display work.
   *
   * @param metrics Name to value, e.g. `{loss: 1.23, acc: 0.9}`.
   * @returns This bar.
   * @throws {TypeError} When `metrics` is not an object of numbers or strings.
   */
  set(metrics: Metrics): this {
    if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) {
      throw new TypeError(`Cannot set progress metrics as they must be an object like {loss: 1.2}: got ${metrics}`);
    }
    for (const [k, v] of Object.entries(metrics)) {
      if (typeof v !== "number" && typeof v !== "string") {
        throw new TypeError(`Cannot set progress metric "${k}" as it must be a number or a string: got ${typeof v}`);
      }
    }
    this.metrics = { ...this.metrics, ...metrics };
    return this;
  }

  /**
   * Counts `n` more steps done (for loops that do not iterate the bar) and updates the display when one is due.
   *
   * @param n Steps completed since the last call.
   * @throws {RangeError} When `n` is not a non-negative integer.
   */
  advance(n = 1): void {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`Cannot advance a progress bar as n must be a non-negative integer: current value is ${n}`);
    }
    if (this.status !== "running") return;
    if (Number.isNaN(this.#start)) this.#begin();
    this.step += n;
    this.#maybeUpdate();
  }

  /**
   * Finishes the bar (if the loop has not) and waits until its final state is shown. Call it after the loop.
   * A bar finished before `total` steps shows as stopped.
   *
   * @returns A promise that settles when the final display has been sent.
   * @throws The error the kernel gave when a display failed.
   */
  async done(): Promise<void> {
    if (this.status === "running") {
      if (Number.isNaN(this.#start)) this.#begin();
      this.#finish(this.total === undefined || this.step >= this.total ? "done" : "stopped");
    }
    await this.#pending;
    await flushOutputs();
    if (this.#error !== undefined) throw this.#error;
  }

  /** Seconds since the first step began (frozen once finished). */
  get elapsed(): number {
    if (Number.isNaN(this.#start)) return 0;
    return ((Number.isNaN(this.#end) ? this.#now() : this.#end) - this.#start) / 1000;
  }

  /** Steps per second so far, or NaN before any time has passed. */
  get rate(): number {
    const s = this.elapsed;
    return s > 0 ? this.step / s : NaN;
  }

  /** Seconds left at the current rate, or NaN when unknown. */
  get eta(): number {
    return this.total === undefined || !(this.rate > 0) ? NaN : Math.max(0, this.total - this.step) / this.rate;
  }

  /** The bar as one line of text, e.g. `train: 37/100 (37%) 12.3 it/s, elapsed 3.0s, ETA 5.1s; loss 1.234`. */
  text(): string {
    const head = this.label ? `${this.label}: ` : "";
    const state = this.status === "done" ? "done " : this.status === "stopped" ? "stopped at " : "";
    const parts = [this.#counts()];
    if (Number.isFinite(this.rate)) parts.push(`${formatNumber(Number(this.rate.toPrecision(3)))} it/s`);
    parts.push(`elapsed ${formatDuration(this.elapsed)}`);
    if (this.status === "running" && Number.isFinite(this.eta)) parts.push(`ETA ${formatDuration(this.eta)}`);
    const metrics = this.#metricsText();
    return `${head}${state}${parts.join(", ")}${metrics ? `; ${metrics}` : ""}`;
  }

  /** The bar as HTML: a coloured bar, counts, rate, times and the latest metrics. */
  html(): string {
    const fraction = this.total ? Math.min(1, this.step / this.total) : this.status === "done" ? 1 : 0;
    const color = this.status === "done" ? "#16a34a" : this.status === "stopped" ? "#ea580c" : "#2563eb";
    const label = this.label ? `<b>${escapeHtml(this.label)}</b> ` : "";
    const metrics = Object.entries(this.metrics).map(([k, v]) =>
      `${escapeHtml(k)} <b>${escapeHtml(typeof v === "number" ? formatNumber(v) : v)}</b>`
    ).join(" · ");
    const rest = this.text().slice(this.label ? this.label.length + 2 : 0).split(";")[0];
    return `<div class="liandan-progress" style="font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px">` +
      `${label}<span style="display:inline-block;vertical-align:middle;width:260px;height:12px;` +
      `background:#e5e7eb;border-radius:3px;overflow:hidden"><span style="display:block;height:100%;` +
      `width:${(fraction * 100).toFixed(1)}%;background:${color}"></span></span> ${escapeHtml(rest)}` +
      (metrics ? `<div>${metrics}</div>` : "") + `</div>`;
  }

  /** MIME bundle of the current state: `text/html` bar and `text/plain` line. */
  [DISPLAY](): MimeBundle {
    return { "text/plain": this.text(), "text/html": this.html() };
  }

  /** Iterates the source synchronously, updating the bar between steps. */
  *[Symbol.iterator](): Iterator<T> {
    const source = this.#takeSource();
    if (!(Symbol.iterator in source)) {
      throw new TypeError("Cannot iterate this progress bar with for…of as its source is async: use for await…of");
    }
    this.#begin();
    let finished = false;
    try {
      for (const item of source) {
        yield item;
        this.step += 1;
        if (this.#now() - this.#lastCheck >= this.#every) this.#update();
      }
      finished = true;
    } finally {
      this.#finish(finished ? "done" : "stopped");
    }
  }

  /** Iterates the source asynchronously, awaiting each due update so the notebook shows it at once. */
  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    const source = this.#takeSource();
    this.#begin();
    await this.#pending;
    let finished = false;
    try {
      for await (const item of source) {
        yield item;
        this.step += 1;
        if (this.#now() - this.#lastCheck >= this.#every) {
          this.#update();
          await this.#pending;
        }
      }
      finished = true;
    } finally {
      this.#finish(finished ? "done" : "stopped");
    }
  }

  #takeSource(): Iterable<T> | AsyncIterable<T> {
    if (this.#iterated) throw new Error("Cannot iterate a progress bar twice: make a new one with progress(...)");
    this.#iterated = true;
    return this.#source;
  }

  #begin(): void {
    this.#start = this.#now();
    this.#lastCheck = this.#start;
    this.#lastText = this.#start;
    if (inJupyter()) this.#emit();
  }

  #maybeUpdate(): void {
    if (this.#now() - this.#lastCheck >= this.#every) this.#update();
  }

  /** A due update: in place in the kernel, else (or when the kernel has not sent the last one) a text line. */
  #update(): void {
    const t = this.#now();
    this.#lastCheck = t;
    if (inJupyter() && this.#inFlight === 0) {
      this.#emit();
    } else if (t - this.#lastText >= this.#textEvery) {
      this.#lastText = t;
      this.#print(this.text());
    }
  }

  #finish(status: ProgressStatus): void {
    if (this.status !== "running") return;
    this.status = status;
    this.#end = this.#now();
    if (inJupyter()) this.#emit();
    else this.#print(this.text());
  }

  /** Sends the current state to the kernel (a new output the first time, then in-place updates). */
  #emit(): void {
    const update = this.#shown;
    this.#shown = true;
    const bundle = this[DISPLAY]();
    this.#inFlight += 1;
    this.#pending = this.#pending
      .then(() => show({ [DISPLAY]: () => bundle }, { id: this.id, update, flush: false }))
      .catch((error) => void (this.#error ??= error))
      .finally(() => void (this.#inFlight -= 1));
  }

  #counts(): string {
    if (this.total === undefined) return `${this.step} it`;
    const pct = this.total > 0 ? Math.floor((100 * this.step) / this.total) : 100;
    return `${this.step}/${this.total} (${pct}%)`;
  }

  #metricsText(): string {
    return Object.entries(this.metrics).map(([k, v]) => `${k} ${typeof v === "number" ? formatNumber(v) : v}`)
      .join(", ");
  }
}

/**
 * Formats seconds as `0.4s`, `12.3s`, `2m05s` or `1h02m`.
 *
 * @param seconds A duration.
 * @returns Short text for a progress line.
 * @example
 * ```ts
 * import { formatDuration } from "@lib/notebook/progress.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([0.42, 12.34, 125, 3720].map(formatDuration), ["0.4s", "12.3s", "2m05s", "1h02m"]);
 * ```
 */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const s = Math.round(seconds);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/**
 * Makes a progress bar over `0 … total-1` or over the items of an iterable.
 *
 * In the kernel it shows an HTML bar updated in place about 10 times a second (with step/total, percentage,
 * rate, elapsed time, ETA and the metrics given to `set`), and always shows the final state, including where a
 * loop that threw or broke out stopped. Elsewhere it prints a text line at most every 2 s, plus the final line.
 *
 * @param source A step count, or an iterable (array, generator, async iterable).
 * @param options Label, total for iterables without a length, update intervals, clock and printer.
 * @returns The bar; iterate it with `for…of` or (in notebooks, to see it move) `for await…of`.
 * @throws {RangeError} When the count or `total` is not a non-negative integer, or an interval is not positive.
 * @throws {TypeError} When `source` is neither a count nor an iterable.
 * @example
 * ```ts
 * import { progress } from "@lib/notebook/progress.ts";
 * import assert from "node:assert/strict";
 * const lines: string[] = [];
 * const bar = progress(3, { label: "train", print: (l) => lines.push(l), now: () => 0 });
 * let sum = 0;
 * for (const i of bar) { sum += i; bar.set({ loss: 1 / (i + 1) }); }
 * await bar.done();
 * assert.equal(sum, 3);
 * assert.deepEqual(lines, ["train: done 3/3 (100%), elapsed 0.0s; loss 0.3333"]);
 * ```
 */
export function progress(source: number, options?: ProgressOptions): Progress<number>;
export function progress<T>(source: Iterable<T> | AsyncIterable<T>, options?: ProgressOptions): Progress<T>;
export function progress<T>(
  source: number | Iterable<T> | AsyncIterable<T>,
  options: ProgressOptions = {},
): Progress<T> | Progress<number> {
  checkOptions(options);
  if (typeof source === "number") {
    checkCount("total", source);
    return new Progress(range(source), source, options);
  }
  const iterable = source as Partial<Iterable<T> & AsyncIterable<T>> | null;
  if (
    typeof iterable !== "object" || iterable === null ||
    (typeof iterable[Symbol.iterator] !== "function" && typeof iterable[Symbol.asyncIterator] !== "function")
  ) {
    throw new TypeError(`Cannot make a progress bar as source must be a step count or an iterable: got ${source}`);
  }
  const length = (source as { length?: unknown }).length;
  const total = options.total ?? (typeof length === "number" ? length : undefined);
  return new Progress(source, total, options);
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

function checkCount(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(
      `Cannot make a progress bar as ${name} must be a non-negative integer: current value is ${value}`,
    );
  }
}

function checkOptions(options: ProgressOptions): void {
  if (options.total !== undefined) checkCount("total", options.total);
  for (const name of ["every", "textEvery"] as const) {
    const v = options[name];
    if (v !== undefined && !(typeof v === "number" && v >= 0 && Number.isFinite(v))) {
      throw new RangeError(
        `Cannot make a progress bar as ${name} must be a non-negative number of milliseconds: current value is ${v}`,
      );
    }
  }
}
