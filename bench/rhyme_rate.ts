/**
 * The labeler's rhyme rule on real Tang quatrains: how often lines 2 and 4 rhyme under lib/rlhf/rhyme.ts, by line
 * length and source, with the key pairs that miss most (most are Tang rhymes modern Mandarin lost: 衣/归 i–ei,
 * 斜/家 e–a).
 *
 *   deno run -A bench/rhyme_rate.ts
 */
import { loadPoems } from "@lib/data/poems.ts";
import { lineRhyme, rhymeRate } from "@lib/rlhf/mod.ts";

const corpus = await loadPoems();
const all = [...corpus.train, ...corpus.val];
const t0 = performance.now();
const report = rhymeRate(all.map((p) => p.lines), 12);
const ms = performance.now() - t0;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
console.log(`all ${report.poems} quatrains: ${pct(report.rate)} rhyme on lines 2/4 (${ms.toFixed(0)} ms)`);
for (const n of [5, 7]) {
  const some = all.filter((p) => p.lines[0].length === n);
  console.log(`${n}-character: ${some.length} quatrains, ${pct(rhymeRate(some.map((p) => p.lines)).rate)}`);
}
for (const source of new Set(all.map((p) => p.source))) {
  const some = all.filter((p) => p.source === source);
  console.log(`${source}: ${some.length} quatrains, ${pct(rhymeRate(some.map((p) => p.lines)).rate)}`);
}
const pairs = new Map<string, number>();
for (const p of all) {
  const a = lineRhyme(p.lines[1]), b = lineRhyme(p.lines[3]);
  if (a !== b || a === null) pairs.set([a, b].sort().join(" vs "), (pairs.get([a, b].sort().join(" vs ")) ?? 0) + 1);
}
console.log(
  "misses by key pair:",
  [...pairs].sort((x, y) => y[1] - x[1]).slice(0, 10).map(([k, v]) => `${k} ${v}`).join(", "),
);
console.log("some misses:\n" + report.misses.join("\n"));
