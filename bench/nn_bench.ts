/**
 * Neural-network training benchmarks, one section per model, each timed beside the same model in PyTorch (one
 * thread, same machine, same run, interleaved round by round so that both see the same load).
 *
 * `deno task bench:nn` runs every section; `deno task bench:nn --only cnn` one of them. Flags after the section
 * name go to it (`--rounds`, `--steps`, …; `--help` lists them). A section lives in its own file (bench/nn_cnn.ts,
 * bench/nn_lstm.ts, bench/nn_long_range.ts) and is one line of {@link SECTIONS}.
 *
 * @module
 */
import { cnnSection } from "./nn_cnn.ts";
import { lstmSection } from "./nn_lstm.ts";
import { longRangeSection } from "./nn_long_range.ts";
import type { NnSection } from "./_nn_section.ts";

/** The sections, by name, in the order they run. */
export const SECTIONS: Readonly<Record<string, NnSection>> = Object.freeze({
  cnn: cnnSection,
  lstm: lstmSection,
  "long-range": longRangeSection,
});

/** Parses `--only NAME[,NAME]` out of `args`; returns the sections to run and the remaining arguments. */
export function pickSections(args: readonly string[]): { names: string[]; rest: string[] } {
  const rest = [...args];
  const at = rest.findIndex((a) => a === "--only" || a.startsWith("--only="));
  if (at < 0) return { names: Object.keys(SECTIONS), rest };
  const value = rest[at].includes("=") ? rest[at].split("=")[1] : rest[at + 1];
  rest.splice(at, rest[at].includes("=") ? 1 : 2);
  const names = (value ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(n in SECTIONS));
  if (names.length === 0 || unknown.length > 0) {
    throw new RangeError(
      `Cannot run bench:nn as --only must name sections among ${Object.keys(SECTIONS).join(", ")}: ` +
        `current value is ${JSON.stringify(value ?? "")}`,
    );
  }
  return { names, rest };
}

if (import.meta.main) {
  const { names, rest } = pickSections(Deno.args);
  for (const name of names) {
    console.log(`\n== bench:nn ${name} ==`);
    await SECTIONS[name](rest);
  }
}
