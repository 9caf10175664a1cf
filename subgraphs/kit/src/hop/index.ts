export * from "./claims";
export * from "./keys";
export * from "./replay";
export * from "./verify";
export * from "./access-log";
export * from "./serve";
export * from "./env";
