/** AWS facts the sources and the analysis share, each written once. */
export * from "./agent.js";
export * from "./dhmc.js";
export * from "./endpoints.js";
export * from "./launch-settings.js";
export * from "./protocols.js";
export * from "./session-preferences.js";
export * from "./vpc-defaults.js";
