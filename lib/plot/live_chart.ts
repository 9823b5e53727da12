/**
 * A line chart that grows in place while a model trains.
 *
 * @module
 */
import {
  DISPLAY,
  type Displayable,
  flushOutputs,
  inJupyter,
  type MimeBundle,
  newDisplayId,
  show,
} from "../notebook/display.ts";
import { Figure, layoutFrom, type PlotOptions, type Trace } from "./figure.ts";
import { plotlyInlined, plotlyScript } from "./plotly_js.ts";

/** Options of {@link LiveChart}. */
export interface LiveChartOptions extends PlotOptions {
  /** Milliseconds between redraws in the kernel (default 100, about 10 per second). */
  every?: number;
  /** Draw a marker at each point too. */
  markers?: boolean;
  /** Clock in milliseconds (default `performance.now`); tests inject a fake one. */
  now?: () => number;
}

/**
 * A line chart updated in place (same display id, `update: true`) as points arrive, at most about 10 times a second,
 * and always once more, with every point, when {@link LiveChart.done} is awaited. Outside the kernel it stays quiet
 * until `done()`, which prints the text summary.
 *
 * Each series may have its own x values (a validation loss measured every 100 steps next to a training loss
 * measured every step). In a synchronous loop, `await chart.push(…)` lets the kernel send each due redraw at once;
 * without the `await` the redraws are sent when the loop ends.
 *
 * @example
 * ```ts
 * import { LiveChart } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const chart = new LiveChart({ title: "Loss", xTitle: "step", yLog: true });
 * for (let step = 0; step < 50; step++) {
 *   await chart.push(step, { train: 1 / (step + 1) });
 *   if (step % 10 === 0) await chart.push(step, { val: 1.2 / (step + 1) });
 * }
 * const last = chart.figure();
 * assert.equal((last.data.find((t) => t.name === "val")!.y as number[]).length, 5);
 * ```
 */
export class LiveChart implements Displayable {
  /** Display id shared by the chart's first output and all its updates. */
  readonly id: string = newDisplayId("live-chart");
  readonly #options: LiveChartOptions;
  readonly #series = new Map<string, { x: number[]; y: number[] }>();
  readonly #every: number;
  readonly #now: () => number;
  #lastDraw = -Infinity;
  #shown = false;
  #inFlight = 0;
  #pending: Promise<void> = Promise.resolve();
  #finished = false;

  /**
   * @param options Title, axis titles, log axes, size, `markers`, redraw interval `every`, clock `now`.
   * @throws {RangeError} When `every` is not a non-negative number.
   */
  constructor(options: LiveChartOptions = {}) {
    const every = options.every ?? 100;
    if (!(typeof every === "number" && every >= 0 && Number.isFinite(every))) {
      throw new RangeError(
        `Cannot make a live chart as every must be a non-negative number of ms: current value is ${every}`,
      );
    }
    this.#options = options;
    this.#every = every;
    this.#now = options.now ?? (() => performance.now());
  }

  /**
   * Adds a point to one or more series and redraws if the last redraw is older than `every` ms. Cheap otherwise.
   *
   * @param x The x value (e.g. the step).
   * @param values Series name to y value, e.g. `{train: 1.23}` or `{train: 1.2, val: 1.5}`.
   * @returns A promise settling when a redraw this push started has been sent (at once when there was none).
   * @throws {RangeError} When x or a value is not finite (a NaN loss means training diverged), or after `done()`.
   * @throws {TypeError} When values is not an object of numbers.
   */
  push(x: number, values: Record<string, number>): Promise<void> {
    if (this.#finished) throw new RangeError("Cannot push to a live chart after done(): make a new LiveChart");
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new RangeError(`Cannot push to a live chart as x must be a finite number: current value is ${x}`);
    }
    if (typeof values !== "object" || values === null || Array.isArray(values)) {
      throw new TypeError(`Cannot push to a live chart as values must be an object like {loss: 1.2}: got ${values}`);
    }
    for (const [name, y] of Object.entries(values)) {
      if (typeof y !== "number" || !Number.isFinite(y)) {
        throw new RangeError(
          `Cannot push to a live chart as series "${name}" must be a finite number at x=${x}: got ${y}`,
        );
      }
    }
    for (const [name, y] of Object.entries(values)) {
      const s = this.#series.get(name) ?? { x: [], y: [] };
      s.x.push(x);
      s.y.push(y);
      this.#series.set(name, s);
    }
    const t = this.#now();
    if (t - this.#lastDraw < this.#every || this.#inFlight > 0 || !inJupyter()) return Promise.resolve();
    this.#lastDraw = t;
    return this.#draw();
  }

  /** The chart as it stands: one line per series. */
  figure(): Figure {
    const mode = this.#options.markers ? "lines+markers" : "lines";
    const traces: Trace[] = [...this.#series].map(([name, s]) => ({ type: "scatter", mode, name, x: s.x, y: s.y }));
    return new Figure(traces, layoutFrom(this.#options));
  }

  /**
   * Draws the final state (every point pushed) and waits until it is sent; outside the kernel prints the summary.
   * Safe to call twice.
   *
   * @returns A promise settling when the final chart has been shown.
   */
  async done(): Promise<void> {
    if (!this.#finished) {
      this.#finished = true;
      if (inJupyter()) void this.#draw();
      else console.log(this.figure().summary());
    }
    await this.#pending;
    await flushOutputs();
  }

  /** MIME bundle of the chart as it stands. */
  [DISPLAY](): MimeBundle {
    return this.figure()[DISPLAY]();
  }

  /** Sends the chart: a new output the first time (after plotly.js if the session has none yet), then updates. */
  #draw(): Promise<void> {
    const update = this.#shown;
    const fig = this.figure();
    const first = !this.#shown && !plotlyInlined() ? plotlyScript() : null;
    this.#shown = true;
    this.#inFlight += 1;
    this.#pending = this.#pending
      .then(async () => {
        if (first) await show(first, { flush: false });
        await show(fig, { id: this.id, update, flush: false });
      })
      .finally(() => void (this.#inFlight -= 1));
    return this.#pending;
  }
}
