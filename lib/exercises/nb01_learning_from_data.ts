/**
 * The exercises of notebook 01 · Learning from data: the 早上好 gradient by hand, and the learning rate at which
 * gradient descent on the two-example bowl diverges.
 *
 * @module
 */
import type { CaseExercise } from "./check.ts";

/** A 早上好 training example: prompt values a, b and the wanted value (as lib's worked example writes it). */
export interface ZaoExample {
  /** Value of the first character. */
  a: number;
  /** Value of the second character. */
  b: number;
  /** Value of the wanted answer. */
  target: number;
}

/** The two parameters x and y. */
export interface XY {
  /** Multiplies a. */
  x: number;
  /** Multiplies b. */
  y: number;
}

type Gradient = (p: XY, examples: readonly ZaoExample[]) => XY;
type Rate = () => number;

function meanGradient(p: XY, examples: readonly ZaoExample[]): XY {
  let gx = 0, gy = 0;
  for (const e of examples) {
    const error = e.a * p.x + e.b * p.y - e.target;
    gx += 2 * error * e.a;
    gy += 2 * error * e.b;
  }
  return { x: gx / examples.length, y: gy / examples.length };
}

const ZAO = { a: 1, b: 2, target: 3, label: "早上 → 好" };
const SHANG_ZAO = { a: 2, b: 1, target: 3, label: "上早 → 好" };
const HUAI = { a: 1, b: 2, target: 4, label: "早上 → 坏" };
const ratio = (got: unknown, expected: unknown): number | undefined => {
  const g = got as XY, e = expected as XY;
  if (typeof g?.x !== "number" || typeof g?.y !== "number") return undefined;
  const big = Math.abs(e.x) >= Math.abs(e.y) ? "x" : "y";
  if (e[big] === 0) return undefined;
  const r = g[big] / e[big];
  const other = big === "x" ? "y" : "x";
  return Math.abs(g[other] - r * e[other]) < 1e-9 ? r : undefined;
};

/** The learner writes `gradient(p, examples)`: ∂loss/∂x and ∂loss/∂y of the mean squared error, by hand. */
export const GRADIENT_BY_HAND: CaseExercise<Gradient> = Object.freeze<
  CaseExercise<Gradient>
>({
  id: "01-gradient",
  name: "gradient",
  reference: meanGradient,
  cases: [
    { args: [{ x: 0, y: 0 }, [ZAO]] as [XY, ZaoExample[]], label: "gradient({ x: 0, y: 0 }, [早上 → 好])" },
    { args: [{ x: 1, y: 0 }, [ZAO]] as [XY, ZaoExample[]], label: "gradient({ x: 1, y: 0 }, [早上 → 好])" },
    { args: [{ x: 2, y: 1 }, [HUAI]] as [XY, ZaoExample[]], label: "gradient({ x: 2, y: 1 }, [早上 → 坏])" },
    {
      args: [{ x: -1, y: 2 }, [ZAO, SHANG_ZAO]] as [XY, ZaoExample[]],
      label: "gradient({ x: -1, y: 2 }, [早上 → 好, 上早 → 好])",
    },
  ],
  tolerance: 1e-9,
  diagnose: (got, expected, args) => {
    const r = ratio(got, expected);
    if (r === undefined) return undefined;
    if (Math.abs(r - 0.5) < 1e-9) return "half";
    if (Math.abs(r + 1) < 1e-9) return "sign";
    if (args[1].length > 1 && Math.abs(r - args[1].length) < 1e-9) return "sum";
    return undefined;
  },
});

/**
 * The largest stable learning rate of plain gradient descent on the two-example bowl (早上 → 好, 上早 → 好): the loss
 * (mean squared error) has the Hessian [[5, 4], [4, 5]], whose largest eigenvalue is 9, and descent diverges once
 * η > 2/9.
 */
export const DIVERGING_RATE = 2 / 9;

/** The learner writes `divergingRate()`: the learning rate above which descent on the two-example bowl diverges. */
export const DIVERGING_RATE_EXERCISE: CaseExercise<Rate> = Object.freeze<CaseExercise<Rate>>({
  id: "01-diverging-rate",
  name: "divergingRate",
  reference: () => DIVERGING_RATE,
  cases: [{ args: [] as [] }],
  tolerance: 0.005,
  timeoutMs: 20_000,
});
