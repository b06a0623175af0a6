export * from "./aws/index.js";
export * from "./changes.js";
export * from "./errors.js";
export * from "./origin.js";
export * from "./run-assumptions.js";
export * from "./timings.js";
export * from "./value.js";
export * from "./world.js";
