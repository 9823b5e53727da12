/** Private helpers of lib/plot: turning inputs into plain number arrays, with clear errors. */

/** A 1-D list of numbers: an array, a typed array, or a tensor (anything with `dataSync()`). */
export type VectorLike = ArrayLike<number> | { dataSync(): ArrayLike<number> };

/** A 2-D table of numbers: rows of numbers, or a 2-D tensor (anything with `arraySync()`). */
export type MatrixLike = ArrayLike<ArrayLike<number>> | { arraySync(): unknown };

/**
 * Converts a vector-like value to a plain array of finite numbers.
 *
 * @param what Names the value in errors, e.g. `line plot series "train" y`.
 * @param value The input.
 * @param allowEmpty Whether an empty list is fine.
 */
export function toVector(what: string, value: unknown, allowEmpty = false): number[] {
  const raw = typeof (value as { dataSync?: unknown })?.dataSync === "function"
    ? (value as { dataSync(): ArrayLike<number> }).dataSync()
    : value;
  if (typeof raw !== "object" || raw === null || typeof (raw as ArrayLike<number>).length !== "number") {
    throw new TypeError(`Cannot plot ${what} as it must be an array of numbers: got ${describe(value)}`);
  }
  const out = Array.from(raw as ArrayLike<unknown>, (v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(`Cannot plot ${what} as it must hold finite numbers: item ${i} is ${describe(v)}`);
    }
    return v;
  });
  if (out.length === 0 && !allowEmpty) {
    throw new RangeError(`Cannot plot ${what} as it is empty: give at least one value`);
  }
  return out;
}

/**
 * Converts a matrix-like value to rows of finite numbers, all of the same length.
 *
 * @param what Names the value in errors.
 * @param value The input.
 */
export function toMatrix(what: string, value: unknown): number[][] {
  const raw = typeof (value as { arraySync?: unknown })?.arraySync === "function"
    ? (value as { arraySync(): unknown }).arraySync()
    : value;
  if (typeof raw !== "object" || raw === null || typeof (raw as ArrayLike<unknown>).length !== "number") {
    throw new TypeError(`Cannot plot ${what} as it must be a 2-D array (rows of numbers): got ${describe(value)}`);
  }
  const rows = Array.from(raw as ArrayLike<unknown>);
  if (rows.length === 0) throw new RangeError(`Cannot plot ${what} as it has no rows: give at least one`);
  const matrix = rows.map((row, r) => {
    if (typeof row !== "object" || row === null) {
      throw new TypeError(`Cannot plot ${what} as it must be a 2-D array: row ${r} is ${describe(row)}`);
    }
    return Array.from(row as ArrayLike<unknown>, (v, c) => {
      if (typeof v !== "number" || !Number.isFinite(v)) {
        throw new RangeError(`Cannot plot ${what} as it must hold finite numbers: [${r}][${c}] is ${describe(v)}`);
      }
      return v;
    });
  });
  const width = matrix[0].length;
  if (width === 0) throw new RangeError(`Cannot plot ${what} as its rows are empty: give at least one column`);
  matrix.forEach((row, r) => {
    if (row.length !== width) {
      throw new RangeError(
        `Cannot plot ${what} as all rows must have the same length: row 0 has ${width} values, row ${r} has ${row.length}`,
      );
    }
  });
  return matrix;
}

/** Checks that a list of labels is strings (or numbers) of the expected length. */
export function toLabels(what: string, value: unknown, length: number): string[] {
  if (!Array.isArray(value)) throw new TypeError(`Cannot plot ${what} as it must be an array of labels`);
  if (value.length !== length) {
    throw new RangeError(`Cannot plot ${what} as it must have ${length} labels to match the data: got ${value.length}`);
  }
  return value.map((v) => String(v));
}

/** Checks two lengths match, naming both. */
export function sameLength(what: string, a: string, na: number, b: string, nb: number): void {
  if (na !== nb) {
    throw new RangeError(
      `Cannot plot ${what} as ${a} and ${b} must have the same length: ${a} has ${na} values, ${b} has ${nb}`,
    );
  }
}

/** Short description of a value for an error message. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value === null || typeof value !== "object") return String(value);
  return (value as object).constructor?.name ?? "an object";
}

/** Smallest and largest of finite numbers. */
export function extent(values: Iterable<number>): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}
