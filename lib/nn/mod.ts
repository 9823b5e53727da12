/**
 * lib/nn: the building blocks of every network in the course — layers with fast hand-written gradients, dropout,
 * optimizers (AdamW, SGD with momentum), learning-rate schedules, gradient clipping, the model convention, the
 * training loop, the token batcher and text generation — and the small models built from them (the character MLP,
 * the digits MLP and CNN of notebooks 04 and 06).
 *
 * @module
 */
export * from "./layers.ts";
export * from "./optimizer.ts";
export * from "./optim.ts";
export * from "./sgd.ts";
export * from "./lr_schedule.ts";
export * from "./model.ts";
export * from "./train.ts";
export * from "./fit_callbacks.ts";
export * from "./get_batch.ts";
export * from "./generate.ts";
export * from "./char_mlp.ts";
export * from "./char_mlp_checkpoint.ts";
export * from "./parameters.ts";
export * from "./modules.ts";
export * from "./rnn_cell.ts";
export * from "./lstm_cell.ts";
export * from "./recurrent.ts";
export * from "./char_rnn.ts";
export * from "./value.ts";
export * from "./perceptron.ts";
export * from "./mlp.ts";
export * from "./cnn.ts";
export * from "./digit_mlp.ts";
export * from "./augment.ts";
export * from "./lstm_classifier.ts";
