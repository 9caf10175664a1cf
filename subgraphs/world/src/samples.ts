/**
 * Demo subjects: one identifier per showcase case, taken from block 0 of the world so callers
 * (README examples, smoke tests) can query real records without scanning the whole world.
 */
import { assembleBlock } from "./block";
import { resolveOptions } from "./context";
import type { Sample, WorldOptions } from "./types";

/** Case ids of the showcase, in the order samples() returns them. */
export const SAMPLE_CASES: readonly string[] = [
  "person-showcase",
  "person-no-home-12-months",
  "person-no-home-short-contributions",
  "person-one-home",
  "person-two-homes",
  "person-three-homes",
  "person-home-outside-city",
  "person-mortgaged-home",
  "person-seized-home",
  "person-deceased",
  "person-emigrated",
  "person-retired",
  "person-24-months",
  "person-no-insurance",
  "couple-newborn-parent-a",
  "couple-newborn-parent-b",
  "household-multi-member",
  "enterprise-active",
  "enterprise-revoked",
  "enterprise-cancelled",
  "enterprise-owns-property",
  "realestate-mortgaged",
  "realestate-seized",
];

/** The showcase subjects of the world with these options (generates block 0 only). */
export function samples(options: WorldOptions = {}): Sample[] {
  return assembleBlock(resolveOptions(options), 0).samples;
}
