/**
 * The digits both our SoftmaxRegression and scikit-learn's LogisticRegression (bench/reference/sklearn_digits.py)
 * are fed: lib/data's seeded 8000/2000 split written as raw float32 pixels, so Python reads exactly our rows.
 *
 * Files (not committed, 31 MB): build/reference/digits/{train,test}.f32 (`[n·784]` little-endian float32) and
 * labels.json. Regenerate the scikit-learn fixture with `deno task ref:ml`.
 *
 * @module
 */
import { loadDigits } from "../../lib/data/digits.ts";
import { PARITY_SEED } from "./classic_features.ts";

/** Training-set sizes of the comparison: the first n training digits (the split is already in seeded random order). */
export const DIGIT_SIZES = [100, 300, 1000, 3000, 8000] as const;
/** Inverse penalty of the comparison (scikit-learn's default). */
export const DIGITS_C = 1;
/** Where the export is written. */
export const DIGITS_DIR = new URL("../../build/reference/digits/", import.meta.url);
/** scikit-learn's results (committed, written by sklearn_digits.py). */
export const SKLEARN_DIGITS_PATH = new URL("../fixtures/sklearn_digits.json", import.meta.url);

/** What sklearn_digits.py records for one training-set size. */
export interface SklearnDigitsRow {
  n: number;
  accuracy: number;
  /** Mean cross-entropy + ‖W‖²/(2·C·n) at scikit-learn's solution. */
  objective: number;
  iterations: number;
  fit_s: number;
}

/** The fixture sklearn_digits.py writes. */
export interface SklearnDigits {
  sklearn: string;
  seed: number;
  C: number;
  tol: number;
  rows: SklearnDigitsRow[];
}

/** Writes the split to {@link DIGITS_DIR}; returns the directory's path. */
export async function exportDigits(): Promise<string> {
  const digits = await loadDigits({ seed: PARITY_SEED });
  await Deno.mkdir(DIGITS_DIR, { recursive: true });
  const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  await Deno.writeFile(new URL("train.f32", DIGITS_DIR), bytes(digits.train.images));
  await Deno.writeFile(new URL("test.f32", DIGITS_DIR), bytes(digits.test.images));
  await Deno.writeTextFile(
    new URL("labels.json", DIGITS_DIR),
    JSON.stringify({ seed: PARITY_SEED, train: digits.train.labels, test: digits.test.labels }),
  );
  return DIGITS_DIR.pathname;
}

if (import.meta.main) console.log(`wrote ${await exportDigits()}`);
