/**
 * The synthetic world: a deterministic stream of blocks of persons and everything that hangs
 * off them. Blocks are independent (block k depends only on seed, k, persons and asOf), so a
 * million-person world streams in constant memory and any block can be regenerated alone.
 */
import { assembleBlock } from "./block";
import { resolveOptions } from "./context";
import type { WorldBlock, WorldOptions } from "./types";

export { BLOCK_SIZE, MAX_PERSONS, MIN_PERSONS, WINDOW_MONTHS } from "./context";
export { defaultAsOf } from "@onecert/subgraph-kit/core";
export {
  SYNTHETIC_CITIES,
  SYNTHETIC_PROVINCE,
  cityOf,
  type SyntheticCity,
  type SyntheticDistrict,
} from "./names";

/** Number of blocks the world with these options has. */
export function worldSize(options: WorldOptions = {}): number {
  return resolveOptions(options).blocks;
}

/** Block `index` alone; equal to the index-th block yielded by generateWorld. */
export function generateBlock(index: number, options: WorldOptions = {}): WorldBlock {
  return assembleBlock(resolveOptions(options), index).block;
}

/** Yields the world block by block; only the block being yielded is held in memory. */
export function* generateWorld(options: WorldOptions = {}): Generator<WorldBlock> {
  const ctx = resolveOptions(options);
  for (let k = 0; k < ctx.blocks; k++) yield assembleBlock(ctx, k).block;
}
