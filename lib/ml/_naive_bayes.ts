/** What the naive Bayes classifiers share: everything follows from the per-class joint log-likelihood. */
import { argmax } from "../core/argmax.ts";
import { logSumExp } from "./_validate.ts";
import { accuracy } from "./metrics.ts";

/** Base of {@link GaussianNB} and {@link MultinomialNB}: predictions from `jointLogLikelihood`. */
export abstract class NaiveBayes {
  /** log p(class) + log p(x | class) per class, `[n][k]` (unnormalised). */
  abstract jointLogLikelihood(X: number[][]): number[][];

  /** Posterior class probabilities `[n][k]`. */
  predictProba(X: number[][]): number[][] {
    return this.jointLogLikelihood(X).map((ll) => {
      const z = logSumExp(ll);
      return ll.map((v) => Math.exp(v - z));
    });
  }

  /** Most probable class per row. */
  predict(X: number[][]): number[] {
    return this.jointLogLikelihood(X).map(argmax);
  }

  /** Accuracy on (X, y). */
  score(X: number[][], y: number[]): number {
    return accuracy(y, this.predict(X));
  }
}
