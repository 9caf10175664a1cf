/** Synthetic world: record types, the block generator and the showcase samples. */
export * from "./types";
export * from "./world";
export * from "./samples";
/** Employer and personal contribution rates per insurance type, as the generator applies them. */
export { RATES as CONTRIBUTION_RATES } from "./insurance";
export { round2 } from "./random";
