/**
 * Layers that own their parameters (PyTorch's `nn.Linear`, `nn.LayerNorm`): each adds its variables to a model's
 * {@link Parameters} under GPT-2-style names (`h.0.mlp.c_fc.weight`) and runs the fast functions of layers.ts.
 *
 * @module
 */
import { Prng, SEED, tf, toPrng } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { layerNorm, linear, linearSplit } from "./layers.ts";
import { Parameters } from "./parameters.ts";

/** Settings of a {@link Linear}: bias, and the weights' normal(0, std) draw. */
export interface LinearOptions {
  /** Default true. */
  bias?: boolean;
  /** Default 0.02 (GPT-2). */
  std?: number;
  /** Seed or generator of the weights. Default 1337. */
  seed?: number | Prng;
}

/**
 * A fully connected layer `x @ weight + bias`, weight stored `[in, out]`, bias zero at first.
 *
 * @example
 * ```ts
 * import { Linear, Parameters } from "@lib/nn/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const params = new Parameters();
 * const fc = new Linear(params, "fc", 3, 4);
 * assert.deepEqual(fc.forward(tf.ones([2, 5, 3])).shape, [2, 5, 4]);
 * assert.deepEqual([...params.keys()], ["fc.weight", "fc.bias"]);
 * params.dispose();
 * ```
 */
export class Linear {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;

  /**
   * @param params The model's parameters to add `name.weight` (and `name.bias`) to.
   * @param name The layer's name.
   * @param inputs Input width.
   * @param outputs Output width.
   * @param opts Bias, std, seed.
   * @throws {RangeError} When a width is not a positive integer.
   */
  constructor(params: Parameters, name: string, inputs: number, outputs: number, opts: LinearOptions = {}) {
    checkPositiveInteger(inputs, "inputs", "create linear layer");
    checkPositiveInteger(outputs, "outputs", "create linear layer");
    const { bias = true, std = 0.02, seed = SEED } = opts;
    const w = tf.randomNormal([inputs, outputs], 0, std, "float32", toPrng(seed).tfSeed());
    this.weight = params.add(name + ".weight", w);
    this.bias = bias ? params.add(name + ".bias", tf.zeros([outputs])) : null;
  }

  /** `[..., in]` → `[..., out]`. */
  forward<T extends tf.Tensor>(x: T): T {
    return linear(x, this.weight as tf.Tensor2D, this.bias as tf.Tensor1D | null);
  }

  /** The output cut into `parts` equal blocks on its last axis (e.g. q, k, v), computed fast (see linearSplit). */
  forwardSplit<T extends tf.Tensor>(x: T, parts: number): T[] {
    return linearSplit(x, this.weight as tf.Tensor2D, this.bias as tf.Tensor1D | null, parts);
  }
}

/**
 * Layer normalisation over the last axis with a gain (1 at first) and an optional bias (0 at first).
 *
 * @example
 * ```ts
 * import { LayerNorm, Parameters } from "@lib/nn/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const params = new Parameters();
 * const ln = new LayerNorm(params, "ln_f", 2, false);
 * assert.ok(Math.abs(ln.forward(tf.tensor2d([[1, 3]])).arraySync()[0][1] - 1) < 1e-3);
 * params.dispose();
 * ```
 */
export class LayerNorm {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;

  /**
   * @param params The model's parameters to add `name.weight` (and `name.bias`) to.
   * @param name The layer's name.
   * @param width The normalised axis' size.
   * @param bias Whether it has a bias. Default true.
   * @throws {RangeError} When width is not a positive integer.
   */
  constructor(params: Parameters, name: string, width: number, bias = true) {
    checkPositiveInteger(width, "width", "create LayerNorm");
    this.weight = params.add(name + ".weight", tf.ones([width]));
    this.bias = bias ? params.add(name + ".bias", tf.zeros([width])) : null;
  }

  /** `[..., width]` → the same shape, normalised. */
  forward<T extends tf.Tensor>(x: T): T {
    return layerNorm(x, this.weight as tf.Tensor1D, this.bias as tf.Tensor1D | null);
  }
}
