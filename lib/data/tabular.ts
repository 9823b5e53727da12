/**
 * The shape every table loader returns (penguins, iris, cars): rows of numbers, a target, and names.
 *
 * @module
 */
import { DISPLAY, escapeHtml } from "../notebook/display.ts";

/** What a table loader returns: `X[i]` is row i, `y[i]` its target (a class index or a number). */
export interface TabularData {
  /** Short name of the data set, e.g. `"penguins"`. */
  readonly name: string;
  /** Feature rows, `[n][d]`, all finite numbers. */
  readonly X: number[][];
  /** Targets, `[n]`: class indices 0..k-1 for classification, real values for regression. */
  readonly y: number[];
  /** Names of the d columns of `X`. */
  readonly featureNames: string[];
  /** Name of the target column. */
  readonly targetName: string;
  /** Class names (index = label) for classification; empty for regression. */
  readonly classNames: string[];
  /** Rows of the source left out, with the reason (e.g. missing values); 0 when none. */
  readonly dropped: number;
  /** One-line note on where the data comes from and how missing values were handled. */
  readonly note: string;
}

/**
 * A loaded table: {@link TabularData} plus a summary that Jupyter shows (counts, classes, first rows).
 *
 * @example
 * ```ts
 * import { TabularDataset } from "@lib/data/tabular.ts";
 * import assert from "node:assert/strict";
 * const ds = new TabularDataset({
 *   name: "toy", X: [[1, 2], [3, 4]], y: [0, 1], featureNames: ["a", "b"], targetName: "c",
 *   classNames: ["no", "yes"], dropped: 0, note: "made up",
 * });
 * assert.equal(ds.size, 2);
 * assert.match(ds.toString(), /toy: 2 rows × 2 features/);
 * ```
 */
export class TabularDataset implements TabularData {
  readonly name: string;
  readonly X: number[][];
  readonly y: number[];
  readonly featureNames: string[];
  readonly targetName: string;
  readonly classNames: string[];
  readonly dropped: number;
  readonly note: string;

  /**
   * @param data The table; rows must all have `featureNames.length` finite numbers.
   * @throws {RangeError} When X and y differ in length, a row has the wrong width or holds a non-finite value.
   */
  constructor(data: TabularData) {
    ({
      name: this.name,
      X: this.X,
      y: this.y,
      featureNames: this.featureNames,
      targetName: this.targetName,
      classNames: this.classNames,
      dropped: this.dropped,
      note: this.note,
    } = data);
    if (this.X.length !== this.y.length) {
      throw new RangeError(
        `Cannot build data set ${this.name} as X and y must have the same length: X has ${this.X.length} rows, y has ${this.y.length}`,
      );
    }
    this.X.forEach((row, i) => {
      if (row.length !== this.featureNames.length || !row.every(Number.isFinite)) {
        throw new RangeError(
          `Cannot build data set ${this.name} as row ${i} must hold ${this.featureNames.length} finite numbers: current value is [${row}]`,
        );
      }
    });
  }

  /** Number of rows. */
  get size(): number {
    return this.X.length;
  }

  /** True when the target is a class index. */
  get isClassification(): boolean {
    return this.classNames.length > 0;
  }

  /** Rows per class, in class order (empty for regression). */
  classCounts(): number[] {
    const counts = this.classNames.map(() => 0);
    for (const label of this.y) counts[label]++;
    return counts;
  }

  #targetRange(): [number, number] {
    return this.y.reduce(([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)], [Infinity, -Infinity]);
  }

  /** A plain-text summary: size, features, classes, note. */
  toString(): string {
    const lines = [
      `${this.name}: ${this.size} rows × ${this.featureNames.length} features (${this.featureNames.join(", ")})`,
      this.isClassification
        ? `target ${this.targetName}: ` + this.classNames.map((c, i) => `${c} ${this.classCounts()[i]}`).join(", ")
        : `target ${this.targetName} (regression), range ${this.#targetRange().join("..")}`,
      this.note,
    ];
    return lines.join("\n");
  }

  /** Jupyter MIME bundle: the summary and the first five rows as an HTML table. */
  [DISPLAY](): Record<string, string> {
    const head = [...this.featureNames, this.targetName].map((h) => `<th>${escapeHtml(h)}</th>`).join("");
    const rows = this.X.slice(0, 5).map((row, i) => {
      const target = this.isClassification ? this.classNames[this.y[i]] : String(this.y[i]);
      return `<tr>${[...row.map(String), target].map((v) => `<td>${escapeHtml(v)}</td>`).join("")}</tr>`;
    });
    const summary = this.toString().split("\n").map(escapeHtml).join("<br>");
    return {
      "text/plain": this.toString(),
      "text/html": `<div><p>${summary}</p><table><tr>${head}</tr>${rows.join("")}</table></div>`,
    };
  }
}
