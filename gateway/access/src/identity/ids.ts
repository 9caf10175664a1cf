import { randomBytes } from "node:crypto";

/**
 * A random identifier with a type prefix, e.g. "cl_1f0c...". Hex keeps underscores out of the
 * random part, so an API key `oc_<keyId>_<secret>` splits unambiguously.
 */
export const newId = (prefix: "cl" | "key" | "gr"): string => `${prefix}_${randomBytes(12).toString("hex")}`;

/** Milliseconds in one day. */
export const DAY_MS = 24 * 60 * 60 * 1000;
