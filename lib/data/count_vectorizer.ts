/**
 * Bag of words: a vocabulary learned from documents, and word-count rows.
 *
 * @module
 */
import { checkPositiveInteger } from "../core/validate.ts";

/** Options of {@link CountVectorizer}. */
export interface CountVectorizerOptions {
  /** Keep at most this many words, the ones found in the most documents (ties: alphabetical). Default 1000. */
  maxWords?: number;
  /** Ignore words found in fewer documents than this. Default 2. */
  minDocs?: number;
}

/**
 * Learns a vocabulary (the words found in the most training documents) and turns documents into count rows,
 * like scikit-learn's `CountVectorizer(max_features=…, min_df=…)` applied to ready-made word lists.
 *
 * @example
 * ```ts
 * import { CountVectorizer } from "@lib/data/count_vectorizer.ts";
 * import assert from "node:assert/strict";
 * const bow = new CountVectorizer({ minDocs: 1 }).fit([["free", "money"], ["free", "lunch"]]);
 * assert.deepEqual(bow.vocabulary, ["free", "lunch", "money"]);
 * assert.deepEqual(bow.transform([["free", "free", "beer"]]), [[2, 0, 0]]);
 * ```
 */
export class CountVectorizer {
  /** Learned words; column j of a count row counts `vocabulary[j]`. */
  vocabulary: string[] = [];
  readonly maxWords: number;
  readonly minDocs: number;
  #index = new Map<string, number>();

  /** @throws {RangeError} When maxWords or minDocs is not a positive integer. */
  constructor(options: CountVectorizerOptions = {}) {
    this.maxWords = options.maxWords ?? 1000;
    this.minDocs = options.minDocs ?? 2;
    checkPositiveInteger(this.maxWords, "maxWords", "create CountVectorizer");
    checkPositiveInteger(this.minDocs, "minDocs", "create CountVectorizer");
  }

  /**
   * Learns the vocabulary from word lists.
   * @throws {RangeError} When there are no documents or no word reaches minDocs.
   */
  fit(docs: string[][]): this {
    if (docs.length === 0) {
      throw new RangeError("Cannot fit CountVectorizer as docs is empty: need at least one document");
    }
    const df = new Map<string, number>();
    for (const doc of docs) for (const word of new Set(doc)) df.set(word, (df.get(word) ?? 0) + 1);
    const kept = [...df].filter(([, n]) => n >= this.minDocs)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, this.maxWords);
    if (kept.length === 0) {
      throw new RangeError(
        `Cannot fit CountVectorizer as no word is found in at least minDocs=${this.minDocs} documents`,
      );
    }
    this.vocabulary = kept.map(([w]) => w).sort();
    this.#index = new Map(this.vocabulary.map((w, j) => [w, j]));
    return this;
  }

  /** Count rows `[n][vocabulary.length]`; unknown words are ignored. */
  transform(docs: string[][]): number[][] {
    if (this.vocabulary.length === 0) {
      throw new Error("Cannot transform with CountVectorizer as it is not fitted: call fit first");
    }
    return docs.map((doc) => {
      const row = new Array<number>(this.vocabulary.length).fill(0);
      for (const word of doc) {
        const j = this.#index.get(word);
        if (j !== undefined) row[j]++;
      }
      return row;
    });
  }

  /** {@link fit} then {@link transform}. */
  fitTransform(docs: string[][]): number[][] {
    return this.fit(docs).transform(docs);
  }
}
