import assert from "node:assert/strict";
import fc from "fast-check";
import { tf } from "@lib/core/mod.ts";
import { Neuron, topologicalOrder, Value, ValueMlp } from "@lib/nn/value.ts";

/** Relative agreement: |a − b| ≤ tol · max(1, |b|) (tfjs computes in float32, our engine in float64). */
const near = (a: number, b: number, tol = 1e-4) => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

// A random expression over three inputs, as a tree. `pos` subtrees are positive by construction (what log and the
// negative or fractional powers are applied to).
type Expr =
  | { op: "x"; i: number }
  | { op: "c"; c: number }
  | { op: "add" | "mul" | "sub"; a: Expr; b: Expr }
  | { op: "tanh" | "relu" | "neg" | "exp" | "log"; a: Expr }
  | { op: "pow"; a: Expr; n: number };

const INPUTS = 3;
const small = fc.double({ min: -2, max: 2, noNaN: true }).map(Math.fround);
const { any } = fc.letrec<{ any: Expr; pos: Expr }>((tie) => ({
  any: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.record({ op: fc.constant("x" as const), i: fc.integer({ min: 0, max: INPUTS - 1 }) }),
    fc.record({ op: fc.constant("c" as const), c: small }),
    fc.record({ op: fc.constantFrom("add" as const, "mul" as const, "sub" as const), a: tie("any"), b: tie("any") }),
    fc.record({ op: fc.constantFrom("tanh" as const, "relu" as const, "neg" as const), a: tie("any") }),
    fc.record({ op: fc.constant("log" as const), a: tie("pos") }),
    fc.record({ op: fc.constant("pow" as const), a: tie("any"), n: fc.constantFrom(2, 3) }),
    tie("pos"),
  ),
  pos: fc.oneof(
    { depthSize: "small" },
    fc.record({ op: fc.constant("exp" as const), a: tie("any") }),
    fc.record({ op: fc.constant("pow" as const), a: tie("pos"), n: fc.constantFrom(-1, 0.5, 1.5) }),
    // a² + c with c > 0
    fc.tuple(tie("any"), fc.double({ min: 0.1, max: 2, noNaN: true }).map(Math.fround)).map(([a, c]) =>
      ({ op: "add", a: { op: "pow", a, n: 2 }, b: { op: "c", c } }) as Expr
    ),
  ),
})) as unknown as { any: fc.Arbitrary<Expr> };

/** The operations an expression needs, so that one interpreter runs it on Values, tensors or plain numbers. */
interface Algebra<T> {
  x(i: number): T;
  c(c: number): T;
  add(a: T, b: T): T;
  mul(a: T, b: T): T;
  sub(a: T, b: T): T;
  tanh(a: T): T;
  relu(a: T): T;
  neg(a: T): T;
  exp(a: T): T;
  log(a: T): T;
  pow(a: T, n: number): T;
}

function evaluate<T>(e: Expr, alg: Algebra<T>): T {
  switch (e.op) {
    case "x":
      return alg.x(e.i);
    case "c":
      return alg.c(e.c);
    case "add":
    case "mul":
    case "sub":
      return alg[e.op](evaluate(e.a, alg), evaluate(e.b, alg));
    case "pow":
      return alg.pow(evaluate(e.a, alg), e.n);
    default:
      return alg[e.op](evaluate(e.a, alg));
  }
}

/** Plain numbers, recording whether the expression stays away from overflow, kinks and the edges of log's domain. */
function isTame(e: Expr, xs: number[]): boolean {
  let tame = true;
  const watch = (v: number) => {
    if (!(Math.abs(v) < 1e3)) tame = false;
    return v;
  };
  evaluate<number>(e, {
    x: (i) => xs[i],
    c: (c) => c,
    add: (a, b) => watch(a + b),
    mul: (a, b) => watch(a * b),
    sub: (a, b) => watch(a - b),
    tanh: (a) => Math.tanh(a),
    relu: (a) => {
      if (Math.abs(a) < 1e-3) tame = false; // float32 and float64 may disagree on the side of the kink
      return Math.max(0, a);
    },
    neg: (a) => -a,
    exp: (a) => watch(Math.exp(a)),
    log: (a) => {
      if (a < 1e-2) tame = false;
      return Math.log(a);
    },
    pow: (a, n) => {
      if (n < 1 && a < 1e-2) tame = false;
      return watch(a ** n);
    },
  });
  return tame;
}

function withValues(e: Expr, xs: number[]): { y: number; grads: number[] } {
  const leaves = xs.map((x) => new Value(x));
  const y = evaluate<Value>(e, {
    x: (i) => leaves[i],
    c: (c) => new Value(c),
    add: (a, b) => a.add(b),
    mul: (a, b) => a.mul(b),
    sub: (a, b) => a.sub(b),
    tanh: (a) => a.tanh(),
    relu: (a) => a.relu(),
    neg: (a) => a.neg(),
    exp: (a) => a.exp(),
    log: (a) => a.log(),
    pow: (a, n) => a.pow(n),
  });
  y.backward();
  return { y: y.data, grads: leaves.map((l) => l.grad) };
}

function withTfjs(e: Expr, xs: number[]): { y: number; grads: number[] } {
  return tf.tidy(() => {
    const f = (...leaves: tf.Tensor[]) => {
      const y = evaluate<tf.Tensor>(e, {
        x: (i) => leaves[i],
        c: (c) => tf.scalar(c),
        add: tf.add,
        mul: tf.mul,
        sub: tf.sub,
        tanh: tf.tanh,
        relu: tf.relu,
        neg: tf.neg,
        exp: tf.exp,
        log: tf.log,
        pow: (a, n) => tf.pow(a, tf.scalar(n)),
      });
      // every input takes part (tf.grads refuses an input the output does not depend on); 0·x adds nothing
      return leaves.reduce((s: tf.Tensor, l) => tf.add(s, tf.mul(l, 0)), y) as tf.Scalar;
    };
    const inputs = xs.map((x) => tf.scalar(x));
    const y = f(...inputs).dataSync()[0];
    const grads = tf.grads(f)(inputs).map((g) => g.dataSync()[0]);
    return { y, grads };
  });
}

Deno.test("Value: gradients of random expressions equal tfjs's tf.grads within relative 1e-4", () => {
  const before = tf.memory().numTensors;
  let checked = 0;
  fc.assert(
    fc.property(any, fc.array(small, { minLength: INPUTS, maxLength: INPUTS }), (e, xs) => {
      fc.pre(isTame(e, xs));
      const ours = withValues(e, xs), theirs = withTfjs(e, xs);
      checked++;
      assert.ok(near(ours.y, theirs.y), `value: ours ${ours.y}, tfjs ${theirs.y}\n${JSON.stringify(e)} at ${xs}`);
      ours.grads.forEach((g, i) =>
        assert.ok(
          near(g, theirs.grads[i]),
          `∂/∂x${i}: ours ${g}, tfjs ${theirs.grads[i]}\n${JSON.stringify(e)} at ${xs}`,
        )
      );
    }),
    { numRuns: 400, seed: 1337 },
  );
  assert.ok(checked >= 300, `only ${checked} of 400 expressions were tame enough to compare`);
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("Value: every op on its own matches its derivative in closed form", () => {
  const cases: [string, (v: Value) => Value, (x: number) => number, number][] = [
    ["pow 3", (v) => v.pow(3), (x) => 3 * x * x, -1.5],
    ["pow -1", (v) => v.pow(-1), (x) => -1 / (x * x), 2],
    ["exp", (v) => v.exp(), Math.exp, 0.7],
    ["log", (v) => v.log(), (x) => 1 / x, 0.3],
    ["tanh", (v) => v.tanh(), (x) => 1 - Math.tanh(x) ** 2, -0.4],
    ["relu +", (v) => v.relu(), () => 1, 0.2],
    ["relu −", (v) => v.relu(), () => 0, -0.2],
    ["sigmoid", (v) => v.sigmoid(), (x) => Math.exp(-x) / (1 + Math.exp(-x)) ** 2, 0.5],
    ["div", (v) => new Value(3).div(v), (x) => -3 / (x * x), 1.5],
  ];
  for (const [name, f, df, x0] of cases) {
    const x = new Value(x0);
    f(x).backward();
    assert.ok(Math.abs(x.grad - df(x0)) < 1e-12, `${name}: ${x.grad} vs ${df(x0)}`);
  }
});

Deno.test("Value: micrograd's README example gives PyTorch's numbers (g 24.7041, ∂g/∂a 138.8338, ∂g/∂b 645.5773)", () => {
  const a = new Value(-4), b = new Value(2);
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c.add(1));
  c = c.add(new Value(1).add(c).add(a.neg()));
  d = d.add(d.mul(2).add(b.add(a).relu()));
  d = d.add(new Value(3).mul(d).add(b.sub(a).relu()));
  const e = c.sub(d);
  const f = e.pow(2);
  let g = f.div(2);
  g = g.add(new Value(10).div(f));
  g.backward();
  assert.equal(g.data.toFixed(4), "24.7041");
  assert.equal(a.grad.toFixed(4), "138.8338");
  assert.equal(b.grad.toFixed(4), "645.5773");
});

Deno.test("Value: a value used twice gets both gradients; topological order puts inputs first, each value once", () => {
  const x = new Value(3, [], "", "x");
  const y = x.mul(x); // x²
  const z = y.add(x); // x² + x
  const order = topologicalOrder(z);
  assert.equal(order.length, 3);
  assert.deepEqual(order.map((v) => v.label || v.op), ["x", "*", "+"]);
  z.backward();
  assert.equal(x.grad, 7);
  z.backward(); // gradients add up, as in PyTorch
  assert.equal(x.grad, 14);
  assert.equal(String(z), "Value(data=12, grad=1)");
});

Deno.test("ValueMlp: the loss gradient of every weight equals tfjs's for the same network and batch", () => {
  const mlp = new ValueMlp(2, [5, 3, 1], { seed: 42 });
  const X = [[0.5, -1], [1.5, 0.3], [-0.7, 0.2], [0, 1]], Y = [1, -1, 0.5, 0];
  const losses = X.map((x, i) => mlp.call(x)[0].sub(Y[i]).pow(2));
  const loss = Value.sum(losses).div(X.length);
  loss.backward();
  const layers = mlp.weights();
  const before = tf.memory().numTensors;
  const tfGrads = tf.tidy(() => {
    const params = layers.flatMap((l) => [tf.tensor2d(l.W), tf.tensor1d(l.b)]);
    const f = (...p: tf.Tensor[]) => {
      let h: tf.Tensor = tf.tensor2d(X);
      for (let l = 0; l < layers.length; l++) {
        const z = tf.add(tf.matMul(h as tf.Tensor2D, p[2 * l] as tf.Tensor2D), p[2 * l + 1]);
        h = l < layers.length - 1 ? tf.tanh(z) : z;
      }
      return tf.mean(tf.square(tf.sub(h.reshape([-1]), tf.tensor1d(Y)))) as tf.Scalar;
    };
    const value = f(...params).dataSync()[0];
    return { value, grads: tf.grads(f)(params).map((g) => Array.from(g.dataSync())) };
  });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(near(loss.data, tfGrads.value), `loss ${loss.data} vs ${tfGrads.value}`);
  mlp.layers.forEach((layer, l) => {
    const [gW, gb] = [tfGrads.grads[2 * l], tfGrads.grads[2 * l + 1]];
    layer.forEach((n, j) => {
      n.w.forEach((w, i) => assert.ok(near(w.grad, gW[i * layer.length + j]), `layer ${l} w[${i}][${j}]`));
      assert.ok(near(n.b.grad, gb[j]), `layer ${l} b[${j}]`);
    });
  });
  assert.equal(mlp.numParams(), 2 * 5 + 5 + 5 * 3 + 3 + 3 + 1);
});

Deno.test("ValueMlp: gradient descent learns XOR", () => {
  const mlp = new ValueMlp(2, [4, 1], { seed: 3 });
  const X = [[0, 0], [0, 1], [1, 0], [1, 1]], Y = [-1, 1, 1, -1];
  let loss = Infinity;
  for (let step = 0; step < 200; step++) {
    const l = Value.sum(X.map((x, i) => mlp.call(x)[0].sub(Y[i]).pow(2)));
    mlp.zeroGrad();
    l.backward();
    for (const p of mlp.parameters()) p.data -= 0.05 * p.grad;
    loss = l.data;
  }
  assert.ok(loss < 0.05, `loss after 200 steps: ${loss}`);
  assert.deepEqual(X.map((x) => Math.sign(mlp.call(x)[0].data)), Y);
});

Deno.test("Value, Neuron, ValueMlp: bad arguments are refused with the value in the message", () => {
  assert.throws(
    () => new Value("1" as unknown as number),
    /Cannot make a Value as data must be a number: got string 1/,
  );
  assert.throws(
    () => new Value(-1).log(),
    /Cannot take the log of a Value as it must be positive: current value is -1/,
  );
  assert.throws(
    () => new Value(2).pow(new Value(2) as unknown as number),
    /Cannot raise a Value to a power as n must be a finite number/,
  );
  assert.throws(() => new Neuron(0), /inputs must be a positive integer/);
  assert.throws(() => new Neuron(2, "sigmoid" as "tanh"), /activation must be "tanh", "relu" or "linear"/);
  assert.throws(() => new Neuron(2).call([1]), /Cannot run a Neuron as it takes 2 inputs: got 1/);
  assert.throws(() => new ValueMlp(2, []), /Cannot create a ValueMlp as sizes must list at least one layer/);
  assert.throws(() => new ValueMlp(2, [3, 0]), /sizes\[1\] must be a positive integer/);
});
