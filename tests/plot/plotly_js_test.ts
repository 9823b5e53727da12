import assert from "node:assert/strict";
import { DISPLAY } from "@lib/notebook/display.ts";
import { linePlot, plotlyInlined, plotlyLibrary, plotlyScript, plotlyScriptTag, resetPlotly } from "@lib/plot/mod.ts";

const LIB_MARK = "window.Plotly = Plotly";

function html(value: { [DISPLAY](): Record<string, unknown> }): string {
  return String(value[DISPLAY]()["text/html"]);
}

Deno.test("plotly.js is read from the pinned npm package", () => {
  const source = plotlyLibrary();
  assert.match(source.slice(0, 100), /plotly\.js v4\.1\.2/);
  assert.ok(source.length > 3_000_000, `plotly.min.js is ${source.length} characters`);
  assert.equal(plotlyLibrary(), source, "read once, then cached");
});

Deno.test("plotly.js is inlined in the first figure of a session only, until resetPlotly", () => {
  resetPlotly();
  assert.equal(plotlyInlined(), false);
  const first = html(linePlot([1, 2]));
  const second = html(linePlot([3, 4]));
  assert.equal(plotlyInlined(), true);
  assert.ok(first.includes(LIB_MARK));
  assert.ok(first.length > 3_000_000);
  assert.ok(!second.includes(LIB_MARK));
  assert.ok(second.length < 5_000, `a later figure is small: ${second.length} characters`);
  resetPlotly();
  assert.ok(html(linePlot([5])).includes(LIB_MARK));
  resetPlotly();
});

Deno.test("plotlyScript carries the library and stops figures from inlining it again", () => {
  resetPlotly();
  const bundle = plotlyScript()[DISPLAY]();
  assert.ok(String(bundle["text/html"]).includes(LIB_MARK));
  assert.equal(bundle["text/plain"], "plotly.js loaded for the charts of this notebook");
  assert.ok(!html(linePlot([1])).includes(LIB_MARK));
  resetPlotly();
});

Deno.test("the inlined script cannot end early and defines window.Plotly under AMD/CommonJS loaders", () => {
  const tag = plotlyScriptTag();
  assert.equal(tag.match(/<\/script/gi)?.length, 1, "only the closing tag");
  assert.ok(!tag.includes("<!--"));
  assert.ok(tag.startsWith('<script type="text/javascript">'));
  assert.ok(tag.includes("(function () { var module, exports, define;\n"));
  assert.ok(tag.endsWith("\n}).call(window);</script>"));
});
