import { buildSubgraph, printSchema } from "@apollo/federation-internals";
import { Refusal } from "@onecert/subgraph-kit";
import { parse, print } from "graphql";
import { unifiedDiff } from "./line-diff";
import { introspectSubgraph, type SubgraphPost } from "./probe";
import { stampShareOwners } from "./share";

/** A subgraph as a register or update would publish it. */
export interface ServedTarget {
  name: string;
  /** The registered URL. */
  url: string;
  /** The SDL to publish, its @share owners stamped. */
  sdl: string;
  department: string;
  /** The department it belonged to before, when an update moves it. */
  previousDepartment?: string;
}

/** Refuses, before it is published, an SDL the subgraph does not serve (SDL_MISMATCH) or a subgraph that does not answer. */
export type ServedCheck = (target: ServedTarget) => Promise<void>;

/** The most diff lines the refusal's message shows; `details.diff` has them all. */
const SHOWN_LINES = 60;

/**
 * The SDL as federation reads it. A subgraph library serves its schema re-printed, with the
 * federation definitions it adds (Apollo's `_service { sdl }` includes `@link`, `_Entity`, ...),
 * so building both sides as a subgraph leaves only real differences; whitespace, comments and
 * definition formatting never count. An SDL that does not build falls back to `parse` + `print`.
 */
export function normalizeSdl(sdl: string): string {
  try {
    return printSchema(buildSubgraph("subgraph", "http://subgraph.invalid", sdl).schema);
  } catch {
    try {
      return print(parse(sdl));
    } catch {
      return sdl.trim();
    }
  }
}

/** The served SDL with @share owners stamped as the registry stamps the submitted one. */
function stamped(served: string, target: ServedTarget): string {
  try {
    return stampShareOwners(served, target.department, target.previousDepartment);
  } catch {
    // An owner naming another department: the diff shows it.
    return served;
  }
}

/**
 * The check of what a subgraph really serves: its `_service { sdl }`, read through `post` (the
 * gateway's signed hop) at the URL this gateway reaches it at, must be the SDL to publish.
 */
export function servedCheck(
  options: { post?: SubgraphPost; urlInUse?: (name: string, registered: string) => string } = {},
): ServedCheck {
  return async (target) => {
    const url = options.urlInUse?.(target.name, target.url) ?? target.url;
    let served: string;
    try {
      served = await introspectSubgraph(target.name, url, options.post);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      throw new Refusal(
        error.code,
        `${error.message}; the registry publishes only an SDL its subgraph serves, so start it first`,
        { url },
      );
    }
    const diff = unifiedDiff(normalizeSdl(target.sdl), normalizeSdl(stamped(served, target)), {
      before: "submitted",
      after: `served by ${target.name} at ${url}`,
    });
    if (diff === "") return;
    const lines = diff.split("\n");
    const shown =
      lines.length > SHOWN_LINES
        ? [...lines.slice(0, SHOWN_LINES), `... ${lines.length - SHOWN_LINES} more lines in details.diff`]
        : lines;
    throw new Refusal(
      "SDL_MISMATCH",
      `subgraph ${target.name} at ${url} serves another SDL than the one submitted; deploy the ` +
        `subgraph first, or submit what it serves (--introspect):\n${shown.join("\n")}`,
      { url, diff },
    );
  };
}
