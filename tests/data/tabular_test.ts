import assert from "node:assert/strict";
import { TabularDataset } from "@lib/data/tabular.ts";
import { DISPLAY } from "@lib/notebook/display.ts";

const base = {
  name: "toy",
  X: [[1, 2], [3, 4], [5, 6]],
  y: [0, 1, 1],
  featureNames: ["a", "b"],
  targetName: "t",
  classNames: ["no", "yes"],
  dropped: 0,
  note: "made up",
};

Deno.test("TabularDataset summarises itself for Jupyter", () => {
  const ds = new TabularDataset(base);
  assert.deepEqual(ds.classCounts(), [1, 2]);
  const bundle = ds[DISPLAY]();
  assert.match(bundle["text/plain"], /toy: 3 rows × 2 features \(a, b\)\ntarget t: no 1, yes 2\nmade up/);
  assert.match(bundle["text/html"], /<th>a<\/th><th>b<\/th><th>t<\/th>/);
  assert.match(bundle["text/html"], /<td>1<\/td><td>2<\/td><td>no<\/td>/);
});

Deno.test("TabularDataset rejects mismatched lengths and NaN features", () => {
  assert.throws(() => new TabularDataset({ ...base, y: [0] }), {
    name: "RangeError",
    message: "Cannot build data set toy as X and y must have the same length: X has 3 rows, y has 1",
  });
  assert.throws(() => new TabularDataset({ ...base, X: [[1, 2], [NaN, 4], [5, 6]] }), {
    name: "RangeError",
    message: "Cannot build data set toy as row 1 must hold 2 finite numbers: current value is [NaN,4]",
  });
});
