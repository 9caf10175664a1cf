import { serveFunction } from "@onecert/subgraph-kit/thread";
import { composeSubgraphs } from "./compose";

// The composition thread (thread.ts).
serveFunction(composeSubgraphs);
