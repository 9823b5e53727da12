/**
 * Classic ML benchmark: our lib/ml next to scikit-learn, in the same run on the same machine.
 *
 * Prints (1) test accuracy of every model on the parity splits (ours measured now, scikit-learn's from
 * bench/fixtures/sklearn_classic.json), (2) fit times of a 100-tree random forest on penguins and multinomial
 * naive Bayes on SpamAssassin, ours and scikit-learn's (run now via /usr/bin/python3 sklearn_classic.py --bench), and
 * (3) the fit of softmax regression (L-BFGS, C = 1) on the 8000 training digits, ours beside scikit-learn's
 * LogisticRegression on the same rows (sklearn_digits.py --bench), against the course's target of 10 s.
 *
 * Run: `deno task bench:ml`
 *
 * @module
 */
import {
  type ClassicFeatures,
  FEATURES_PATH,
  MODELS,
  SKLEARN_PATH,
  spamCounts,
  standardised,
} from "./reference/classic_features.ts";
import { DIGITS_C, exportDigits } from "./reference/digits_export.ts";
import { loadDigits } from "../lib/data/digits.ts";
import { MultinomialNB, RandomForestClassifier, SoftmaxRegression } from "../lib/ml/mod.ts";

function bestOf(repeats: number, fn: () => void): number {
  let best = Infinity;
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    fn();
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return best;
}

const features: ClassicFeatures = JSON.parse(await Deno.readTextFile(FEATURES_PATH));
const sklearn = JSON.parse(await Deno.readTextFile(SKLEARN_PATH));
const { X: spamX, spam, indices } = await spamCounts();
const rows: string[][] = [["dataset", "model", "ours", "scikit-learn", "test rows"]];
for (const name of ["penguins", "iris"] as const) {
  const s = standardised(features[name]);
  for (const [model, make] of Object.entries(MODELS)) {
    const m = make();
    m.fit(s.XTrain, s.yTrain);
    rows.push([
      name,
      model,
      m.score(s.XTest, s.yTest).toFixed(4),
      sklearn.accuracy[name][model].toFixed(4),
      String(s.yTest.length),
    ]);
  }
}
const spamTrainX = indices.train.map((i) => spamX[i]), spamTrainY = indices.train.map((i) => spam.y[i]);
const nb = new MultinomialNB().fit(spamTrainX, spamTrainY);
const spamAcc = nb.score(indices.test.map((i) => spamX[i]), indices.test.map((i) => spam.y[i]));
rows.push([
  "spam",
  "multinomial_nb",
  spamAcc.toFixed(4),
  sklearn.accuracy.spam.multinomial_nb.toFixed(4),
  String(indices.test.length),
]);
console.log("Test accuracy on the parity splits (seed 1337, 80/20 stratified):");
for (const r of rows) console.log(r.map((c, i) => c.padEnd(i < 2 ? 20 : 14)).join(""));

const penguins = standardised(features.penguins);
const ours = {
  random_forest_penguins_s: bestOf(
    3,
    () => new RandomForestClassifier({ nTrees: 100 }).fit(penguins.XTrain, penguins.yTrain),
  ),
  multinomial_nb_spam_s: bestOf(5, () => new MultinomialNB().fit(spamTrainX, spamTrainY)),
};
const python = new Deno.Command("/usr/bin/python3", {
  args: [new URL("./reference/sklearn_classic.py", import.meta.url).pathname, "--bench"],
  stdout: "piped",
  stderr: "inherit",
}).outputSync();
const theirs = python.success ? JSON.parse(new TextDecoder().decode(python.stdout)) : null;
console.log(
  `\nFit times, best of 3 (forest) / 5 (naive Bayes), seconds, ${navigator.hardwareConcurrency} logical CPUs:`,
);
console.log(`${"task".padEnd(52)}${"ours".padEnd(12)}scikit-learn ${theirs?.sklearn ?? "(unavailable)"}`);
const label = {
  random_forest_penguins_s: `random forest, 100 trees, penguins (${penguins.yTrain.length} rows)`,
  multinomial_nb_spam_s: `multinomial NB, spam (${spamTrainX.length}×${spamTrainX[0].length})`,
};
for (const key of Object.keys(ours) as (keyof typeof ours)[]) {
  console.log(`${label[key].padEnd(52)}${ours[key].toFixed(4).padEnd(12)}${theirs ? theirs[key].toFixed(4) : "-"}`);
}

// (3) Softmax regression on the 8000 training digits: ours and scikit-learn's, best of 2 each.
const DIGITS_TARGET_S = 10;
await exportDigits();
const digits = await loadDigits();
const [digitsX, digitsY] = [digits.train.rows(), digits.train.labels];
let softmax = new SoftmaxRegression({ C: DIGITS_C });
const oursDigits = bestOf(2, () => (softmax = new SoftmaxRegression({ C: DIGITS_C }).fit(digitsX, digitsY)));
const digitsAcc = softmax.score(digits.test.rows(), digits.test.labels);
const pyDigits = new Deno.Command("/usr/bin/python3", {
  args: [new URL("./reference/sklearn_digits.py", import.meta.url).pathname, "--bench"],
  env: { OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" },
  stdout: "piped",
  stderr: "inherit",
}).outputSync();
const theirsDigits = pyDigits.success ? JSON.parse(new TextDecoder().decode(pyDigits.stdout)) : null;
console.log(
  `\nSoftmax regression (L-BFGS, C = ${DIGITS_C}, tol 1e-4) on ${digitsX.length}×${
    digitsX[0].length
  } digits, best of 2:`,
);
console.log(
  `  ours          ${oursDigits.toFixed(2)} s, ${softmax.iterations} iterations, test accuracy ${
    (100 * digitsAcc).toFixed(2)
  }% (target ≤ ${DIGITS_TARGET_S} s: ${oursDigits <= DIGITS_TARGET_S ? "met" : "MISSED"})`,
);
console.log(
  theirsDigits
    ? `  scikit-learn  ${
      theirsDigits.softmax_digits_s.toFixed(2)
    } s, ${theirsDigits.iterations} iterations (${theirsDigits.sklearn}, 1 BLAS thread)`
    : "  scikit-learn  (unavailable)",
);
