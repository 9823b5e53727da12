/**
 * Layers that own their parameters (PyTorch's `nn.Linear`, `nn.LayerNorm`, and a Transformer block's MLP): each adds
 * its variables to a model's {@link Parameters} under GPT-2-style names (`h.0.mlp.c_fc.weight`) and runs the fast
 * functions of layers.ts.
 *
 * @module
 */
import { Prng, SEED, tf, toPrng } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { gelu, layerNorm, linear, linearSplit } from "./layers.ts";
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

/** Settings of an {@link MLP}: bias, hidden width, and the weights' draws. */
export interface MlpOptions {
  /** Biases in both layers. Default true. */
  bias?: boolean;
  /** Hidden width. Default 4 × width (GPT-2, and the Transformer paper's 512 → 2048). */
  hidden?: number;
  /** Std of the first layer's weights. Default 0.02. */
  std?: number;
  /** Std of the output projection (GPT-2 scales it by 1/√(2·layers)). Default `std`. */
  projStd?: number;
  /** Seed or generator of the weights. Default 1337. */
  seed?: number | Prng;
}

/**
 * The feed-forward part of a Transformer block (the paper's position-wise FFN): `[..., C]` → `[..., 4C]` → GELU →
 * `[..., C]`, the same for every position. Parameters `c_fc` and `c_proj`, as GPT-2 names them.
 *
 * @example
 * ```ts
 * import { MLP, Parameters } from "@lib/nn/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const params = new Parameters();
 * const mlp = new MLP(params, "mlp.", 8);
 * assert.deepEqual(mlp.forward(tf.ones([2, 5, 8])).shape, [2, 5, 8]);
 * assert.equal(params.count(), 8 * 32 + 32 + 32 * 8 + 8);
 * params.dispose();
 * ```
 */
export class MLP {
  readonly cFc: Linear;
  readonly cProj: Linear;

  /**
   * @param params The model's parameters to add `prefix + "c_fc"` and `prefix + "c_proj"` to.
   * @param prefix Prefix of the names, e.g. `h.0.mlp.`.
   * @param width Input and output width C.
   * @param opts Bias, hidden width, stds, seed.
   * @throws {RangeError} When a width is not a positive integer.
   */
  constructor(params: Parameters, prefix: string, width: number, opts: MlpOptions = {}) {
    const { bias = true, hidden = 4 * width, std = 0.02, seed = SEED } = opts;
    const prng = toPrng(seed);
    this.cFc = new Linear(params, prefix + "c_fc", width, hidden, { bias, std, seed: prng });
    this.cProj = new Linear(params, prefix + "c_proj", hidden, width, { bias, std: opts.projStd ?? std, seed: prng });
  }

  /** `[..., C]` → `[..., C]`. */
  forward<T extends tf.Tensor>(x: T): T {
    return this.cProj.forward(gelu(this.cFc.forward(x))); // [..., 4C] inside
  }
}
