/**
 * L-BFGS (limited-memory BFGS, Nocedal 1980): the quasi-Newton minimiser behind scikit-learn's default
 * `LogisticRegression(solver="lbfgs")`. It keeps the last `memory` steps s = x₊ − x and gradient changes
 * y = ∇f₊ − ∇f, and from them builds a direction that behaves like Newton's −H⁻¹∇f without ever forming the
 * Hessian H (the "two-loop recursion"). A backtracking line search keeps each step a sufficient decrease.
 *
 * @module
 */

/** Objective and gradient at x: returns f(x) and writes ∇f(x) into `grad`. */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

/** Settings of {@link lbfgs}. */
export interface LbfgsOptions {
  /** At most this many iterations (each is one line search, usually one evaluation). */
  maxIter: number;
  /** Stop once every gradient component is at most this in absolute value (scikit-learn's `tol`, scipy's `gtol`). */
  tol: number;
  /** Pairs (s, y) remembered. Default 10 (scipy's `maxcor`). */
  memory?: number;
}

/** What {@link lbfgs} found. */
export interface LbfgsResult {
  /** The minimiser found. */
  x: Float64Array;
  /** f after each iteration, starting with f(x0). */
  history: number[];
  /** Iterations run. */
  iterations: number;
  /** Objective evaluations (line-search trials included). */
  evaluations: number;
  /** Whether the gradient reached `tol` (false: `maxIter` ran out or no decrease could be found). */
  converged: boolean;
}

function dotArrays(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/**
 * Minimises a smooth function with L-BFGS and an Armijo backtracking line search.
 *
 * @param fg Objective and gradient.
 * @param x0 Starting point (not modified).
 * @param options Iteration limit, gradient tolerance and memory.
 * @returns The minimiser, the objective's history and whether it converged.
 * @example
 * ```ts
 * import { lbfgs } from "@lib/ml/_lbfgs.ts";
 * import assert from "node:assert/strict";
 * // f(x) = (x0 − 1)² + 10·(x1 + 2)²
 * const fg = (x: Float64Array, g: Float64Array) => {
 *   g[0] = 2 * (x[0] - 1);
 *   g[1] = 20 * (x[1] + 2);
 *   return (x[0] - 1) ** 2 + 10 * (x[1] + 2) ** 2;
 * };
 * const { x, converged } = lbfgs(fg, new Float64Array(2), { maxIter: 100, tol: 1e-8 });
 * assert.ok(converged && Math.abs(x[0] - 1) < 1e-8 && Math.abs(x[1] + 2) < 1e-8);
 * ```
 */
export function lbfgs(fg: ObjectiveWithGradient, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const { maxIter, tol } = options, m = options.memory ?? 10, n = x0.length;
  const x = Float64Array.from(x0), g = new Float64Array(n);
  const xNew = new Float64Array(n), gNew = new Float64Array(n), d = new Float64Array(n);
  const S: Float64Array[] = [], Y: Float64Array[] = [], rho: number[] = [], alpha = new Float64Array(m);
  let f = fg(x, g), evaluations = 1, iterations = 0, converged = false;
  const history = [f];
  while (iterations < maxIter) {
    if (maxAbs(g) <= tol) {
      converged = true;
      break;
    }
    // Two-loop recursion: d = −H·g, with H the inverse-Hessian estimate from the stored pairs.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = S.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dotArrays(S[k], d);
      for (let i = 0; i < n; i++) d[i] -= alpha[k] * Y[k][i];
    }
    const last = S.length - 1;
    const gamma = last >= 0
      ? dotArrays(S[last], Y[last]) / dotArrays(Y[last], Y[last])
      : 1 / Math.sqrt(dotArrays(g, g));
    for (let i = 0; i < n; i++) d[i] *= gamma; // the initial estimate H₀ = γ·I (first step: unit length)
    for (let k = 0; k < S.length; k++) {
      const beta = rho[k] * dotArrays(Y[k], d);
      for (let i = 0; i < n; i++) d[i] += (alpha[k] - beta) * S[k][i];
    }
    let slope = dotArrays(g, d);
    if (!(slope < 0)) { // not a descent direction (rounding): forget the pairs, take the gradient
      S.length = Y.length = rho.length = 0;
      const scale = 1 / Math.sqrt(dotArrays(g, g));
      for (let i = 0; i < n; i++) d[i] = -g[i] * scale;
      slope = dotArrays(g, d);
    }
    // Backtracking: halve the step until f drops by at least 1e-4 of what the slope promises (Armijo).
    let t = 1, fNew = Infinity;
    for (let trial = 0; trial < 50; trial++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + t * d[i];
      fNew = fg(xNew, gNew);
      evaluations++;
      if (fNew <= f + 1e-4 * t * slope) break;
      t /= 2;
    }
    if (!(fNew <= f + 1e-4 * t * slope)) break; // no decrease left at float precision
    iterations++;
    const s = new Float64Array(n), y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dotArrays(s, y);
    if (sy > 1e-10 * Math.sqrt(dotArrays(s, s) * dotArrays(y, y))) { // keep only pairs with positive curvature
      if (S.length === m) S.shift(), Y.shift(), rho.shift();
      S.push(s), Y.push(y), rho.push(1 / sy);
    }
    x.set(xNew), g.set(gNew);
    f = fNew;
    history.push(f);
  }
  if (!converged && maxAbs(g) <= tol) converged = true;
  return { x, history, iterations, evaluations, converged };
}
