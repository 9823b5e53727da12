/**
 * Writing with an encoder-decoder {@link Transformer}: the encoder reads each source once, then the decoder writes
 * one token per step from `<bos>` until `<eos>`, each step one new position against a KV cache.
 *
 * - {@link greedyDecode} takes the most likely token at every step;
 * - {@link beamSearch} keeps the `beamWidth` most likely partial outputs (by total log-probability) and returns the
 *   best finished one: it can recover when the best first token is not the start of the best whole output.
 *
 * Both run many sources at once (a batch of rows; beam search uses beamWidth rows per source) and can return, for
 * each source, the weights of every attention that wrote its output ({@link attentionMaps}), for heatmaps.
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { KvCache } from "./kv_cache.ts";
import { padIds } from "./padding_mask.ts";
import type { Transformer } from "./transformer.ts";

/** Options of {@link greedyDecode} and {@link beamSearch}. */
export interface DecodeOptions {
  /** Most tokens written per source, `<eos>` included (default and upper bound: maxTgtLen − 1). */
  maxLen?: number;
  /** Sources run together (default 1024; beam search: rows = sources × beamWidth). */
  batchSize?: number;
  /** Also return each output's attention weights (default false). */
  attention?: boolean;
}

/** The attention weights that wrote one output, as nested arrays for heatmaps (padding cropped). */
export interface AttentionMaps {
  /** The source ids (the columns of `encoder` and `cross`). */
  source: number[];
  /** What was written: the output ids and then `<eos>` when it ended with one (the rows of `decoder` and `cross`). */
  written: number[];
  /** Per encoder layer, per head: `[S][S]`, row = the attending source position. */
  encoder: number[][][][];
  /** Per decoder layer, per head: `[T][T]` causal self-attention; row t wrote `written[t]`, column 0 is `<bos>`. */
  decoder: number[][][][];
  /** Per decoder layer, per head: `[T][S]` cross-attention; row t wrote `written[t]`. */
  cross: number[][][][];
}

/** What a decoder returns for each source. */
export interface Decoded {
  /** The output ids, without `<bos>` and `<eos>`. */
  ids: number[][];
  /** Total log-probability of each output, its `<eos>` included. */
  logProbs: number[];
  /** Whether each output ended with `<eos>` (false: it reached maxLen). */
  finished: boolean[];
  /** The attention weights that wrote each output (when `attention: true`). */
  attention?: AttentionMaps[];
}

/** Options of {@link beamSearch}. */
export interface BeamOptions extends DecodeOptions {
  /** Partial outputs kept per source (1 = greedy). Default 4. */
  beamWidth?: number;
  /** Rank finished beams by logProb / length^alpha (0 = by logProb; longer outputs lose less with alpha > 0). */
  lengthPenalty?: number;
}

/** One beam of a {@link beamSearch} result. */
export interface Beam {
  /** The output ids, without `<bos>` and `<eos>`. */
  ids: number[];
  /** Total log-probability, `<eos>` included. */
  logProb: number;
  /** Whether it ended with `<eos>`. */
  finished: boolean;
}

/** What {@link beamSearch} returns: the best beam per source (as {@link Decoded}) and every final beam. */
export interface BeamDecoded extends Decoded {
  /** The final beams of each source, best first. */
  beams: Beam[][];
}

function settings(model: Transformer, sources: readonly (readonly number[])[], opts: DecodeOptions, what: string) {
  const limit = model.config.maxTgtLen - 1;
  const { maxLen = limit, batchSize = 1024 } = opts;
  checkPositiveInteger(maxLen, "maxLen", what);
  checkPositiveInteger(batchSize, "batchSize", what);
  if (maxLen > limit) {
    throw new RangeError(
      `Cannot ${what} as maxLen must be at most maxTgtLen − 1 = ${limit}: current value is ${maxLen}`,
    );
  }
  if (!Array.isArray(sources) || sources.length === 0 || sources.some((s) => !Array.isArray(s) || s.length === 0)) {
    throw new RangeError(`Cannot ${what} as sources must be a non-empty array of non-empty id arrays`);
  }
  return { maxLen, batchSize };
}

/** log-softmax of the step's logits `[R, 1, V]`, read into JS (the logits are disposed). */
async function stepLogProbs(logits: tf.Tensor3D): Promise<Float32Array> {
  const [r, , v] = logits.shape;
  const lp = tf.tidy(() => tf.logSoftmax(logits.reshape([r, v])));
  logits.dispose();
  const data = await lp.data() as Float32Array;
  lp.dispose();
  return data;
}

/**
 * Greedy decoding: at each step the most likely next token, for every source at once, until each has written
 * `<eos>` or maxLen tokens.
 *
 * @param model The Transformer.
 * @param sources Source id sequences (unpadded; they are padded with padId together).
 * @param opts maxLen, batch size, attention maps.
 * @returns Per source: output ids, log-probability, whether it finished, and the attention maps when asked.
 * @throws {RangeError} When sources is empty or holds an empty sequence, or maxLen/batchSize is out of range.
 * @example
 * ```ts
 * import { greedyDecode, Transformer, TRANSFORMER_TINY } from "@lib/attention/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new Transformer(TRANSFORMER_TINY);
 * const out = await greedyDecode(model, [[5, 6, 7], [8]], { maxLen: 4, attention: true });
 * assert.equal(out.ids.length, 2);
 * assert.ok(out.ids[0].length <= 4);
 * assert.equal(out.attention![1].cross[0][0][0].length, 1); // cross-attention columns: the one source token
 * model.dispose();
 * ```
 */
export async function greedyDecode(
  model: Transformer,
  sources: readonly (readonly number[])[],
  opts: DecodeOptions = {},
): Promise<Decoded> {
  const { maxLen, batchSize } = settings(model, sources, opts, "decode greedily");
  const { padId, bosId, eosId, vocabSize: v } = model.config;
  const out: Decoded = { ids: [], logProbs: [], finished: [] };
  for (let start = 0; start < sources.length; start += batchSize) {
    const chunk = sources.slice(start, start + batchSize), b = chunk.length;
    const ids = chunk.map(() => [] as number[]), logProbs = new Array(b).fill(0), done = new Array(b).fill(false);
    const src = padIds(chunk, padId);
    const enc = model.encode(src);
    const cache = new KvCache();
    let input = tf.fill([b, 1], bosId, "int32") as tf.Tensor2D;
    try {
      for (let step = 0; step < maxLen && done.includes(false); step++) {
        const lp = await stepLogProbs(model.decode(input, enc, cache));
        const next = new Int32Array(b).fill(eosId);
        for (let i = 0; i < b; i++) {
          if (done[i]) continue;
          let best = 0;
          for (let j = 1; j < v; j++) if (lp[i * v + j] > lp[i * v + best]) best = j;
          logProbs[i] += lp[i * v + best];
          if (best === eosId) done[i] = true;
          else ids[i].push(best);
          next[i] = best;
        }
        input.dispose();
        input = tf.tensor2d(next, [b, 1], "int32");
      }
    } finally {
      tf.dispose([src, enc.memory, enc.mask, input]);
      cache.dispose();
    }
    out.ids.push(...ids);
    out.logProbs.push(...logProbs);
    out.finished.push(...done);
  }
  if (opts.attention) out.attention = attentionMaps(model, sources, out.ids, out.finished);
  return out;
}

/**
 * Beam search: per source, the `beamWidth` partial outputs of highest total log-probability are extended by every
 * token, and the best `beamWidth` of those continue; a beam that writes `<eos>` is finished and keeps its score. It
 * ends when every beam of every source is finished (or at maxLen). With beamWidth 1 it is greedy decoding.
 *
 * @param model The Transformer.
 * @param sources Source id sequences (unpadded).
 * @param opts Beam width, length penalty, maxLen, batch size, attention maps (of each best beam).
 * @returns The best beam per source (as {@link greedyDecode} returns it) and every final beam, best first.
 * @throws {RangeError} As {@link greedyDecode}, and when beamWidth is not a positive integer or lengthPenalty < 0.
 * @example
 * ```ts
 * import { beamSearch, greedyDecode, Transformer, TRANSFORMER_TINY } from "@lib/attention/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new Transformer(TRANSFORMER_TINY);
 * const beam = await beamSearch(model, [[5, 6, 7]], { beamWidth: 3, maxLen: 4 });
 * assert.equal(beam.beams[0].length, 3);
 * assert.ok(beam.logProbs[0] >= (await greedyDecode(model, [[5, 6, 7]], { maxLen: 4 })).logProbs[0] - 1e-4);
 * model.dispose();
 * ```
 */
export async function beamSearch(
  model: Transformer,
  sources: readonly (readonly number[])[],
  opts: BeamOptions = {},
): Promise<BeamDecoded> {
  const what = "run beam search";
  const { beamWidth: k = 4, lengthPenalty = 0 } = opts;
  checkPositiveInteger(k, "beamWidth", what);
  if (!(lengthPenalty >= 0)) {
    throw new RangeError(`Cannot ${what} as lengthPenalty must be a number >= 0: current value is ${lengthPenalty}`);
  }
  const { maxLen, batchSize } = settings(model, sources, opts, what);
  const { padId, bosId, eosId, vocabSize: v } = model.config;
  const rank = (b: Beam) =>
    b.logProb / (lengthPenalty > 0 ? (b.ids.length + (b.finished ? 1 : 0)) ** lengthPenalty : 1);
  const out: BeamDecoded = { ids: [], logProbs: [], finished: [], beams: [] };
  const perChunk = Math.max(1, Math.floor(batchSize / k));
  for (let start = 0; start < sources.length; start += perChunk) {
    const chunk = sources.slice(start, start + perChunk), n = chunk.length, rows = n * k;
    // Row n·k + j is beam j of source n; at first only beam 0 is alive, so step 1 picks k different first tokens.
    let beams: Beam[] = Array.from({ length: rows }, (_, r) => ({
      ids: [],
      logProb: r % k === 0 ? 0 : -Infinity,
      finished: r % k !== 0,
    }));
    const src = padIds(chunk.flatMap((s) => Array(k).fill(s)), padId);
    const enc = model.encode(src);
    const cache = new KvCache();
    const selfLayers = model.decoder.map((_, i) => i); // cross-attention caches are the same for a source's rows
    let input = tf.fill([rows, 1], bosId, "int32") as tf.Tensor2D;
    try {
      for (let step = 0; step < maxLen && beams.some((b) => !b.finished); step++) {
        const lp = await stepLogProbs(model.decode(input, enc, cache));
        const next: Beam[] = [], parents: number[] = [], tokens = new Int32Array(rows).fill(eosId);
        for (let s = 0; s < n; s++) {
          const candidates: { parent: number; token: number; logProb: number }[] = [];
          for (let j = 0; j < k; j++) {
            const r = s * k + j, beam = beams[r];
            if (beam.logProb === -Infinity) continue;
            if (beam.finished) candidates.push({ parent: r, token: -1, logProb: beam.logProb });
            else {for (let t = 0; t < v; t++) {
                candidates.push({ parent: r, token: t, logProb: beam.logProb + lp[r * v + t] });
              }}
          }
          candidates.sort((a, b) => b.logProb - a.logProb); // stable: ties keep the lower beam, then the lower token
          for (let j = 0; j < k; j++) {
            const c = candidates[j];
            if (!c) { // fewer candidates than beams (a tiny vocabulary at the first step)
              next.push({ ids: [], logProb: -Infinity, finished: true });
              parents.push(s * k);
              continue;
            }
            const parent = beams[c.parent];
            const finished = parent.finished || c.token === eosId;
            const ids = c.token >= 0 && c.token !== eosId ? [...parent.ids, c.token] : parent.ids;
            next.push({ ids, logProb: c.logProb, finished });
            parents.push(c.parent);
            if (c.token >= 0) tokens[s * k + j] = c.token;
          }
        }
        beams = next;
        cache.reorder(parents, selfLayers);
        input.dispose();
        input = tf.tensor2d(tokens, [rows, 1], "int32");
      }
    } finally {
      tf.dispose([src, enc.memory, enc.mask, input]);
      cache.dispose();
    }
    for (let s = 0; s < n; s++) {
      const mine = beams.slice(s * k, (s + 1) * k).filter((b) => b.logProb > -Infinity);
      mine.sort((a, b) => rank(b) - rank(a));
      out.beams.push(mine);
      out.ids.push(mine[0].ids);
      out.logProbs.push(mine[0].logProb);
      out.finished.push(mine[0].finished);
    }
  }
  if (opts.attention) out.attention = attentionMaps(model, sources, out.ids, out.finished);
  return out;
}

/**
 * The attention weights that wrote given outputs: one teacher-forced pass per source over `<bos>` and the output
 * (the same numbers the step-by-step decoder computed), cropped to the real positions.
 *
 * @param model The Transformer.
 * @param sources Source id sequences (unpadded).
 * @param outputs The outputs written, without `<bos>` and `<eos>`.
 * @param finished Per output, whether `<eos>` ended it (default: all did).
 * @returns One {@link AttentionMaps} per source.
 * @throws {RangeError} When the lists differ in length or an output is too long for the model.
 * @example
 * ```ts
 * import { attentionMaps, Transformer, TRANSFORMER_TINY } from "@lib/attention/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new Transformer(TRANSFORMER_TINY);
 * const [maps] = attentionMaps(model, [[5, 6, 7]], [[7, 6]]);
 * assert.deepEqual(maps.written, [7, 6, 2]); // then <eos>
 * const row = maps.cross[0][0][0]; // layer 0, head 0, the step that wrote 7
 * assert.ok(Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-5);
 * model.dispose();
 * ```
 */
export function attentionMaps(
  model: Transformer,
  sources: readonly (readonly number[])[],
  outputs: readonly (readonly number[])[],
  finished?: readonly boolean[],
): AttentionMaps[] {
  const { bosId, eosId, maxTgtLen } = model.config;
  if (outputs.length !== sources.length || (finished && finished.length !== sources.length)) {
    throw new RangeError(
      `Cannot compute attention maps as there are ${sources.length} sources and ${outputs.length} outputs` +
        (finished ? ` (${finished.length} finished flags)` : ""),
    );
  }
  return sources.map((source, i) => {
    const written = finished?.[i] === false ? [...outputs[i]] : [...outputs[i], eosId];
    if (written.length + 1 > maxTgtLen) {
      throw new RangeError(`Cannot compute attention maps as output ${i} is longer than maxTgtLen allows`);
    }
    const src = tf.tensor2d([source as number[]], [1, source.length], "int32");
    const tgt = tf.tensor2d([[bosId, ...written]], [1, written.length + 1], "int32");
    const { logits, loss, attention } = model.forward(src, tgt, { attention: true });
    const read = (ts: tf.Tensor4D[]) => ts.map((t) => (t.arraySync() as number[][][][])[0]);
    const maps = {
      source: [...source],
      written,
      encoder: read(attention!.encoder),
      decoder: read(attention!.decoder),
      cross: read(attention!.cross),
    };
    tf.dispose([src, tgt, logits, loss!, ...attention!.encoder, ...attention!.decoder, ...attention!.cross]);
    return maps;
  });
}
