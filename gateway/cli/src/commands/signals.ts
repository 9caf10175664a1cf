/** Resolves on the first SIGINT or SIGTERM, so commands can shut down cleanly. */
export function waitForShutdown(): Promise<string> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
}
