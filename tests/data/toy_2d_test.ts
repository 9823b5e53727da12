import assert from "node:assert/strict";
import { circles, twoMoons, twoSpirals, xorBlobs } from "@lib/data/toy_2d.ts";
import { LogisticRegression } from "@lib/ml/mod.ts";

const MAKERS = { xorBlobs, twoMoons, circles, twoSpirals };

Deno.test("toy 2-D sets: n rows of two features, labels 0/1 balanced, same seed same points, another seed others", () => {
  for (const [name, make] of Object.entries(MAKERS)) {
    for (const n of [1, 7, 200]) {
      const ds = make(n);
      assert.equal(ds.X.length, n, name);
      assert.ok(ds.X.every((row) => row.length === 2 && row.every(Number.isFinite)), name);
      const ones = ds.y.filter((c) => c === 1).length;
      assert.ok(ds.y.every((c) => c === 0 || c === 1), name);
      assert.ok(Math.abs(ones - n / 2) <= 1, `${name}(${n}): ${ones} of class 1`);
      assert.deepEqual(ds.featureNames, ["x1", "x2"]);
    }
    assert.deepEqual(make(50).X, make(50, { seed: 1337 }).X, name);
    assert.notDeepEqual(make(50).X, make(50, { seed: 7 }).X, name);
  }
});

Deno.test("toy 2-D sets: the points are shuffled (the classes are not in two blocks)", () => {
  for (const [name, make] of Object.entries(MAKERS)) {
    const { y } = make(100);
    const firstHalf = y.slice(0, 50).filter((c) => c === 1).length;
    assert.ok(firstHalf > 10 && firstHalf < 40, `${name}: ${firstHalf} of class 1 in the first half`);
  }
});

Deno.test("toy 2-D sets without noise lie on their curves", () => {
  const moons = twoMoons(60, { noise: 0 });
  moons.X.forEach(([a, b], i) => {
    const [cx, cy] = moons.y[i] === 0 ? [0, 0] : [1, 0.5];
    assert.ok(Math.abs(Math.hypot(a - cx, b - cy) - 1) < 1e-5, `moon point ${i}`);
    assert.ok(moons.y[i] === 0 ? b >= -1e-6 : b <= 0.5 + 1e-6);
  });
  const spirals = twoSpirals(60, { noise: 0, turns: 2 });
  spirals.X.forEach(([a, b], i) => {
    const s = Math.hypot(a, b);
    const angle = 2 * Math.PI * 2 * s + spirals.y[i] * Math.PI;
    assert.ok(Math.hypot(a - s * Math.cos(angle), b - s * Math.sin(angle)) < 1e-5, `spiral point ${i}`);
  });
  const xor = xorBlobs(12, { noise: 0 });
  assert.ok(xor.X.every(([a, b]) => Math.abs(a) === 1 && Math.abs(b) === 1));
});

Deno.test("toy 2-D sets: a straight line cannot split XOR or the circles, but does well on the moons", () => {
  const linear = (make: (n: number) => { X: number[][]; y: number[] }) => {
    const { X, y } = make(400);
    return new LogisticRegression({ epochs: 300 }).fit(X, y).score(X, y);
  };
  assert.ok(linear(xorBlobs) < 0.7, `xor: ${linear(xorBlobs)}`);
  assert.ok(linear(circles) < 0.7, `circles: ${linear(circles)}`);
  assert.ok(linear(twoSpirals) < 0.75, `spirals: ${linear(twoSpirals)}`);
  assert.ok(linear(twoMoons) > 0.8, `moons: ${linear(twoMoons)}`);
});

Deno.test("toy 2-D sets: bad arguments are refused with the value in the message", () => {
  assert.throws(() => xorBlobs(0), /Cannot make the XOR blobs as n must be a positive integer: current value is 0/);
  assert.throws(
    () => twoMoons(10, { noise: -1 }),
    /Cannot make the two moons as noise must be a number >= 0: current value is -1/,
  );
  assert.throws(
    () => circles(10, { factor: 1 }),
    /Cannot make the circles as factor must be in \(0, 1\): current value is 1/,
  );
  assert.throws(() => twoSpirals(10, { turns: 0 }), /Cannot make the two spirals as turns must be a positive number/);
});
