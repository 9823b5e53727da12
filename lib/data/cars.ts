/**
 * Cars (from the npm package vega-datasets): fuel use of 1970–1982 cars, the regression data of notebook 01.
 *
 * @module
 */
import { readPackageJson } from "./_package_file.ts";
import { TabularDataset } from "./tabular.ts";

interface CarRecord {
  Name: string;
  Miles_per_Gallon: number | null;
  Cylinders: number;
  Displacement: number;
  Horsepower: number | null;
  Weight_in_lbs: number;
  Acceleration: number;
  Year: string;
  Origin: string;
}

/** The numeric feature columns, in order (`Year` as a number such as 1970). */
export const CAR_FEATURES = Object.freeze(
  [
    "Cylinders",
    "Displacement",
    "Horsepower",
    "Weight_in_lbs",
    "Acceleration",
    "Year",
  ] as const,
);

/** Cars table plus the columns that are not features. */
export class CarsDataset extends TabularDataset {
  /** Model name of each kept row. */
  readonly names: string[];
  /** Origin of each kept row: USA, Europe or Japan. */
  readonly origins: string[];

  constructor(records: CarRecord[]) {
    const complete = records.filter((r) => r.Miles_per_Gallon !== null && r.Horsepower !== null);
    super({
      name: "cars",
      X: complete.map((r) => CAR_FEATURES.map((f) => f === "Year" ? Number(r.Year.slice(0, 4)) : r[f] as number)),
      y: complete.map((r) => r.Miles_per_Gallon as number),
      featureNames: [...CAR_FEATURES],
      targetName: "Miles_per_Gallon",
      classNames: [],
      dropped: records.length - complete.length,
      note: `vega-datasets cars.json: ${records.length - complete.length} of ${records.length} rows dropped ` +
        `(missing Miles_per_Gallon or Horsepower)`,
    });
    this.names = complete.map((r) => r.Name);
    this.origins = complete.map((r) => r.Origin);
  }

  /**
   * One feature column, e.g. `cars.column("Weight_in_lbs")` for a one-variable regression.
   * @throws {RangeError} When the name is not a feature.
   */
  column(name: string): number[] {
    const j = this.featureNames.indexOf(name);
    if (j < 0) {
      throw new RangeError(
        `Cannot read column as ${name} is not a feature: expected one of ${this.featureNames.join(", ")}`,
      );
    }
    return this.X.map((row) => row[j]);
  }
}

/**
 * Loads the cars table: 392 rows (14 rows with missing miles per gallon or horsepower are dropped),
 * features cylinders, displacement, horsepower, weight, acceleration, year; target miles per gallon.
 *
 * @example
 * ```ts
 * import { loadCars } from "@lib/data/cars.ts";
 * import assert from "node:assert/strict";
 * const cars = await loadCars();
 * assert.equal(cars.size, 392);
 * assert.equal(cars.column("Weight_in_lbs").length, 392);
 * ```
 */
export async function loadCars(): Promise<CarsDataset> {
  return new CarsDataset(await readPackageJson<CarRecord[]>("vega-datasets", "../data/cars.json"));
}
