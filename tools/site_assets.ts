/**
 * The site's own stylesheet and script (tools/site.ts writes them to `assets/`), and the files it copies from npm
 * packages: plotly.js (the one script the charts need, read by lib/plot's `plotlyLibrary`), KaTeX's stylesheet and
 * fonts, highlight.js's GitHub theme.
 *
 * @module
 */
import { join } from "node:path";
import { REPO_ROOT } from "./kernelspec.ts";

/** Where the npm packages are installed (`deno install`, deno.json's `nodeModulesDir`). */
const NODE_MODULES = join(REPO_ROOT, "node_modules");

/** Files copied into `assets/`: destination (relative to assets/) → source. */
export function copiedAssets(): Record<string, string> {
  return {
    "highlight.css": join(NODE_MODULES, "highlight.js", "styles", "github.min.css"),
    "katex/katex.min.css": join(NODE_MODULES, "katex", "dist", "katex.min.css"),
  };
}

/** KaTeX's fonts folder; the site copies its `.woff2` files (every browser that runs plotly reads woff2). */
export const KATEX_FONTS: string = join(NODE_MODULES, "katex", "dist", "fonts");

/** Draws every chart of the page from the JSON beside it; says so when plotly.js did not load. */
export const SITE_JS = `// Liandan site: draws the plotly charts of the page from the JSON next to each one.
(function () {
  function drawAll() {
    var charts = document.querySelectorAll(".chart[data-figure]");
    for (var i = 0; i < charts.length; i++) {
      var el = charts[i];
      var source = document.getElementById(el.getAttribute("data-figure"));
      if (!source) continue;
      if (!window.Plotly) {
        el.textContent = "plotly.js did not load (assets/plotly.min.js is missing)";
        el.className += " chart-failed";
        continue;
      }
      var fig = JSON.parse(source.textContent);
      window.Plotly.newPlot(el, fig.data, fig.layout, { responsive: true, displaylogo: false });
    }
    document.body.setAttribute("data-charts-drawn", String(charts.length));
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", drawAll);
  else drawAll();
})();
`;

/** The stylesheet. Chinese falls back to Simplified Chinese faces (the pages declare zh-CN where the text is). */
export const SITE_CSS = `:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg-code: #f6f8fa; --accent: #b4231d; --exercise: #fff8e1;
  --ok: #e9f7ef;
  font-family: "Source Sans 3", "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans CJK SC", "Noto Sans SC",
    "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif;
  color: var(--fg); line-height: 1.6;
}
body { margin: 0; }
a { color: #0b5cad; }
header.top { display: flex; gap: 1em; align-items: baseline; padding: 0.6em 1.2em; border-bottom: 1px solid var(--line);
  background: #fffdf8; position: sticky; top: 0; z-index: 10; }
header.top .home { font-weight: 700; font-size: 1.15em; color: var(--accent); text-decoration: none; }
header.top .edition { color: var(--muted); font-size: 0.9em; }
header.top .lang-switch { margin-left: auto; font-weight: 600; }
.layout { display: flex; align-items: flex-start; max-width: 1400px; margin: 0 auto; }
nav.course-map { flex: 0 0 15em; padding: 1em; font-size: 0.9em; position: sticky; top: 3em; max-height: calc(100vh - 4em);
  overflow-y: auto; }
nav.course-map h2 { font-size: 1em; margin: 0 0 0.4em; }
nav.course-map h3 { font-size: 0.8em; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted);
  margin: 0.9em 0 0.2em; }
nav.course-map ol { list-style: none; padding: 0; margin: 0; }
nav.course-map li { padding: 0.1em 0; }
nav.course-map li.current a { font-weight: 700; color: var(--accent); }
nav.course-map .num, table.course .num { font-variant-numeric: tabular-nums; color: var(--muted); }
.unwritten { color: #8c959f; }
main { flex: 1 1 auto; min-width: 0; padding: 1em 2em 4em; max-width: 60em; }
main h1 { line-height: 1.25; }
table { border-collapse: collapse; margin: 0.6em 0; }
th, td { border: 1px solid var(--line); padding: 0.25em 0.6em; vertical-align: top; }
th { background: var(--bg-code); }
td.time { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; font-size: 0.92em; }
p code, li code, td code { background: var(--bg-code); padding: 0.1em 0.3em; border-radius: 4px; }
.cell { margin: 1em 0; }
.input { display: flex; gap: 0.5em; }
.prompt { flex: 0 0 3.2em; text-align: right; color: #3f51b5; font-family: ui-monospace, Menlo, monospace;
  font-size: 0.85em; padding-top: 0.75em; }
pre { margin: 0; overflow-x: auto; }
pre.code { flex: 1 1 auto; min-width: 0; background: var(--bg-code); border: 1px solid var(--line); border-radius: 6px;
  padding: 0.6em 0.8em; font-size: 0.88em; line-height: 1.45; }
pre.code code.hljs { padding: 0; background: transparent; overflow: visible; }
.outputs { margin: 0.4em 0 0 3.7em; overflow-x: auto; }
.outputs pre { font-family: ui-monospace, Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; font-size: 0.88em;
  white-space: pre-wrap; padding: 0.2em 0; }
.outputs pre.stderr { color: #9a6700; }
.outputs pre.output-error { color: #cf222e; background: #ffebe9; padding: 0.5em; }
.outputs .output-html { margin: 0.3em 0; }
.chart { width: 100%; margin: 0.4em 0; }
.chart-failed { color: #cf222e; height: auto !important; }
.exercise-prompt { background: var(--exercise); border-left: 4px solid #f0a500; padding: 0.5em 0.8em; }
.cell.exercise { border-left: 4px solid #f0a500; padding-left: 0.5em; }
.exercise-label { font-size: 0.9em; color: #7a5200; margin: 0 0 0.3em 3.7em; }
.check-note { background: var(--exercise); border-left: 4px solid #f0a500; padding: 6px 10px; font-size: 0.92em; }
details.solution { margin: 0.4em 0 0 3.7em; }
details.solution summary { cursor: pointer; color: #1a7f37; font-weight: 600; }
details.solution pre.code { background: var(--ok); }
.run-info { color: var(--muted); font-size: 0.9em; border: 1px solid var(--line); border-radius: 6px; padding: 0.4em 0.8em;
  background: #fafbfc; }
.warning { background: #fff1e5; border-left: 4px solid #bc4c00; padding: 0.5em 0.8em; }
nav.pager { display: flex; justify-content: space-between; gap: 1em; margin-top: 3em; padding-top: 1em;
  border-top: 1px solid var(--line); }
.dead-link { text-decoration: underline dotted; }
.math { overflow-x: auto; }
@media (max-width: 900px) { .layout { display: block; } nav.course-map { position: static; max-height: none; } }
`;
