/**
 * The class-conditional diffusion model of notebook 16: the DDPM noise schedule, the denoiser (a small U-Net with
 * time and class embeddings), its training on lib/nn's loop, DDPM and DDIM sampling with classifier-free guidance,
 * and the measures of generated digits (variety, distance to the nearest training digit).
 *
 * @module
 */
export * from "./schedule.ts";
export * from "./denoiser.ts";
export * from "./sample.ts";
export * from "./train.ts";
export * from "./images.ts";
export * from "./metrics.ts";
