/**
 * The exercises of notebook 00 · Welcome: a loss written with tensor operations, and a slope from `tf.grad`.
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import type { CaseExercise } from "./check.ts";

type Mse = (prediction: tf.Tensor, target: tf.Tensor) => tf.Tensor;
type Slope = (x: number) => Promise<number>;

/** The learner writes `meanSquaredError(prediction, target)`: a scalar tensor, the mean of the squared differences. */
export const MEAN_SQUARED_ERROR: CaseExercise<Mse> = Object.freeze<
  CaseExercise<Mse>
>({
  id: "00-mse",
  name: "meanSquaredError",
  reference: (prediction: tf.Tensor, target: tf.Tensor) => tf.tidy(() => prediction.sub(target).square().mean()),
  cases: () => [
    { args: [tf.tensor1d([3]), tf.tensor1d([1])] as [tf.Tensor, tf.Tensor] },
    { args: [tf.tensor1d([1, 2, 3]), tf.tensor1d([1, 2, 5])] as [tf.Tensor, tf.Tensor] },
    { args: [tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[0, 0], [0, 0]])] as [tf.Tensor, tf.Tensor] },
  ],
  tolerance: 1e-5,
  diagnose: (got: unknown, expected: unknown, args: [tf.Tensor, tf.Tensor]) => {
    const g = got as tf.Tensor, e = expected as tf.Tensor;
    if (!(g instanceof tf.Tensor) || g.size !== 1 || args[0].size === 1) return undefined;
    return Math.abs(g.dataSync()[0] - e.dataSync()[0] * args[0].size) < 1e-4 ? "sum" : undefined;
  },
});

async function slopeOfCubic(x: number): Promise<number> {
  const slope = tf.grad((t: tf.Tensor) => t.pow(3).sub(t.mul(2))); // g(x) = x³ − 2x
  const at = slope(tf.scalar(x));
  const value = (await at.data())[0];
  at.dispose();
  return value;
}

/** The learner writes `async slopeOfG(x)`: g′(x) for g(x) = x³ − 2x, computed by `tf.grad`, as a number. */
export const SLOPE_WITH_GRAD: CaseExercise<Slope> = Object.freeze<
  CaseExercise<Slope>
>({
  id: "00-slope",
  name: "slopeOfG",
  reference: slopeOfCubic,
  cases: [{ args: [0] as [number] }, { args: [1] as [number] }, { args: [-2] as [number] }, {
    args: [0.5] as [number],
  }],
  tolerance: 1e-4,
});
