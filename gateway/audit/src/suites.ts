import { isSuiteName, suiteByName, type CryptoSuite } from "@onecert/subgraph-kit/suites";

/**
 * The crypto suite an artefact names (a record's or checkpoint's `suite`), or null for a name no
 * suite has: verification reports that artefact rather than falling back to a default.
 */
export const suiteNamed = (name: unknown): CryptoSuite | null =>
  isSuiteName(name) ? suiteByName(name) : null;
