/**
 * The proverb corpus of notebook 10: 俗语, 谚语 and 歇后语 in two halves (不听老人言，吃亏在眼前), written for the
 * course from common sayings in the public domain (`datasets/proverbs.txt`, see datasets/README.md), with a seeded
 * train/test split so that the test proverbs are never trained on.
 *
 * Text format (the same as a line of the poem corpus): `前半，后半。`, one saying a line.
 *
 * @module
 */
import { Prng, SEED } from "../core/mod.ts";
import { DISPLAY, escapeHtml } from "../notebook/mod.ts";

/** Where the corpus lives: `datasets/proverbs.txt` at the repository root. */
export const PROVERB_FILE: URL = new URL("../../datasets/proverbs.txt", import.meta.url);

/** A saying in two halves. */
export interface Proverb {
  /** The first half, e.g. 不听老人言. */
  first: string;
  /** The second half, e.g. 吃亏在眼前. */
  second: string;
  /** The saying in the text format: `前半，后半。`. */
  text: string;
}

const HAN = /^[\u4e00-\u9fff]+$/;

/**
 * Reads sayings in the file's format: one `前半，后半` a line (Han characters only, one full-width comma), blank lines
 * and lines starting with `#` ignored.
 *
 * @param source The file's text.
 * @returns The sayings in file order.
 * @throws {RangeError} For a line that is not two halves of Han characters, naming the line, or a saying given twice.
 * @example
 * ```ts
 * import { parseProverbs } from "@lib/data/proverbs.ts";
 * import assert from "node:assert/strict";
 * const [p] = parseProverbs("# a comment\n不听老人言，吃亏在眼前\n");
 * assert.deepEqual(p, { first: "不听老人言", second: "吃亏在眼前", text: "不听老人言，吃亏在眼前。" });
 * assert.throws(() => parseProverbs("不听老人言吃亏在眼前"), /line 1/);
 * ```
 */
export function parseProverbs(source: string): Proverb[] {
  if (typeof source !== "string") {
    throw new TypeError(`Cannot read proverbs as the source must be a string: got ${typeof source}`);
  }
  const seen = new Set<string>();
  const out: Proverb[] = [];
  source.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const halves = line.split("，");
    if (halves.length !== 2 || !halves.every((h) => HAN.test(h))) {
      throw new RangeError(
        `Cannot read proverbs as line ${i + 1} must be two halves of Han characters joined by "，": ` +
          `current value is "${line}"`,
      );
    }
    if (seen.has(line)) throw new RangeError(`Cannot read proverbs as line ${i + 1} repeats "${line}"`);
    seen.add(line);
    out.push({ first: halves[0], second: halves[1], text: `${halves[0]}，${halves[1]}。` });
  });
  return out;
}

/**
 * The training text of some sayings: each `前半，后半。`, one a line.
 *
 * @param proverbs Sayings, e.g. `corpus.train`.
 * @returns The lines joined by newlines.
 * @example
 * ```ts
 * import { parseProverbs, proverbText } from "@lib/data/proverbs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(proverbText(parseProverbs("活到老，学到老\n吃一堑，长一智")), "活到老，学到老。\n吃一堑，长一智。");
 * ```
 */
export function proverbText(proverbs: readonly Proverb[]): string {
  return proverbs.map((p) => p.text).join("\n");
}

/** Options of {@link loadProverbs}. */
export interface ProverbOptions {
  /** Seed of the split. Default 1337. */
  seed?: number;
  /** Fraction held out for testing, in (0, 0.5]. Default 0.2. */
  testFraction?: number;
  /** The file's text (default: read {@link PROVERB_FILE}). */
  source?: string;
}

/** Sayings split into train and test, shown in a notebook as a summary with a few samples. */
export class ProverbCorpus {
  /**
   * @param train Training sayings, in file order.
   * @param test Held-out sayings, in file order.
   * @param seed The seed of the split.
   */
  constructor(readonly train: Proverb[], readonly test: Proverb[], readonly seed: number) {}

  /** A plain-text summary: sizes, lengths and five samples. */
  summary(): string {
    const all = [...this.train, ...this.test];
    const chars = all.reduce((n, p) => n + p.first.length + p.second.length, 0);
    return [
      `${all.length} sayings (俗语, 谚语, 歇后语) in two halves, ${chars} characters: ` +
      `train ${this.train.length}, test ${this.test.length} (seed ${this.seed})`,
      ...this.train.slice(0, 5).map((p) => `  ${p.text}`),
    ].join("\n");
  }

  /** Jupyter display: the summary as text and as HTML. */
  [DISPLAY](): Record<string, string> {
    return { "text/plain": this.summary(), "text/html": `<pre>${escapeHtml(this.summary())}</pre>` };
  }
}

/**
 * Loads the sayings of `datasets/proverbs.txt` with a seeded train/test split.
 *
 * @param options Seed, test fraction, or another source text.
 * @returns The corpus; the test sayings are a seeded random `testFraction` of the file, in file order.
 * @throws {RangeError} For a test fraction outside (0, 0.5] or a malformed file (see {@link parseProverbs}).
 * @example
 * ```ts
 * import { loadProverbs } from "@lib/data/proverbs.ts";
 * import assert from "node:assert/strict";
 * const corpus = await loadProverbs();
 * assert.ok(corpus.train.length + corpus.test.length >= 300);
 * assert.ok([...corpus.train, ...corpus.test].some((p) => p.text === "不听老人言，吃亏在眼前。"));
 * const train = new Set(corpus.train.map((p) => p.text));
 * assert.ok(corpus.test.every((p) => !train.has(p.text)));
 * ```
 */
export async function loadProverbs(options: ProverbOptions = {}): Promise<ProverbCorpus> {
  const { seed = SEED, testFraction = 0.2 } = options;
  if (!Number.isInteger(seed)) {
    throw new RangeError(`Cannot load proverbs as seed must be an integer: current value is ${seed}`);
  }
  if (!(testFraction > 0 && testFraction <= 0.5)) {
    throw new RangeError(
      `Cannot load proverbs as testFraction must be a number in (0, 0.5]: current value is ${testFraction}`,
    );
  }
  const all = parseProverbs(options.source ?? await Deno.readTextFile(PROVERB_FILE));
  const nTest = Math.max(1, Math.round(all.length * testFraction));
  if (all.length - nTest < 1) {
    throw new RangeError(`Cannot split ${all.length} proverb(s) with testFraction ${testFraction}: none left to train`);
  }
  const order = new Prng(seed).permutation(all.length);
  const isTest = new Set(order.slice(0, nTest));
  return new ProverbCorpus(all.filter((_, i) => !isTest.has(i)), all.filter((_, i) => isTest.has(i)), seed);
}
