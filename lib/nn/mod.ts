/**
 * lib/nn: small neural networks built from tfjs ops (the character MLP of notebook 00; CNN and RNN layers later).
 *
 * @module
 */
export * from "./char_mlp.ts";
