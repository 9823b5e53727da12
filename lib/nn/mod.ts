/**
 * lib/nn: the building blocks of every network in the course — layers with fast hand-written gradients, optimizers,
 * learning-rate schedules, gradient clipping — and the small models built from them (the character MLP).
 *
 * @module
 */
export * from "./layers.ts";
export * from "./optim.ts";
export * from "./char_mlp.ts";
export * from "./rnn_cell.ts";
export * from "./lstm_cell.ts";
export * from "./recurrent.ts";
export * from "./char_rnn.ts";
