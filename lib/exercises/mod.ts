/**
 * lib/exercises: the exercise checks of every notebook — a check runs the learner's answer against cases and the
 * reference, and shows a pass mark or a hint (never the solution, never a stack trace); messages and hints come from
 * one catalog in English and Chinese (catalog.ts). One file per notebook (`nbNN_name.ts`) holds its exercises.
 *
 * @module
 */
export * from "./check.ts";
export * from "./catalog.ts";
