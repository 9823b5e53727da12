/**
 * The exact features and splits that both our lib/ml and scikit-learn (bench/reference/sklearn_classic.py) are fed.
 *
 * Regenerate the committed export and the scikit-learn fixture with
 * `deno task ref:ml` (= `deno run -A bench/reference/classic_features.ts && /usr/bin/python3 bench/reference/sklearn_classic.py`).
 *
 * @module
 */
import { CountVectorizer } from "../../lib/data/count_vectorizer.ts";
import { loadCars } from "../../lib/data/cars.ts";
import { loadIris } from "../../lib/data/iris.ts";
import { loadPenguins } from "../../lib/data/penguins.ts";
import { loadSpam } from "../../lib/data/spam.ts";
import { splitData } from "../../lib/data/split.ts";
import { StandardScaler } from "../../lib/data/standard_scaler.ts";
import type { TabularDataset } from "../../lib/data/tabular.ts";
import {
  AdaBoostClassifier,
  DecisionTreeClassifier,
  GaussianNB,
  KNeighborsClassifier,
  LinearSVM,
  RandomForestClassifier,
  SoftmaxRegression,
} from "../../lib/ml/mod.ts";

/** Seed of every split used in the comparison. */
export const PARITY_SEED = 1337;
/** Vocabulary size of the spam bag of words. */
export const SPAM_WORDS = 1000;
/** Where the export lives (committed). */
export const FEATURES_PATH = new URL("../fixtures/classic_features.json", import.meta.url);
/** Where scikit-learn's scores live (committed, written by sklearn_classic.py). */
export const SKLEARN_PATH = new URL("../fixtures/sklearn_classic.json", import.meta.url);

/** What the comparison needs of a classifier. */
export interface Classifier {
  fit(X: number[][], y: number[]): unknown;
  score(X: number[][], y: number[]): number;
}

/** The classifiers compared on penguins and iris: same keys and hyper-parameters as MODELS in sklearn_classic.py. */
export const MODELS: Record<string, () => Classifier> = {
  softmax_regression: () => new SoftmaxRegression({ C: 1, learningRate: 0.5, epochs: 2000 }),
  k_neighbors: () => new KNeighborsClassifier({ k: 5 }),
  gaussian_nb: () => new GaussianNB(),
  decision_tree: () => new DecisionTreeClassifier({ maxDepth: 3 }),
  random_forest: () => new RandomForestClassifier({ nTrees: 100 }),
  linear_svm: () => new LinearSVM({ C: 1 }),
  adaboost: () => new AdaBoostClassifier({ nEstimators: 50 }),
};

/** A classification table, its split, and the StandardScaler statistics learned on its training rows. */
export interface TableSplit {
  classNames: string[];
  /** Raw feature rows (all of them). */
  X: number[][];
  y: number[];
  train: number[];
  test: number[];
  /** Column means and scales of the training rows: features are (x − mean) / scale. */
  mean: number[];
  scale: number[];
}

/** Everything exported for the comparison. */
export interface ClassicFeatures {
  seed: number;
  penguins: TableSplit;
  iris: TableSplit;
  cars: { featureNames: string[]; X: number[][]; y: number[] };
  /** Spam: split, vocabulary, and a checksum Σ (i + 1)·(word count of message i) of the count rows. */
  spam: { vocabulary: string[]; train: number[]; test: number[]; countChecksum: number };
}

function tableSplit(ds: TabularDataset): TableSplit {
  const s = splitData(ds.X, ds.y, { seed: PARITY_SEED, testFraction: 0.2 });
  const scaler = new StandardScaler().fit(s.XTrain);
  return { classNames: ds.classNames, X: ds.X, y: ds.y, ...s.indices, mean: scaler.mean, scale: scaler.scale };
}

/** The standardised train and test rows of a split, exactly as scikit-learn is fed them. */
export function standardised(split: TableSplit) {
  const scale = (rows: number[]) => rows.map((i) => split.X[i].map((v, j) => (v - split.mean[j]) / split.scale[j]));
  return {
    XTrain: scale(split.train),
    yTrain: split.train.map((i) => split.y[i]),
    XTest: scale(split.test),
    yTest: split.test.map((i) => split.y[i]),
  };
}

/** Spam as count rows: vocabulary learned on the training messages only. */
export async function spamCounts() {
  const spam = await loadSpam();
  const { indices } = splitData(spam.docs.map(() => [0]), spam.y, { seed: PARITY_SEED, testFraction: 0.2 });
  const bow = new CountVectorizer({ maxWords: SPAM_WORDS }).fit(indices.train.map((i) => spam.docs[i]));
  const X = bow.transform(spam.docs);
  return { spam, bow, X, indices };
}

/** Builds the export from our loaders, split, scaler and vectoriser. */
export async function buildClassicFeatures(): Promise<ClassicFeatures> {
  const cars = await loadCars();
  const { bow, X, indices } = await spamCounts();
  return {
    seed: PARITY_SEED,
    penguins: tableSplit(await loadPenguins()),
    iris: tableSplit(await loadIris()),
    cars: { featureNames: cars.featureNames, X: cars.X, y: cars.y },
    spam: {
      vocabulary: bow.vocabulary,
      train: indices.train,
      test: indices.test,
      countChecksum: X.reduce((sum, row, i) => sum + (i + 1) * row.reduce((s, v) => s + v, 0), 0),
    },
  };
}

if (import.meta.main) {
  const features = await buildClassicFeatures();
  await Deno.writeTextFile(FEATURES_PATH, JSON.stringify(features, null, 1));
  console.log(`wrote ${FEATURES_PATH.pathname}`);
}
