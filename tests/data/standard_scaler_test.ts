import assert from "node:assert/strict";
import { StandardScaler } from "@lib/data/standard_scaler.ts";

const X = [[1, 10, 5], [2, 20, 5], [3, 60, 5], [6, 30, 5]];

Deno.test("StandardScaler gives columns mean 0 and population std 1; constant columns become 0", () => {
  const Z = new StandardScaler().fitTransform(X);
  for (let j = 0; j < 2; j++) {
    const col = Z.map((r) => r[j]);
    const mean = col.reduce((s, v) => s + v, 0) / col.length;
    const variance = col.reduce((s, v) => s + (v - mean) ** 2, 0) / col.length;
    assert.ok(Math.abs(mean) < 1e-12, `mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 1e-12, `variance ${variance}`);
  }
  assert.deepEqual(Z.map((r) => r[2]), [0, 0, 0, 0]);
});

Deno.test("StandardScaler matches a hand computation and inverts", () => {
  const s = new StandardScaler().fit([[0], [2]]);
  assert.deepEqual([s.mean, s.scale], [[1], [1]]);
  assert.deepEqual(s.transform([[3]]), [[2]]);
  const back = s.inverseTransform(new StandardScaler().fit(X).transform(X));
  assert.ok(back.length === 4);
  const scaler = new StandardScaler().fit(X);
  scaler.inverseTransform(scaler.transform(X)).forEach((row, i) =>
    row.forEach((v, j) => assert.ok(Math.abs(v - X[i][j]) < 1e-9))
  );
});

Deno.test("StandardScaler rejects empty, NaN, unfitted and wrong-width input", () => {
  assert.throws(() => new StandardScaler().fit([]), {
    name: "RangeError",
    message: "Cannot fit StandardScaler as X must have at least one row and column: it is empty",
  });
  assert.throws(() => new StandardScaler().fit([[1, 2], [NaN, 3]]), {
    name: "RangeError",
    message: "Cannot fit StandardScaler as row 1 must hold 2 finite numbers: current value is [NaN,3]",
  });
  assert.throws(() => new StandardScaler().transform([[1]]), {
    message: "Cannot transform with StandardScaler as it is not fitted: call fit first",
  });
  assert.throws(() => new StandardScaler().fit(X).transform([[1, 2]]), {
    name: "RangeError",
    message: "Cannot transform row 0 as it must have 3 columns: current width is 2",
  });
});
