// The dependency-free part of the toolkit (the "./core" entry): identifier and period rules,
// paths, settings, header names and dates. The synthetic-world generator and the command line
// load only this, not GraphQL, Apollo or the database drivers.
export * from "./settings";
export * from "./headers";
export * from "./ids";
export * from "./iso-date";
export * from "./paths";
export * from "./periods";
export * from "./subjects";
