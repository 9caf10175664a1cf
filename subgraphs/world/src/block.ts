/**
 * Assembly of one block: showcase (block 0 only), random households, enterprises, property,
 * insurance, in that order so later stages can reference what earlier ones created.
 */
import { addRandomEnterprises, addRandomRealEstate } from "./assets";
import { BlockBuilder } from "./builder";
import { BLOCK_SIZE, type WorldContext } from "./context";
import { addRandomInsurance } from "./coverage";
import { addCrafted } from "./crafted";
import { addRandomHouseholds } from "./people";
import { createRng } from "./random";
import type { Sample, WorldBlock } from "./types";

/** Block `index` of the world and, for block 0, the showcase samples it contains. */
export function assembleBlock(ctx: WorldContext, index: number): { block: WorldBlock; samples: Sample[] } {
  if (!Number.isInteger(index) || index < 0 || index >= ctx.blocks) {
    throw new RangeError(`block index must be an integer in 0..${ctx.blocks - 1}, got ${index}`);
  }
  const capacity = Math.min(BLOCK_SIZE, ctx.persons - index * BLOCK_SIZE);
  const b = new BlockBuilder(ctx, index, createRng(ctx.seed, index), capacity);
  const samples = index === 0 ? addCrafted(b) : [];
  const firstRandom = b.members.length;
  const families = addRandomHouseholds(b);
  const people = b.members.slice(firstRandom);
  const enterprises = addRandomEnterprises(b, people);
  addRandomRealEstate(b, families, enterprises);
  addRandomInsurance(b, people);
  return { block: b.block, samples };
}
