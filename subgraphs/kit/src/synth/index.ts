/** Synthetic world: record types, the block generator and the showcase samples. */
export * from "./types";
export * from "./world";
export * from "./samples";
