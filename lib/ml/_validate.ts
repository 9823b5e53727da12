/**
 * Argument checks shared by the algorithms of lib/ml: every message names the model, the value and the expectation.
 *
 * @module
 */

/**
 * Checks that X is a non-empty table of finite numbers with one width.
 * @returns The number of columns.
 * @throws {RangeError} When X is empty, ragged or holds a non-finite value.
 */
export function checkX(X: number[][], who: string, width?: number): number {
  if (!Array.isArray(X) || X.length === 0) {
    throw new RangeError(`Cannot ${who} as X is empty: need at least one row`);
  }
  const d = width ?? X[0].length;
  if (d === 0) throw new RangeError(`Cannot ${who} as X has no columns: need at least one feature`);
  for (let i = 0; i < X.length; i++) {
    const row = X[i];
    if (row.length !== d) {
      throw new RangeError(`Cannot ${who} as every row of X must have ${d} features: row ${i} has ${row.length}`);
    }
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(row[j])) {
        throw new RangeError(`Cannot ${who} as X[${i}][${j}] must be a finite number: current value is ${row[j]}`);
      }
    }
  }
  return d;
}

/**
 * Checks X (as {@link checkX}) and a target y of the same length with finite values.
 * @returns The number of columns of X.
 * @throws {RangeError} When lengths differ, or X or y is empty or holds a non-finite value.
 */
export function checkXy(X: number[][], y: number[], who: string): number {
  if (!Array.isArray(X) || !Array.isArray(y) || X.length !== y.length) {
    throw new RangeError(
      `Cannot ${who} as X and y must have the same length: X has ${X?.length} rows, y has ${y?.length}`,
    );
  }
  const d = checkX(X, who);
  y.forEach((v, i) => {
    if (!Number.isFinite(v)) {
      throw new RangeError(`Cannot ${who} as y[${i}] must be a finite number: current value is ${v}`);
    }
  });
  return d;
}

/**
 * Checks class labels: integers 0..k-1 with at least `minClasses` distinct ones.
 * @returns The number of classes k (largest label + 1).
 * @throws {RangeError} When a label is not a non-negative integer or there are too few classes.
 */
export function checkLabels(y: number[], who: string, minClasses = 2): number {
  const seen = new Set<number>();
  y.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) {
      throw new RangeError(`Cannot ${who} as y[${i}] must be a class index (integer >= 0): current value is ${v}`);
    }
    seen.add(v);
  });
  if (seen.size < minClasses) {
    throw new RangeError(
      `Cannot ${who} as y must hold at least ${minClasses} classes: it holds only ${
        seen.size === 0 ? "none" : `class ${[...seen].join(", ")}`
      }`,
    );
  }
  return Math.max(...seen) + 1;
}

/** Throws when a model is used before fit. */
export function checkFitted(fitted: boolean, name: string): void {
  if (!fitted) throw new Error(`Cannot predict with ${name} as it is not fitted: call fit first`);
}

/** log(sum(exp(v))) computed stably. */
export function logSumExp(values: number[]): number {
  const m = Math.max(...values);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(values.reduce((s, v) => s + Math.exp(v - m), 0));
}
