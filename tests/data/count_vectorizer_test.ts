import assert from "node:assert/strict";
import { CountVectorizer } from "@lib/data/count_vectorizer.ts";

const docs = [["a", "b", "b"], ["a", "c"], ["a", "b", "d"], ["e"]];

Deno.test("CountVectorizer keeps the words found in the most documents, sorted alphabetically", () => {
  const bow = new CountVectorizer({ maxWords: 2, minDocs: 1 }).fit(docs);
  assert.deepEqual(bow.vocabulary, ["a", "b"]); // a in 3 docs, b in 2
  assert.deepEqual(bow.transform(docs), [[1, 2], [1, 0], [1, 1], [0, 0]]);
});

Deno.test("CountVectorizer drops words below minDocs", () => {
  assert.deepEqual(new CountVectorizer({ minDocs: 2 }).fit(docs).vocabulary, ["a", "b"]);
});

Deno.test("CountVectorizer rejects bad options, empty input and use before fit", () => {
  assert.throws(() => new CountVectorizer({ maxWords: 0 }), {
    name: "RangeError",
    message: "Cannot create CountVectorizer as maxWords must be a positive integer: current value is 0",
  });
  assert.throws(() => new CountVectorizer().fit([]), {
    name: "RangeError",
    message: "Cannot fit CountVectorizer as docs is empty: need at least one document",
  });
  assert.throws(() => new CountVectorizer({ minDocs: 5 }).fit(docs), {
    name: "RangeError",
    message: "Cannot fit CountVectorizer as no word is found in at least minDocs=5 documents",
  });
  assert.throws(() => new CountVectorizer().transform(docs), {
    message: "Cannot transform with CountVectorizer as it is not fitted: call fit first",
  });
});
