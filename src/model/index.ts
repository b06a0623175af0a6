export * from "./changes.js";
export * from "./default-keys.js";
export * from "./errors.js";
export * from "./origin.js";
export * from "./timings.js";
export * from "./value.js";
export * from "./world.js";
