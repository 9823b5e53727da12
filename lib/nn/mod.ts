/**
 * lib/nn: small neural networks built from tfjs ops (the character MLP language model; CNN and RNN layers later).
 *
 * @module
 */
export * from "./char_mlp.ts";
