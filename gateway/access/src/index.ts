// The access model shared by the gateway and the certificates service: who a caller is
// (identity), what it was granted, which operations it may run, which matters it serves, how
// its request selects fields, the sharing rule of each field and the decision on it, and masking.
export * from "./types";
export * from "./purpose";
export * from "./decide";
export * from "./masking";
export * from "./matters";
export * from "./selection";
export * from "./share-index";
export * from "./identity";
export * from "./departments";
export * from "./grants";
export * from "./operations";
export * from "./users";
