import { serveFunction } from "@onecert/subgraph-kit/thread";
import { catalogueProblems } from "./fit";

// The catalogue check's thread (fit-thread.ts).
serveFunction(catalogueProblems);
