/**
 * Palmer penguins (from the npm package vega-datasets): three species told apart by four body measurements.
 *
 * @module
 */
import { readPackageJson } from "./_package_file.ts";
import { TabularDataset } from "./tabular.ts";

interface PenguinRecord {
  Species: string;
  Island: string;
  "Beak Length (mm)": number | null;
  "Beak Depth (mm)": number | null;
  "Flipper Length (mm)": number | null;
  "Body Mass (g)": number | null;
  Sex: string | null;
}

/** The four numeric columns used as features, in order. */
export const PENGUIN_FEATURES = Object.freeze(
  [
    "Beak Length (mm)",
    "Beak Depth (mm)",
    "Flipper Length (mm)",
    "Body Mass (g)",
  ] as const,
);

/** The three species, in label order. */
export const PENGUIN_SPECIES = Object.freeze(["Adelie", "Chinstrap", "Gentoo"]);

/** Penguins table plus the columns that are not features. */
export class PenguinsDataset extends TabularDataset {
  /** Island of each kept row (Biscoe, Dream, Torgersen). */
  readonly islands: string[];
  /** Sex of each kept row: `"MALE"`, `"FEMALE"` or `"unknown"` (missing or `"."` in the source). */
  readonly sexes: string[];

  constructor(records: PenguinRecord[]) {
    const complete = records.filter((r) => PENGUIN_FEATURES.every((f) => r[f] !== null));
    super({
      name: "penguins",
      X: complete.map((r) => PENGUIN_FEATURES.map((f) => r[f] as number)),
      y: complete.map((r) => PENGUIN_SPECIES.indexOf(r.Species)),
      featureNames: [...PENGUIN_FEATURES],
      targetName: "Species",
      classNames: [...PENGUIN_SPECIES],
      dropped: records.length - complete.length,
      note: `vega-datasets penguins.json: ${records.length - complete.length} of ${records.length} rows dropped ` +
        `(all four measurements missing); Sex is not a feature (missing in ${
          records.filter((r) => r.Sex !== "MALE" && r.Sex !== "FEMALE").length
        } rows, kept as "unknown" in .sexes)`,
    });
    this.islands = complete.map((r) => r.Island);
    this.sexes = complete.map((r) => r.Sex === "MALE" || r.Sex === "FEMALE" ? r.Sex : "unknown");
  }
}

/**
 * Loads the Palmer penguins: 342 rows (the 2 rows without measurements are dropped, never turned into NaN),
 * features beak length, beak depth, flipper length, body mass; target the species (Adelie 0, Chinstrap 1, Gentoo 2).
 *
 * @returns The table; islands and sexes ride along as `.islands` and `.sexes`.
 *
 * @example
 * ```ts
 * import { loadPenguins } from "@lib/data/penguins.ts";
 * import assert from "node:assert/strict";
 * const penguins = await loadPenguins();
 * assert.equal(penguins.size, 342);
 * assert.deepEqual(penguins.classNames, ["Adelie", "Chinstrap", "Gentoo"]);
 * ```
 */
export async function loadPenguins(): Promise<PenguinsDataset> {
  return new PenguinsDataset(await readPackageJson<PenguinRecord[]>("vega-datasets", "../data/penguins.json"));
}
