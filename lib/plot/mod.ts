/**
 * lib/plot: charts for the notebooks. Every chart is a {@link Figure}, a plain plotly `{data, layout}` record that
 * shows itself in Jupyter as `application/vnd.plotly.v1+json` (VS Code, JupyterLab), `text/html` with plotly.js
 * inlined once per kernel session (classic Notebook, HTML export; no CDN) and a `text/plain` summary.
 *
 * @example
 * ```ts
 * import { DISPLAY } from "@lib/notebook/display.ts";
 * import { linePlot, resetPlotly } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const bundle = linePlot([3, 1, 2], { title: "y" })[DISPLAY]();
 * assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
 * resetPlotly();
 * ```
 *
 * @module
 */
export * from "./figure.ts";
export * from "./plotly_js.ts";
export * from "./line_plot.ts";
export * from "./scatter_plot.ts";
export * from "./bar_plot.ts";
export * from "./histogram.ts";
export * from "./heatmap.ts";
export * from "./surface3d.ts";
export * from "./image_grid.ts";
export * from "./live_chart.ts";
export * from "./subplots.ts";
export type { MatrixLike, VectorLike } from "./_validate.ts";
export * from "./decision_boundary.ts";
