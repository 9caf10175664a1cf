import { functionThread } from "@onecert/subgraph-kit/thread";
import type { ComposableSubgraph, Composed } from "./compose";

/**
 * Composes in a thread of its own: composing takes from tens of milliseconds to seconds of CPU,
 * and on the serving thread a publish under load would hold every request in flight that long.
 */
export const composeOffThread = functionThread<[readonly ComposableSubgraph[]], Composed>(
  __dirname,
  "worker",
  __filename.endsWith(".ts"),
);
