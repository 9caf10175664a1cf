/** Synthetic world: record types, the block generator, the showcase samples and the seeder. */
export * from "./types";
export * from "./world";
export * from "./samples";
export * from "./seed";
/** Employer and personal contribution rates per insurance type, as the generator applies them. */
export { RATES as CONTRIBUTION_RATES } from "./insurance";
export { round2 } from "./random";
export * from "./indexes";
