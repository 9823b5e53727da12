export * from "./metrics.ts";
export * from "./linear_regression.ts";
export * from "./logistic_regression.ts";
export * from "./softmax_regression.ts";
export * from "./k_neighbors.ts";
export * from "./gaussian_nb.ts";
export * from "./multinomial_nb.ts";
