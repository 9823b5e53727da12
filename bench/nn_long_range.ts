/**
 * Long-range recall benchmark: notebook 08's race, an LSTM against a small attention model with about the same
 * parameters, trained the same steps on lib/data/long_range.ts's recall task (mixed distances), then tested per
 * distance; over several seeds, with each distance's mean ± standard deviation (and min–max) across seeds.
 *
 * In `deno task bench:nn` (bench/nn_bench.ts) this is the `long-range` section, {@link longRangeSection}:
 * `deno task bench:nn --only long-range [--seeds 1,2,3] [--steps 500] [--length 201]` (`--help` lists the flags).
 * The recipe is the notebook's ({@link LONG_RANGE_RECIPE}); keep the two equal.
 *
 * @module
 */
import { AttentionClassifier } from "../lib/attention/mod.ts";
import { tf, useBackend } from "../lib/core/mod.ts";
import {
  accuracyByDistance,
  LONG_RANGE,
  longRangeBatch,
  type LongRangeConfig,
  longRangeVocabulary,
} from "../lib/data/mod.ts";
import { AdamW, LstmClassifier, type Model, train } from "../lib/nn/mod.ts";
import { type Flag, helpText, parseFlags } from "../tools/_gpt_cli.ts";

/** Notebook 08's recipe: sizes of both models, batch, learning rate (warm-up then constant), clipping, steps. */
export const LONG_RANGE_RECIPE = Object.freeze({
  lstm: { embed: 32, hidden: 64 },
  attention: { nEmbd: 48, nHead: 2, nLayer: 1, positions: "sinusoidal" as const },
  batch: 32,
  lr: 3e-3,
  warmup: 20,
  gradClip: 1,
  steps: 500,
  distances: [10, 25, 50, 100, 150, 200],
  examples: 500,
});

/** The two models of the race for a task. */
export function longRangeModels(config: LongRangeConfig, seed: number): { lstm: Model; attention: Model } {
  const { size } = longRangeVocabulary(config), r = LONG_RANGE_RECIPE;
  return {
    lstm: new LstmClassifier({ vocabSize: size, ...r.lstm, classes: config.values }, seed),
    attention: new AttentionClassifier(
      { vocabSize: size, maxLength: config.length, ...r.attention, classes: config.values },
      seed,
    ),
  };
}

/** Trains one model by the recipe for `steps` steps, seeded. */
export async function trainLongRange(model: Model, config: LongRangeConfig, steps: number, seed: number) {
  const r = LONG_RANGE_RECIPE, optimizer = new AdamW(model.params, { weightDecay: 0 });
  try {
    return await train({
      model,
      optimizer,
      steps,
      seed,
      gradClip: r.gradClip,
      progress: false,
      lr: (it) => r.lr * Math.min(1, (it + 1) / r.warmup),
      batches: (_it, prng) => longRangeBatch(config, r.batch, prng),
    });
  } finally {
    optimizer.dispose();
  }
}

/** Mean, sample standard deviation, min and max. */
function stats(xs: number[]) {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd, min: Math.min(...xs), max: Math.max(...xs) };
}

const FLAGS: Record<string, Flag> = {
  seeds: { type: "string", default: "1,2,3", help: "seeds, comma-separated" },
  steps: { type: "int", default: LONG_RANGE_RECIPE.steps, min: 1, help: "training steps of each model" },
  length: { type: "int", default: LONG_RANGE.length, min: 3, help: "positions per sequence (longest distance + 1)" },
  examples: { type: "int", default: LONG_RANGE_RECIPE.examples, min: 1, help: "test sequences per distance" },
};

/**
 * The `long-range` section of bench:nn: for each seed, both models trained and tested per distance; then a table of
 * accuracy (%) by distance, mean ± sd over seeds, and the notebook's full-mode claim checked on the means.
 *
 * @param args Flags (`--help` lists them).
 */
export async function longRangeSection(args: string[]): Promise<void> {
  const f = parseFlags(args, FLAGS);
  if (f === null) {
    console.log(helpText("deno task bench:nn --only long-range [flags]", FLAGS));
    return;
  }
  const seeds = String(f.seeds).split(",").map(Number);
  if (seeds.length === 0 || seeds.some((s) => !Number.isInteger(s))) {
    throw new RangeError(`Cannot run the long-range bench as --seeds must list integers: current value is ${f.seeds}`);
  }
  await useBackend("wasm");
  const config = { ...LONG_RANGE, length: f.length as number }, steps = f.steps as number;
  const distances = LONG_RANGE_RECIPE.distances.filter((d) => d < config.length);
  const acc: Record<"lstm" | "attention", number[][]> = { lstm: [], attention: [] }; // [seed][distance]
  const started = performance.now();
  for (const seed of seeds) {
    const models = longRangeModels(config, seed);
    for (const kind of ["lstm", "attention"] as const) {
      const model = models[kind], t0 = performance.now();
      await trainLongRange(model, config, steps, seed);
      const ms = (performance.now() - t0) / steps;
      const rows = await accuracyByDistance(model, config, distances, { examples: f.examples as number });
      acc[kind].push(rows.map((r) => 100 * r.accuracy));
      console.log(
        `seed ${seed} ${kind.padEnd(9)} ${model.numParams()} parameters, ${steps} steps, ${ms.toFixed(0)} ms/step: ` +
          rows.map((r) => `${r.distance}: ${(100 * r.accuracy).toFixed(1)}`).join("  "),
      );
      model.dispose();
    }
  }
  const load = Deno.loadavg().map((x) => x.toFixed(2)).join(" ");
  console.log(
    `\nAccuracy (%) by distance, mean ± sd over seeds ${seeds.join(", ")} (min–max); ${steps} steps each, batch ` +
      `${LONG_RANGE_RECIPE.batch}, ${config.length} positions; ${
        ((performance.now() - started) / 1000).toFixed(0)
      } s, ` +
      `load ${load}, backend ${tf.getBackend()}`,
  );
  console.log(`model      | ${distances.map((d) => `d = ${d}`.padEnd(21)).join(" | ")}`);
  const means: Record<string, number[]> = {};
  for (const kind of ["lstm", "attention"] as const) {
    const cells = distances.map((_, j) => stats(acc[kind].map((row) => row[j])));
    means[kind] = cells.map((c) => c.mean);
    console.log(
      `${kind.padEnd(10)} | ${
        cells.map((c) =>
          `${c.mean.toFixed(1)} ± ${c.sd.toFixed(1)} (${c.min.toFixed(0)}–${c.max.toFixed(0)})`.padEnd(21)
        ).join(" | ")
      }`,
    );
  }
  const drop = means.lstm[0] - means.lstm.at(-1)!, worst = Math.min(...acc.attention.flat());
  console.log(
    `LSTM loses ${drop.toFixed(1)} points from d = ${distances[0]} to d = ${distances.at(-1)} (claim: ≥ 25); ` +
      `attention's worst distance over all seeds ${worst.toFixed(1)}% (claim: ≥ 95)`,
  );
}

if (import.meta.main) await longRangeSection(Deno.args);
