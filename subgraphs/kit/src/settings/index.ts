// Environment settings, declared as schemas (zod): each service's variables are one group, read
// with every problem reported at once and documented from the same declarations.
export * from "./settings";
export * as env from "./values";
export type { ValueSchema } from "./values";
