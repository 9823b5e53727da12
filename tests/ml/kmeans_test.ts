import assert from "node:assert/strict";
import { clusterPurity, KMeans } from "@lib/ml/kmeans.ts";
import { loadPenguins } from "@lib/data/penguins.ts";
import { StandardScaler } from "@lib/data/standard_scaler.ts";

const penguins = await loadPenguins();
const Z = new StandardScaler().fitTransform(penguins.X);

Deno.test("k-means on standardised penguins: inertia never rises, purity ≥ 0.85", () => {
  const km = new KMeans({ k: 3, seed: 1337 }).fit(Z);
  assert.ok(km.inertiaHistory.every((v, i) => i === 0 || v <= km.inertiaHistory[i - 1] + 1e-9));
  assert.equal(km.centroidHistory.length, km.inertiaHistory.length + 1);
  assert.ok(clusterPurity(penguins.y, km.labels) >= 0.85, `purity ${clusterPurity(penguins.y, km.labels)}`);
  const recomputed = Z.reduce(
    (s, row, i) => s + row.reduce((t, v, j) => t + (v - km.centroids[km.labels[i]][j]) ** 2, 0),
    0,
  );
  assert.ok(Math.abs(recomputed - km.inertia) < 1e-9);
  assert.deepEqual(km.predict(Z), km.labels);
});

Deno.test("k-means is reproducible by seed", () => {
  assert.deepEqual(new KMeans({ k: 4, seed: 2 }).fit(Z).centroids, new KMeans({ k: 4, seed: 2 }).fit(Z).centroids);
});

Deno.test("KMeans rejects k larger than the data, NaN and empty input", () => {
  assert.throws(() => new KMeans({ k: 3 }).fit([[1], [2]]), {
    name: "RangeError",
    message: "Cannot fit KMeans as k must be at most the number of rows (2): current value is 3",
  });
  assert.throws(() => new KMeans().fit([[1], [NaN], [2]]), {
    message: "Cannot fit KMeans as X[1][0] must be a finite number: current value is NaN",
  });
  assert.throws(() => new KMeans().fit([]), { message: "Cannot fit KMeans as X is empty: need at least one row" });
  assert.throws(() => clusterPurity([0], [0, 1]), {
    message: "Cannot compute purity as yTrue and clusters must have the same non-zero length: 1 vs 2",
  });
});
