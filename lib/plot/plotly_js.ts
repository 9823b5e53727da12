/**
 * plotly.js for the notebook's HTML outputs, read from the `plotly.js-dist-min` npm package (no CDN) and inlined
 * once per kernel session.
 *
 * How charts reach each frontend:
 * - VS Code and JupyterLab with the plotly extension render the `application/vnd.plotly.v1+json` entry.
 * - Classic Notebook, JupyterLab without the extension and nbconvert's HTML export render `text/html`. The first
 *   figure shown in a kernel session carries the whole library (about 4.8 MB) in a `<script>` that defines
 *   `window.Plotly`; later figures only call `Plotly.newPlot`. Until they do, each chart's place shows its text
 *   summary (which is all a viewer that runs no scripts, like GitHub or an untrusted notebook, ever shows). A
 *   chart looks for `window.Plotly` every 0.1 s; after 10 s (the output that carried the library was cleared, or
 *   the notebook was saved after re-running only later cells) it adds advice under its summary: run
 *   `await show(plotlyScript())` (or call {@link resetPlotly}) and re-run the chart's cell. It keeps looking
 *   every second for 10 minutes, so it draws itself as soon as the library arrives. Restarting the kernel starts
 *   a new session, so a notebook run top to bottom always carries the library in its first chart. Known gap:
 *   re-running only the cell of that first chart replaces its output with one that does not carry the library
 *   (the live page still has it); save the notebook then, and the reopened file lacks it. Restart and run all,
 *   or put `await show(plotlyScript())` in the first cell of a notebook, to make the file self-contained.
 *
 * @module
 */
import { DISPLAY, type Displayable, type MimeBundle } from "../notebook/display.ts";

let library: string | null = null;
let inlined = false;

/** Finds plotly.min.js: through the import map (deno.json), else in the repository's node_modules. */
function libraryUrl(): URL {
  const candidates: string[] = [];
  try {
    candidates.push(import.meta.resolve("plotly.js-dist-min"));
  } catch { /* not in the import map */ }
  candidates.push(new URL("../../node_modules/plotly.js-dist-min/plotly.min.js", import.meta.url).href);
  for (const href of candidates) {
    if (!href.startsWith("file:")) continue;
    try {
      if (Deno.statSync(new URL(href)).isFile) return new URL(href);
    } catch { /* try the next place */ }
  }
  throw new Error(
    `Cannot find plotly.js: looked for plotly.js-dist-min in ${candidates.join(" and ")}. ` +
      "Run `deno install` in the repository root (deno.json pins plotly.js-dist-min) and restart the kernel.",
  );
}

/**
 * Returns the plotly.js source, read once from the npm package.
 *
 * @returns The minified library.
 * @throws {Error} When the package is not installed.
 * @example
 * ```ts
 * import { plotlyLibrary } from "@lib/plot/plotly_js.ts";
 * import assert from "node:assert/strict";
 * assert.match(plotlyLibrary().slice(0, 200), /plotly\.js v\d/);
 * ```
 */
export function plotlyLibrary(): string {
  library ??= Deno.readTextFileSync(libraryUrl());
  return library;
}

/**
 * The library as an HTML `<script>` element that defines `window.Plotly` (also under AMD/CommonJS loaders).
 *
 * @returns `<script>…</script>` with the whole library inlined.
 */
export function plotlyScriptTag(): string {
  const source = plotlyLibrary().replaceAll("</script", "<\\/script").replaceAll("<!--", "<\\!--");
  return `<script type="text/javascript">/* plotly.js from npm plotly.js-dist-min, inlined once per kernel session */\n` +
    `(function () { var module, exports, define;\n${source}\n}).call(window);</script>`;
}

/**
 * Takes the library for the next HTML output: the script tag the first time in a session, then "".
 *
 * @returns The `<script>` tag, or "" once the library has been inlined.
 */
export function takePlotlyScript(): string {
  if (inlined) return "";
  const tag = plotlyScriptTag();
  inlined = true;
  return tag;
}

/**
 * Tells whether this session has already inlined plotly.js in an output.
 *
 * @returns True once a figure (or {@link plotlyScript}) has carried the library.
 */
export function plotlyInlined(): boolean {
  return inlined;
}

/**
 * Makes the next figure inline plotly.js again (tests use it; so does a learner whose first chart was cleared).
 *
 * @example
 * ```ts
 * import { plotlyInlined, resetPlotly, takePlotlyScript } from "@lib/plot/plotly_js.ts";
 * import assert from "node:assert/strict";
 * resetPlotly();
 * assert.ok(takePlotlyScript().length > 1_000_000);
 * assert.equal(takePlotlyScript(), "");
 * assert.equal(plotlyInlined(), true);
 * resetPlotly();
 * ```
 */
export function resetPlotly(): void {
  inlined = false;
}

/**
 * An output that carries plotly.js, for the top of a notebook or to repair charts whose library output was
 * cleared: `await show(plotlyScript())`. Later figures in the session do not inline it again.
 *
 * @returns A displayable whose HTML loads the library and says so in small print.
 * @example
 * ```ts
 * import { DISPLAY } from "@lib/notebook/display.ts";
 * import { plotlyScript, resetPlotly } from "@lib/plot/plotly_js.ts";
 * import assert from "node:assert/strict";
 * const bundle = plotlyScript()[DISPLAY]();
 * assert.match(String(bundle["text/html"]), /window\.Plotly = Plotly/);
 * assert.equal(bundle["text/plain"], "plotly.js loaded for the charts of this notebook");
 * resetPlotly();
 * ```
 */
export function plotlyScript(): Displayable {
  const tag = plotlyScriptTag();
  inlined = true;
  const bundle: MimeBundle = {
    "text/plain": "plotly.js loaded for the charts of this notebook",
    "text/html": `${tag}<div style="font-size:11px;color:#888">plotly.js loaded for the charts of this notebook</div>`,
  };
  return { [DISPLAY]: () => bundle };
}
