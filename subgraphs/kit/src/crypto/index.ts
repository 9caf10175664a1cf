export * from "./keyring";
export * from "./seal";
export * from "./jwks";
