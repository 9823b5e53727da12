import assert from "node:assert/strict";
import { loadCars } from "@lib/data/cars.ts";

Deno.test("loadCars drops the 14 rows missing mpg or horsepower", async () => {
  const cars = await loadCars();
  assert.equal(cars.size, 392);
  assert.equal(cars.dropped, 14);
  assert.equal(cars.isClassification, false);
  assert.match(String(cars), /target Miles_per_Gallon \(regression\), range 9\.\.46\.6/);
  assert.deepEqual(cars.X[0], [8, 307, 130, 3504, 12, 1970]);
  assert.equal(cars.y[0], 18);
  assert.equal(cars.names[0], "chevrolet chevelle malibu");
  assert.ok(cars.X.every((row) => row.every(Number.isFinite)));
});

Deno.test("CarsDataset.column reads one feature and names the valid ones on error", async () => {
  const cars = await loadCars();
  assert.equal(cars.column("Weight_in_lbs")[0], 3504);
  assert.throws(() => cars.column("Colour"), {
    name: "RangeError",
    message:
      "Cannot read column as Colour is not a feature: expected one of Cylinders, Displacement, Horsepower, Weight_in_lbs, Acceleration, Year",
  });
});
