import assert from "node:assert/strict";
import { LinearRegression } from "@lib/ml/linear_regression.ts";
import { loadCars } from "@lib/data/cars.ts";
import { StandardScaler } from "@lib/data/standard_scaler.ts";

Deno.test("closed form recovers noise-free weights exactly", () => {
  const X = [[1, 0], [0, 1], [2, 3], [5, -1], [3, 3]];
  const y = X.map(([a, b]) => 3 * a - 2 * b + 5);
  const lr = new LinearRegression().fit(X, y);
  lr.weights.forEach((w, j) => assert.ok(Math.abs(w - [3, -2][j]) < 1e-9, `w${j} = ${w}`));
  assert.ok(Math.abs(lr.bias - 5) < 1e-9);
  assert.ok(Math.abs(lr.score(X, y) - 1) < 1e-12);
});

Deno.test("gradient descent matches the closed form to 1e-3 on standardised cars (weight, horsepower → mpg)", async () => {
  const cars = await loadCars();
  const X = new StandardScaler().fitTransform(cars.X.map((r) => [r[3], r[2]]));
  const exact = new LinearRegression().fit(X, cars.y);
  const gd = new LinearRegression({ method: "gradient-descent", learningRate: 0.3, epochs: 2000 }).fit(X, cars.y);
  [...gd.weights, gd.bias].forEach((v, j) => {
    const ref = [...exact.weights, exact.bias][j];
    assert.ok(Math.abs(v - ref) < 1e-3, `parameter ${j}: ${v} vs ${ref}`);
  });
  assert.ok(gd.lossHistory.every((l, i) => i === 0 || l <= gd.lossHistory[i - 1] + 1e-12), "loss never rises");
});

Deno.test("gradient descent that diverges says so and suggests the fix", () => {
  assert.throws(
    () =>
      new LinearRegression({ method: "gradient-descent", learningRate: 10, epochs: 500 }).fit([[100], [200]], [1, 2]),
    {
      name: "RangeError",
      message:
        /^Cannot fit LinearRegression as gradient descent diverged at epoch \d+: lower learningRate \(current value is 10\) or standardise X$/,
    },
  );
});

Deno.test("closed form on collinear features names the problem", () => {
  assert.throws(() => new LinearRegression().fit([[1, 2], [2, 4], [3, 6]], [1, 2, 3]), {
    name: "RangeError",
    message: "Cannot solve the linear system as the matrix is singular: column 1 has no pivot",
  });
});

Deno.test("LinearRegression rejects bad options and bad data", () => {
  assert.throws(() => new LinearRegression({ method: "svd" as "closed-form" }), {
    message:
      'Cannot create LinearRegression as method must be "closed-form" or "gradient-descent": current value is svd',
  });
  assert.throws(() => new LinearRegression().fit([[1], [2]], [1]), {
    message: "Cannot fit LinearRegression as X and y must have the same length: X has 2 rows, y has 1",
  });
  assert.throws(() => new LinearRegression().fit([[1], [2]], [1, NaN]), {
    message: "Cannot fit LinearRegression as y[1] must be a finite number: current value is NaN",
  });
  assert.throws(() => new LinearRegression().predict([[1]]), {
    message: "Cannot predict with LinearRegression as it is not fitted: call fit first",
  });
});
