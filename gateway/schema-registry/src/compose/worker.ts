import { parentPort } from "node:worker_threads";
import { composeSubgraphs, type ComposableSubgraph } from "./compose";

// The composition thread: composes what it is sent, one proposal at a time, and answers by id.
parentPort!.on("message", ({ id, subgraphs }: { id: number; subgraphs: ComposableSubgraph[] }) => {
  try {
    parentPort!.postMessage({ id, result: composeSubgraphs(subgraphs) });
  } catch (error) {
    parentPort!.postMessage({ id, failure: error instanceof Error ? error.message : String(error) });
  }
});
