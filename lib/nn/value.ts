/**
 * A scalar automatic-differentiation engine written to be read (karpathy's micrograd, in TypeScript), and a tiny
 * MLP built on it.
 *
 * A {@link Value} holds one number (`data`), the derivative of a final result with respect to it (`grad`), and the
 * values it was computed from. Every operation makes a new Value and remembers, beside its forward rule, how to pass
 * a gradient back to its inputs (the chain rule for that one operation):
 *
 * | op         | forward         | backward: what each input's `grad` gains |
 * | ---------- | --------------- | ---------------------------------------- |
 * | `a.add(b)` | a + b           | a: 1 · g, b: 1 · g                       |
 * | `a.mul(b)` | a · b           | a: b · g, b: a · g                       |
 * | `a.pow(n)` | aⁿ (n a number) | a: n · aⁿ⁻¹ · g                          |
 * | `a.exp()`  | eᵃ              | a: eᵃ · g                                |
 * | `a.log()`  | ln a            | a: g / a                                 |
 * | `a.tanh()` | tanh a          | a: (1 − tanh² a) · g                     |
 * | `a.relu()` | max(0, a)       | a: (a > 0 ? 1 : 0) · g                   |
 *
 * (g is the output's own `grad`.) `neg`, `sub`, `div` and `sigmoid` are made of these, so their gradients come for
 * free. {@link Value.backward} sorts the graph so that every value comes after the values it was made from
 * (topological order), sets the result's `grad` to 1 and runs the backward rules from the result back to the
 * inputs: each value's `grad` is complete before it is passed on. That is backpropagation (反向传播).
 *
 * Gradients add up (`+=`), as in PyTorch: a value used twice gets both contributions, and the inputs' gradients from
 * a second `backward()` add to the first's, so clear the parameters' `grad` before each step
 * ({@link ValueMlp.zeroGrad}).
 *
 * The engine uses JavaScript's 64-bit numbers and one object per number: fine for a few hundred weights, far too
 * slow for real networks, which do the same on whole tensors (tfjs, `tf.grads`). tests/nn/value_test.ts checks it
 * against tfjs's gradients on random expressions.
 *
 * @module
 */
import { DISPLAY, formatNumber, type MimeBundle } from "../notebook/display.ts";
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/** A Value or a plain number (turned into a constant Value). */
export type Operand = Value | number;

/**
 * One number in a computation, with its gradient and the graph that produced it.
 *
 * @example
 * ```ts
 * import { Value } from "@lib/nn/value.ts";
 * import assert from "node:assert/strict";
 * const x = new Value(3), y = new Value(-2);
 * const f = x.mul(y).add(x.pow(2)); // f = x·y + x² = 3
 * f.backward();
 * assert.equal(f.data, 3);
 * assert.equal(x.grad, -2 + 2 * 3); // ∂f/∂x = y + 2x
 * assert.equal(y.grad, 3); // ∂f/∂y = x
 * ```
 */
export class Value {
  /** The number. */
  data: number;
  /** ∂(the value `backward` was called on)/∂(this value); 0 until then. */
  grad = 0;
  /** The values this one was computed from (none for an input or a weight). */
  readonly children: readonly Value[];
  /** The operation that made it: `+`, `*`, `^2`, `exp`, `log`, `tanh`, `relu`, or "" for an input. */
  readonly op: string;
  /** A name to show (`w1`, `loss`); optional. */
  label: string;
  /** Adds this value's share of the gradient to its children's `grad` (set by the op that made it). */
  #backward: () => void = () => {};

  /**
   * @param data The number.
   * @param children The values it was computed from (used by the ops; leave empty for an input).
   * @param op The operation's name (used by the ops).
   * @param label A name to show.
   * @throws {TypeError} When data is not a number.
   */
  constructor(data: number, children: readonly Value[] = [], op = "", label = "") {
    if (typeof data !== "number") {
      throw new TypeError(`Cannot make a Value as data must be a number: got ${typeof data} ${String(data)}`);
    }
    this.data = data;
    this.children = children;
    this.op = op;
    this.label = label;
  }

  /** `this + other`. */
  add(other: Operand): Value {
    const o = toValue(other);
    const out = new Value(this.data + o.data, [this, o], "+");
    out.#backward = () => {
      this.grad += out.grad;
      o.grad += out.grad;
    };
    return out;
  }

  /** `this · other`. */
  mul(other: Operand): Value {
    const o = toValue(other);
    const out = new Value(this.data * o.data, [this, o], "*");
    out.#backward = () => {
      this.grad += o.data * out.grad;
      o.grad += this.data * out.grad;
    };
    return out;
  }

  /**
   * `thisⁿ` for a constant exponent.
   *
   * @param n The exponent, a plain number (2 squares, −1 is 1/x, 0.5 the square root).
   * @throws {TypeError} When n is not a finite number (a Value exponent is not supported).
   */
  pow(n: number): Value {
    if (typeof n !== "number" || !Number.isFinite(n)) {
      throw new TypeError(`Cannot raise a Value to a power as n must be a finite number: got ${String(n)}`);
    }
    const out = new Value(this.data ** n, [this], `^${n}`);
    out.#backward = () => {
      this.grad += n * this.data ** (n - 1) * out.grad;
    };
    return out;
  }

  /** `e^this`. */
  exp(): Value {
    const out = new Value(Math.exp(this.data), [this], "exp");
    out.#backward = () => {
      this.grad += out.data * out.grad; // d/dx eˣ = eˣ, which is the output itself
    };
    return out;
  }

  /**
   * The natural logarithm.
   *
   * @throws {RangeError} When this value is not positive.
   */
  log(): Value {
    if (!(this.data > 0)) {
      throw new RangeError(`Cannot take the log of a Value as it must be positive: current value is ${this.data}`);
    }
    const out = new Value(Math.log(this.data), [this], "log");
    out.#backward = () => {
      this.grad += out.grad / this.data;
    };
    return out;
  }

  /** The hyperbolic tangent, squashing into (−1, 1). */
  tanh(): Value {
    const t = Math.tanh(this.data);
    const out = new Value(t, [this], "tanh");
    out.#backward = () => {
      this.grad += (1 - t * t) * out.grad;
    };
    return out;
  }

  /** `max(0, this)`: the rectified linear unit (its slope at 0 is taken as 0, as in PyTorch and tfjs). */
  relu(): Value {
    const out = new Value(this.data > 0 ? this.data : 0, [this], "relu");
    out.#backward = () => {
      this.grad += (this.data > 0 ? 1 : 0) * out.grad;
    };
    return out;
  }

  /** `−this`, made of `mul`. */
  neg(): Value {
    return this.mul(-1);
  }

  /** `this − other`, made of `add` and `neg`. */
  sub(other: Operand): Value {
    return this.add(toValue(other).neg());
  }

  /** `this / other`, made of `mul` and `pow(−1)`. */
  div(other: Operand): Value {
    return this.mul(toValue(other).pow(-1));
  }

  /** The logistic function `1 / (1 + e^−this)`, made of `neg`, `exp`, `add` and `pow(−1)`. */
  sigmoid(): Value {
    return this.neg().exp().add(1).pow(-1);
  }

  /**
   * Backpropagation: sets this value's `grad` to 1 and adds to every value it depends on the derivative of this
   * value with respect to it, running each op's backward rule once, from this value back to the inputs. The
   * intermediate values' `grad` start from 0; the inputs' (the leaves: weights, data) add up over calls.
   *
   * @example
   * ```ts
   * import { Value } from "@lib/nn/value.ts";
   * import assert from "node:assert/strict";
   * const a = new Value(2);
   * const b = a.mul(a).add(a); // a² + a: a is used three times
   * b.backward();
   * assert.equal(a.grad, 5); // 2a + 1
   * ```
   */
  backward(): void {
    const order = topologicalOrder(this);
    for (const v of order) if (v.children.length > 0) v.grad = 0; // intermediate values start afresh
    this.grad = 1;
    for (let i = order.length - 1; i >= 0; i--) order[i].#backward();
  }

  /**
   * The sum of several values, as one chain of `add`s.
   *
   * @param values The terms (numbers become constants).
   * @returns Their sum (a constant 0 for none).
   * @example
   * ```ts
   * import { Value } from "@lib/nn/value.ts";
   * import assert from "node:assert/strict";
   * assert.equal(Value.sum([new Value(1), 2, new Value(3)]).data, 6);
   * ```
   */
  static sum(values: readonly Operand[]): Value {
    if (values.length === 0) return new Value(0);
    return values.slice(1).reduce<Value>((s, v) => s.add(v), toValue(values[0]));
  }

  /** `Value(data=…, grad=…)`. */
  toString(): string {
    const name = this.label ? `${this.label}: ` : "";
    return `Value(${name}data=${formatNumber(this.data)}, grad=${formatNumber(this.grad)})`;
  }

  /** Shown in a notebook as its text. */
  [DISPLAY](): MimeBundle {
    return { "text/plain": this.toString() };
  }
}

function toValue(x: Operand): Value {
  return x instanceof Value ? x : new Value(x);
}

/**
 * Every value `root` depends on, itself last, each after all the values it was computed from (depth-first, each
 * value once however often it is used): the order of the forward pass, and reversed, of the backward pass.
 *
 * @param root The final value (usually the loss).
 * @returns The values in topological order.
 * @example
 * ```ts
 * import { topologicalOrder, Value } from "@lib/nn/value.ts";
 * import assert from "node:assert/strict";
 * const x = new Value(1, [], "", "x");
 * const y = x.mul(2).add(x);
 * assert.deepEqual(topologicalOrder(y).map((v) => v.label || v.op), ["x", "", "*", "+"]); // "" is the constant 2
 * ```
 */
export function topologicalOrder(root: Value): Value[] {
  const order: Value[] = [], seen = new Set<Value>();
  const visit = (v: Value) => {
    if (seen.has(v)) return;
    seen.add(v);
    for (const child of v.children) visit(child);
    order.push(v);
  };
  visit(root);
  return order;
}

/** The nonlinearity of a {@link Neuron}: `tanh`, `relu`, or `linear` (none). */
export type Activation = "tanh" | "relu" | "linear";

/**
 * One artificial neuron: `activation(w · x + b)`, its weights drawn uniformly from [−1, 1] and its bias 0.
 *
 * @example
 * ```ts
 * import { Neuron } from "@lib/nn/value.ts";
 * import assert from "node:assert/strict";
 * const n = new Neuron(2, "tanh", 7);
 * n.w[0].data = 1, n.w[1].data = -1, n.b.data = 0.5;
 * assert.equal(n.call([2, 1]).data, Math.tanh(2 - 1 + 0.5));
 * assert.equal(n.parameters().length, 3);
 * ```
 */
export class Neuron {
  /** One weight per input. */
  readonly w: Value[];
  /** The bias. */
  readonly b: Value;
  /** Its nonlinearity. */
  readonly activation: Activation;

  /**
   * @param inputs Number of inputs.
   * @param activation Its nonlinearity (default tanh).
   * @param seed Seed or generator of the weights.
   * @throws {RangeError} When inputs is not a positive integer or the activation is unknown.
   */
  constructor(inputs: number, activation: Activation = "tanh", seed: number | Prng = SEED) {
    checkPositiveInteger(inputs, "inputs", "create a Neuron");
    checkActivation(activation, "create a Neuron");
    const prng = toPrng(seed);
    this.w = Array.from({ length: inputs }, () => new Value(prng.uniform(-1, 1)));
    this.b = new Value(0);
    this.activation = activation;
  }

  /**
   * The neuron's output for one input vector.
   *
   * @param x The inputs (numbers or Values), as many as weights.
   * @throws {RangeError} When x has the wrong length.
   */
  call(x: readonly Operand[]): Value {
    if (x.length !== this.w.length) {
      throw new RangeError(
        `Cannot run a Neuron as it takes ${this.w.length} inputs: got ${x.length}`,
      );
    }
    const z = Value.sum([...this.w.map((w, i) => w.mul(x[i])), this.b]);
    return this.activation === "tanh" ? z.tanh() : this.activation === "relu" ? z.relu() : z;
  }

  /** Its weights, then its bias. */
  parameters(): Value[] {
    return [...this.w, this.b];
  }
}

function checkActivation(activation: string, action: string): void {
  if (!["tanh", "relu", "linear"].includes(activation)) {
    throw new RangeError(
      `Cannot ${action} as activation must be "tanh", "relu" or "linear": current value is "${activation}"`,
    );
  }
}

/**
 * A multilayer perceptron on {@link Value}s (micrograd's MLP): fully connected layers of {@link Neuron}s, the hidden
 * ones with a nonlinearity, the last one linear.
 *
 * @example
 * ```ts
 * import { ValueMlp } from "@lib/nn/value.ts";
 * import assert from "node:assert/strict";
 * const mlp = new ValueMlp(2, [4, 1]); // 2 inputs → 4 tanh neurons → 1 output
 * assert.equal(mlp.numParams(), 2 * 4 + 4 + 4 * 1 + 1);
 * const [y] = mlp.call([1, -1]);
 * const loss = y.sub(1).pow(2);
 * loss.backward();
 * assert.ok(mlp.parameters().some((p) => p.grad !== 0));
 * mlp.zeroGrad();
 * assert.ok(mlp.parameters().every((p) => p.grad === 0));
 * ```
 */
export class ValueMlp {
  /** The layers, input side first: `layers[l][j]` is neuron j of layer l. */
  readonly layers: Neuron[][];

  /**
   * @param inputs Number of inputs.
   * @param sizes Neurons per layer, the last being the outputs, e.g. `[4, 1]`.
   * @param options The hidden layers' activation (default tanh) and the seed of the weights.
   * @throws {RangeError} When a size is not a positive integer, sizes is empty, or the activation is unknown.
   */
  constructor(
    inputs: number,
    sizes: readonly number[],
    options: { activation?: Activation; seed?: number | Prng } = {},
  ) {
    checkPositiveInteger(inputs, "inputs", "create a ValueMlp");
    if (!Array.isArray(sizes) || sizes.length === 0) {
      throw new RangeError(`Cannot create a ValueMlp as sizes must list at least one layer: got [${sizes}]`);
    }
    sizes.forEach((s, i) => checkPositiveInteger(s, `sizes[${i}]`, "create a ValueMlp"));
    const { activation = "tanh", seed = SEED } = options;
    checkActivation(activation, "create a ValueMlp");
    const prng = toPrng(seed);
    const widths = [inputs, ...sizes];
    this.layers = sizes.map((size, l) =>
      Array.from(
        { length: size },
        () => new Neuron(widths[l], l === sizes.length - 1 ? "linear" : activation, prng),
      )
    );
  }

  /** The outputs for one input vector. */
  call(x: readonly Operand[]): Value[] {
    let h: Operand[] = [...x];
    for (const layer of this.layers) h = layer.map((n) => n.call(h));
    return h as Value[];
  }

  /** Every weight and bias, layer by layer, neuron by neuron (weights before bias). */
  parameters(): Value[] {
    return this.layers.flatMap((layer) => layer.flatMap((n) => n.parameters()));
  }

  /** Number of weights and biases. */
  numParams(): number {
    return this.parameters().length;
  }

  /** Sets every parameter's `grad` to 0 (before the next backward pass). */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }

  /**
   * The weights as matrices, for handing to a tensor library: per layer `W` (`[inputs][neurons]`, so that a layer is
   * `x @ W + b`) and `b`.
   */
  weights(): { W: number[][]; b: number[] }[] {
    return this.layers.map((layer) => ({
      W: layer[0].w.map((_, i) => layer.map((n) => n.w[i].data)),
      b: layer.map((n) => n.b.data),
    }));
  }
}
