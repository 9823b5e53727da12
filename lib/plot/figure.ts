/**
 * A chart: a plain plotly `{data, layout}` record that shows itself in a notebook.
 *
 * @module
 */
import {
  DISPLAY,
  type Displayable,
  escapeHtml,
  formatNumber,
  type MimeBundle,
  newDisplayId,
} from "../notebook/display.ts";
import { takePlotlyScript } from "./plotly_js.ts";
import { describe, extent } from "./_validate.ts";

/** One plotly trace, e.g. `{type: "scatter", mode: "lines", name: "train", x: [...], y: [...]}`. */
export type Trace = { type?: string; name?: string } & Record<string, unknown>;

/** A plotly layout, e.g. `{title: {text: "Loss"}, yaxis: {type: "log"}}`. */
export type Layout = Record<string, unknown>;

/** Fonts tried in order: CJK fonts first so that Chinese labels (发现, 秘密) render, then plotly's defaults. */
export const FONT_FAMILY =
  '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", ' +
  '"WenQuanYi Micro Hei", "Open Sans", Verdana, Arial, sans-serif';

/** Height in pixels of a chart whose layout gives none. */
export const DEFAULT_HEIGHT = 420;

/** Options shared by the chart helpers. */
export interface PlotOptions {
  /** Chart title. */
  title?: string;
  /** Title of the x axis. */
  xTitle?: string;
  /** Title of the y axis. */
  yTitle?: string;
  /** Logarithmic x axis. */
  xLog?: boolean;
  /** Logarithmic y axis (loss curves). */
  yLog?: boolean;
  /** Width in pixels (default: the notebook's width). */
  width?: number;
  /** Height in pixels (default 420). */
  height?: number;
  /** Show the legend (default: plotly's choice, shown when there are several named traces). */
  showLegend?: boolean;
}

/**
 * A chart: plotly traces and layout, with a Jupyter display method giving `application/vnd.plotly.v1+json`,
 * `text/html` (plotly.js inlined once per session, see `plotly_js.ts`) and a `text/plain` summary.
 */
export class Figure implements Displayable {
  /** The traces, as plain JSON-ready objects. */
  readonly data: Trace[];
  /** The layout, with the CJK font stack and default margins filled in. */
  readonly layout: Layout;
  /** Extra lines for the text summary, written by the helper that made the figure. */
  readonly note: string;

  /**
   * @param data Plotly traces; typed arrays inside are turned into plain arrays.
   * @param layout Plotly layout; merged over the defaults (font, margins, automargins on every 2-D axis, height).
   * @param note Extra lines for the text summary (e.g. an image grid's captions).
   * @throws {TypeError} When `data` is not an array of trace objects or `layout` is not an object.
   */
  constructor(data: readonly Trace[], layout: Layout = {}, note = "") {
    if (!Array.isArray(data)) {
      throw new TypeError(`Cannot make a figure as data must be an array of plotly traces: got ${describe(data)}`);
    }
    data.forEach((trace, i) => {
      if (typeof trace !== "object" || trace === null || Array.isArray(trace)) {
        throw new TypeError(`Cannot make a figure as data[${i}] must be a plotly trace object: got ${describe(trace)}`);
      }
    });
    if (typeof layout !== "object" || layout === null || Array.isArray(layout)) {
      throw new TypeError(`Cannot make a figure as layout must be an object: got ${describe(layout)}`);
    }
    this.data = data.map((t) => plain(t) as Trace);
    this.note = note;
    const font = (layout.font ?? {}) as Record<string, unknown>;
    const margin = (layout.margin ?? {}) as Record<string, unknown>;
    this.layout = withAutomargins({
      ...(plain(layout) as Layout),
      margin: { l: 60, r: 30, t: 50, b: 50, ...margin }, // a margin given in part keeps the other defaults
      font: { family: FONT_FAMILY, ...font },
    });
  }

  /**
   * Returns a new figure with more traces drawn on top (e.g. a descent path over a loss surface).
   *
   * @param traces Plotly traces to add.
   * @returns The new figure; this one is unchanged.
   */
  add(...traces: Trace[]): Figure {
    return new Figure([...this.data, ...traces], this.layout, this.note);
  }

  /** The plain `{data, layout}` record plotly draws. */
  toJSON(): { data: Trace[]; layout: Layout } {
    return { data: this.data, layout: this.layout };
  }

  /**
   * Describes the chart in text for a reader without JavaScript: title, axes, and per trace its name, point count
   * and value ranges.
   *
   * @returns Several lines of text.
   */
  summary(): string {
    const title = titleText(this.layout.title);
    const axes = ["xaxis", "yaxis"].map((key) => axisText(key[0], this.layout[key])).filter((s) => s !== "");
    const head = `Figure${title ? ` "${title}"` : ""}: ${this.data.length} trace${this.data.length === 1 ? "" : "s"}` +
      (axes.length ? ` (${axes.join(", ")})` : "");
    const lines = [head, ...this.data.map((t) => `- ${traceText(t)}`)];
    if (this.note) lines.push(this.note);
    return lines.join("\n");
  }

  /**
   * The chart as HTML: a `<div>` holding the text summary (what a viewer that runs no scripts shows, e.g. an
   * untrusted notebook or GitHub) and a script that replaces it with the chart once `window.Plotly` exists.
   * It looks for the library every 0.1 s; after 10 s it adds advice under the summary and keeps looking every
   * second for 10 minutes, so a chart draws itself once the output carrying plotly.js is rendered or re-run.
   *
   * @param library HTML to put first, normally the plotly.js `<script>` of the session's first figure.
   * @returns The HTML fragment; each call uses a fresh element id.
   */
  html(library = ""): string {
    const id = newDisplayId("liandan-plot");
    const height = typeof this.layout.height === "number" ? this.layout.height : DEFAULT_HEIGHT;
    const width = typeof this.layout.width === "number" ? `max-width:${this.layout.width}px;` : "";
    const json = JSON.stringify({ data: this.data, layout: this.layout }).replace(/</g, "\\u003c");
    const advice = JSON.stringify(
      "\n\n(plotly.js is not loaded in this page: the output that carried it was cleared or not rendered. " +
        "Run `await show(plotlyScript())` from @lib/plot/mod.ts, then this cell again.)",
    );
    return `${library}<div id="${id}" class="liandan-plot" style="width:100%;${width}height:${height}px">` +
      `<pre style="margin:0;white-space:pre-wrap;font-size:12px;color:#555">${
        escapeHtml(this.summary())
      }</pre></div>\n` +
      `<script type="text/javascript">(function () {\n` +
      `  var fig = ${json};\n  var tries = 0;\n` +
      `  function draw() {\n    var el = document.getElementById("${id}");\n` +
      `    if (el && window.Plotly) {\n      el.innerHTML = "";\n` +
      `      window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });\n` +
      `      return;\n    }\n` +
      `    tries += 1;\n` +
      `    if (tries === 100 && el && el.firstChild) {\n` +
      `      el.style.height = "auto";\n      el.firstChild.appendChild(document.createTextNode(${advice}));\n    }\n` +
      `    if (tries < 700) setTimeout(draw, tries < 100 ? 100 : 1000);\n` +
      `  }\n  draw();\n})();</script>`;
  }

  /** MIME bundle: plotly JSON for VS Code/JupyterLab, HTML for classic Notebook and exports, text summary. */
  [DISPLAY](): MimeBundle {
    return {
      "application/vnd.plotly.v1+json": this.toJSON(),
      "text/html": this.html(takePlotlyScript()),
      "text/plain": this.summary(),
    };
  }
}

/**
 * Makes a figure from plotly traces and a layout: the escape hatch for charts the helpers do not cover.
 *
 * @param data Plotly traces.
 * @param layout Plotly layout, merged over the defaults (CJK font stack, margins).
 * @returns The figure; the last expression of a cell shows it.
 * @throws {TypeError} When `data` is not an array of objects or `layout` not an object.
 * @example
 * ```ts
 * import { figure } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const fig = figure([{ type: "scatter", x: [1, 2, 3], y: [2, 4, 8], name: "doubling" }], { title: { text: "Growth" } });
 * assert.equal(fig.summary(), 'Figure "Growth": 1 trace\n- scatter "doubling": 3 points, x 1…3, y 2…8');
 * ```
 */
export function figure(data: readonly Trace[], layout: Layout = {}): Figure {
  return new Figure(data, layout);
}

/**
 * Builds the layout for the helpers' common options.
 *
 * @param options Title, axis titles, log axes, size, legend.
 * @param extra More layout entries, merged last (axis objects are merged key by key).
 * @returns A plotly layout.
 */
export function layoutFrom(options: PlotOptions, extra: Layout = {}): Layout {
  const layout: Layout = {};
  if (options.title !== undefined) layout.title = { text: options.title };
  const axis = (title: string | undefined, log: boolean | undefined) => ({
    ...(title !== undefined ? { title: { text: title } } : {}),
    ...(log ? { type: "log" } : {}),
  });
  layout.xaxis = { ...axis(options.xTitle, options.xLog), ...(extra.xaxis as Layout | undefined) };
  layout.yaxis = { ...axis(options.yTitle, options.yLog), ...(extra.yaxis as Layout | undefined) };
  if (options.width !== undefined) layout.width = options.width;
  if (options.height !== undefined) layout.height = options.height;
  if (options.showLegend !== undefined) layout.showlegend = options.showLegend;
  for (const [k, v] of Object.entries(extra)) if (k !== "xaxis" && k !== "yaxis") layout[k] = v;
  return layout;
}

/**
 * Every 2-D axis (`xaxis`, `yaxis`, `xaxis2`, …; the main pair unless the chart is 3-D) gets `automargin: true` unless the layout says
 * otherwise, so plotly widens the margins to fit long tick labels and axis titles instead of clipping them.
 */
function withAutomargins(layout: Layout): Layout {
  const out: Layout = { ...layout };
  const main = layout.scene === undefined ? ["xaxis", "yaxis"] : []; // a 3-D chart has a scene, not these
  const keys = new Set([...main, ...Object.keys(layout).filter((k) => /^[xy]axis\d*$/.test(k))]);
  for (const key of keys) {
    const axis = out[key];
    if (axis !== undefined && (typeof axis !== "object" || axis === null)) continue;
    out[key] = { automargin: true, ...(axis as Layout | undefined) };
  }
  return out;
}

/** Deep copy with typed arrays turned into plain arrays, so that JSON.stringify writes lists. */
function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>);
  }
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function titleText(title: unknown): string {
  if (typeof title === "string") return title;
  if (typeof title === "object" && title !== null && typeof (title as { text?: unknown }).text === "string") {
    return (title as { text: string }).text;
  }
  return "";
}

function axisText(letter: string, axis: unknown): string {
  if (typeof axis !== "object" || axis === null) return "";
  const a = axis as { title?: unknown; type?: unknown };
  const title = titleText(a.title);
  const log = a.type === "log" ? "log " : "";
  return title || log ? `${log}${letter}: ${title || "(untitled)"}` : "";
}

/** One line per trace: kind, name, point count, and what its x, y, z hold. */
function traceText(trace: Trace): string {
  const type = trace.type ?? "scatter";
  const kind = type === "scatter" && typeof trace.mode === "string" && trace.mode.startsWith("lines") ? "line" : type;
  const parts: string[] = [];
  const main = [trace.y, trace.x, trace.z].find(Array.isArray) as unknown[] | undefined;
  if (main && !Array.isArray(main[0]) && type !== "heatmap" && type !== "surface") {
    parts.push(`${main.length} point${main.length === 1 ? "" : "s"}`);
  }
  if (type === "bar" && Array.isArray(trace.hovertext)) return `bar${nameText(trace)}: ${barText(trace)}`;
  for (const key of type === "heatmap" ? ["z"] : ["x", "y", "z"]) {
    const text = valuesText(key, trace[key]);
    if (text) parts.push(text);
  }
  return `${kind}${nameText(trace)}${parts.length ? `: ${parts.join(", ")}` : ""}`;
}

function nameText(trace: Trace): string {
  return typeof trace.name === "string" && trace.name ? ` "${trace.name}"` : "";
}

/** A bar chart's label-value pairs: `山 0.4, 水 0.3, …`. */
function barText(trace: Trace): string {
  const labels = trace.hovertext as unknown[];
  const values = (trace.orientation === "h" ? trace.x : trace.y) as number[];
  const pairs = labels.map((l, i) => `${l} ${formatNumber(values[i])}`);
  return pairs.length > 20 ? `${pairs.slice(0, 20).join(", ")}, … (${pairs.length} bars)` : pairs.join(", ");
}

/** `x 0…99`, `z 4×4 in 0.01…0.9`, or `x: 发现, 隐藏, 背后, 秘密`. */
function valuesText(key: string, values: unknown): string {
  if (!Array.isArray(values) || values.length === 0) return "";
  if (Array.isArray(values[0])) {
    const rows = values as unknown[][];
    const nums = rows.flat().filter((v): v is number => typeof v === "number" && Number.isFinite(v));
    const [lo, hi] = extent(nums);
    const range = nums.length ? ` in ${formatNumber(lo)}…${formatNumber(hi)}` : "";
    return `${key} ${rows.length}×${rows[0].length}${range}`;
  }
  if (values.every((v) => typeof v === "number")) {
    const finite = (values as number[]).filter(Number.isFinite);
    if (finite.length === 0) return `${key} no finite values`;
    const [lo, hi] = extent(finite);
    return lo === hi ? `${key} ${formatNumber(lo)}` : `${key} ${formatNumber(lo)}…${formatNumber(hi)}`;
  }
  const labels = values.map(String);
  const shown = labels.slice(0, 8).join(", ");
  return `${key}: ${shown}${labels.length > 8 ? `, … (${labels.length})` : ""}`;
}
