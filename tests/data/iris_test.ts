import assert from "node:assert/strict";
import { loadIris } from "@lib/data/iris.ts";

Deno.test("loadIris gives 150 rows, 4 features, 50 per species", async () => {
  const iris = await loadIris();
  assert.equal(iris.size, 150);
  assert.deepEqual(iris.classCounts(), [50, 50, 50]);
  assert.deepEqual(iris.X[0], [5.1, 3.5, 1.4, 0.2]);
  assert.deepEqual(iris.classNames, ["setosa", "versicolor", "virginica"]);
});
