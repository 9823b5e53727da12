/**
 * The exercises of notebook 06 · A CNN that sees digits: the output size of a convolution, one 3×3 convolution by
 * hand (what `tf.conv2d` computes for one filter, no padding) and a 2×2 max pool.
 *
 * @module
 */
import type { CaseExercise } from "./check.ts";

type ConvOutputSize = (size: number, kernel: number, padding: number, stride: number) => number;

function outputSize(size: number, kernel: number, padding: number, stride: number): number {
  return Math.floor((size + 2 * padding - kernel) / stride) + 1;
}

/** The learner writes `convOutputSize(size, kernel, padding, stride)`: ⌊(size + 2·padding − kernel) / stride⌋ + 1. */
export const CONV_OUTPUT_SIZE: CaseExercise<ConvOutputSize> = Object.freeze<CaseExercise<ConvOutputSize>>({
  id: "06-conv-output-size",
  name: "convOutputSize",
  reference: outputSize,
  cases: [
    { args: [28, 3, 0, 1] as [number, number, number, number] },
    { args: [28, 5, 2, 1] as [number, number, number, number] },
    { args: [28, 3, 1, 1] as [number, number, number, number] },
    { args: [28, 5, 0, 1] as [number, number, number, number] },
    { args: [28, 2, 0, 2] as [number, number, number, number] },
    { args: [14, 3, 1, 2] as [number, number, number, number] },
    { args: [7, 3, 0, 2] as [number, number, number, number] },
  ],
  diagnose: (got, _expected, [n, k, p, s]) => {
    if (typeof got !== "number") return undefined;
    if (got === Math.floor((n + 2 * p - k) / s)) return "plus-one";
    if (got === Math.floor((n + p - k) / s) + 1) return "both-sides";
    if (got === (n + 2 * p - k) / s + 1) return "floor";
    return undefined;
  },
});

type Convolve3x3 = (image: number[][], kernel: number[][]) => number[][];

function valid3x3(image: readonly number[][], kernel: readonly number[][]): number[][] {
  const rows = image.length - 2, cols = image[0].length - 2;
  return Array.from({ length: rows }, (_, y) =>
    Array.from({ length: cols }, (_, x) => {
      let sum = 0;
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) sum += image[y + i][x + j] * kernel[i][j];
      return sum;
    }));
}

const EDGE = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]; // Sobel: bright on the right of a vertical stroke
const STROKE = [[0, 0, 1, 0, 0], [0, 0, 1, 0, 0], [0, 0, 1, 0, 0], [0, 0, 1, 0, 0]];

/**
 * The learner writes `convolve3x3(image, kernel)`: slide the 3×3 kernel over every position where it fits whole (no
 * padding, stride 1) and write the sum of the nine products: `out[y][x] = Σ_ij image[y+i][x+j] · kernel[i][j]`, an
 * `(H − 2) × (W − 2)` map. As in every deep-learning library, the kernel is not flipped (cross-correlation).
 */
export const CONVOLVE_3X3: CaseExercise<Convolve3x3> = Object.freeze<CaseExercise<Convolve3x3>>({
  id: "06-convolve-3x3",
  name: "convolve3x3",
  reference: valid3x3 as Convolve3x3,
  cases: [
    { args: [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[0, 0, 0], [0, 1, 0], [0, 0, 0]]] as [number[][], number[][]] },
    { args: [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 0, 0], [0, 0, 0], [0, 0, 0]]] as [number[][], number[][]] },
    { args: [STROKE, EDGE] as [number[][], number[][]] },
    {
      args: [[[1, 0, 2, 1], [0, 1, 3, 0], [2, 2, 0, 1], [1, 0, 1, 2]], [[1, 2, 0], [0, -1, 1], [2, 0, 1]]] as [
        number[][],
        number[][],
      ],
    },
  ],
  diagnose: (got, expected, [image, kernel]) => {
    if (!Array.isArray(got)) return undefined;
    const want = expected as number[][];
    if (got.length !== want.length || !Array.isArray(got[0]) || got[0].length !== want[0].length) return "shape";
    const flipped = valid3x3(image, kernel.map((row) => [...row].reverse()).reverse());
    const same = (a: number[][], b: number[][]) =>
      a.every((row, y) => row.every((v, x) => Math.abs(v - b[y][x]) < 1e-9));
    if (same(got as number[][], flipped) && !same(want, flipped)) return "flipped";
    return undefined;
  },
});

type MaxPool2x2 = (map: number[][]) => number[][];

function pool2x2(map: readonly number[][], reduce: (a: number[]) => number = (a) => Math.max(...a)): number[][] {
  return Array.from({ length: Math.floor(map.length / 2) }, (_, y) =>
    Array.from(
      { length: Math.floor(map[0].length / 2) },
      (_, x) => reduce([map[2 * y][2 * x], map[2 * y][2 * x + 1], map[2 * y + 1][2 * x], map[2 * y + 1][2 * x + 1]]),
    ));
}

/**
 * The learner writes `maxPool2x2(map)`: the largest of each non-overlapping 2×2 block (stride 2), a
 * `⌊H/2⌋ × ⌊W/2⌋` map (an odd last row or column is dropped, as `tf.maxPool` with "valid" padding does).
 */
export const MAX_POOL: CaseExercise<MaxPool2x2> = Object.freeze<CaseExercise<MaxPool2x2>>({
  id: "06-max-pool",
  name: "maxPool2x2",
  reference: ((map: number[][]) => pool2x2(map)) as MaxPool2x2,
  cases: [
    { args: [[[1, 3], [2, 0]]] as [number[][]] },
    { args: [[[1, 2, 5, 6], [3, 4, 7, 8], [0, 0, -1, -2], [0, 9, -3, -4]]] as [number[][]] },
    { args: [[[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [1, 1, 1, 1, 1], [2, 0, 0, 2, 9], [7, 7, 7, 7, 7]]] as [number[][]] },
  ],
  diagnose: (got, expected, [map]) => {
    if (!Array.isArray(got)) return undefined;
    const mean = pool2x2(map, (a) => a.reduce((s, v) => s + v, 0) / 4);
    if (JSON.stringify(got) === JSON.stringify(mean)) return "mean";
    if (got.length !== (expected as number[][]).length) return "stride";
    return undefined;
  },
});
