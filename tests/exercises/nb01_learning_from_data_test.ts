import assert from "node:assert/strict";
import { runCheck } from "@lib/exercises/check.ts";
import {
  DIVERGING_RATE,
  DIVERGING_RATE_EXERCISE,
  GRADIENT_BY_HAND,
  type XY,
  type ZaoExample,
} from "@lib/exercises/nb01_learning_from_data.ts";
import { encodeExample, gradient, gradientDescent } from "@lib/ml/zao_shang_hao.ts";

const quiet = { log: () => {} };
const TWO = [encodeExample("早上", "好"), encodeExample("上早", "好")];

Deno.test("01-gradient: the reference agrees with the worked example's gradient, and the three usual slips get their hints", async () => {
  for (const p of [{ x: 0, y: 0 }, { x: -1, y: 2 }, { x: 0.3, y: 1.7 }]) {
    assert.deepEqual(GRADIENT_BY_HAND.reference(p, TWO), gradient(p, TWO));
  }
  const hint = async (f: (p: XY, es: readonly ZaoExample[]) => XY) =>
    (await runCheck(GRADIENT_BY_HAND, f, quiet)).text();
  const sums = (p: XY, es: readonly ZaoExample[], k: number, sign: number, mean: boolean) => {
    let x = 0, y = 0;
    for (const e of es) {
      const err = sign * (e.a * p.x + e.b * p.y - e.target);
      x += k * err * e.a;
      y += k * err * e.b;
    }
    return mean ? { x: x / es.length, y: y / es.length } : { x, y };
  };
  assert.match(await hint((p, es) => sums(p, es, 2, 1, true)), /^✓/);
  assert.match(await hint((p, es) => sums(p, es, 1, 1, true)), /keep the factor 2/);
  assert.match(await hint((p, es) => sums(p, es, 2, -1, true)), /points the wrong way/);
  assert.match(await hint((p, es) => sums(p, es, 2, 1, false)), /average the examples' gradients/);
});

Deno.test("01-diverging-rate: descent converges just below 2/9 and diverges just above", () => {
  const lossAfter = (learningRate: number) =>
    gradientDescent(TWO, { start: { x: -1, y: 2 }, learningRate, steps: 400 });
  const below = lossAfter(DIVERGING_RATE - 0.003), above = lossAfter(DIVERGING_RATE + 0.003);
  assert.ok(below.at(-1)!.loss < below[0].loss * 1e-3);
  assert.ok(above.at(-1)!.loss > above[0].loss);
});

Deno.test("01-diverging-rate: a bisection passes, the 0.2 of the chart does not", async () => {
  const bisect = () => {
    let lo = 0.2, hi = 0.23;
    for (let i = 0; i < 30; i++) {
      const mid = (lo + hi) / 2;
      const path = gradientDescent(TWO, { start: { x: -1, y: 2 }, learningRate: mid, steps: 500 });
      if (path.at(-1)!.loss > path[0].loss) hi = mid;
      else lo = mid;
    }
    return (lo + hi) / 2;
  };
  assert.equal((await runCheck(DIVERGING_RATE_EXERCISE, bisect, quiet)).passed, true);
  assert.equal((await runCheck(DIVERGING_RATE_EXERCISE, () => 0.2, quiet)).reason, "check.wrong_value");
});
