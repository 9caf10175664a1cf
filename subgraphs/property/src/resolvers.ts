import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import {
  CertificateNumberScalar,
  UnitNumberScalar,
  type RegistryContext,
  Share,
} from "@onecert/subgraph-kit";
import { type PartyKind } from "@onecert/synthetic-world";
import { partyKey, type PropertyLoaders } from "./data";
import { Enterprise } from "./enterprise";
import { Mortgage } from "./mortgage";
import { Ownership } from "./ownership";
import { Person } from "./person";
import { RealEstate } from "./real-estate";
import { Seizure } from "./seizure";

type Context = RegistryContext<PropertyLoaders>;

@Resolver(() => RealEstate)
export class RealEstateResolver {
  @Share("CONDITIONAL")
  @Query(() => RealEstate, {
    nullable: true,
    description: "A unit by its unit number; null when not registered.",
  })
  realEstate(
    @Arg("unitNumber", () => UnitNumberScalar) unitNumber: string,
    @Ctx() ctx: Context,
  ): Promise<RealEstate | null> {
    return ctx.loaders.unit.load(unitNumber);
  }

  @Share("CONDITIONAL")
  @Query(() => RealEstate, {
    nullable: true,
    description: "A unit by its certificate number (either bracket width); null when no such certificate.",
  })
  realEstateByCertificate(
    @Arg("certificateNumber", () => CertificateNumberScalar) certificateNumber: string,
    @Ctx() ctx: Context,
  ): Promise<RealEstate | null> {
    return ctx.loaders.unitByCertificate.load(certificateNumber);
  }

  @FieldResolver(() => [Ownership], { description: "Owners and their shares, largest share first." })
  async owners(@Root() unit: RealEstate, @Ctx() ctx: Context): Promise<Ownership[]> {
    const rows = await ctx.loaders.owners.load(unit.unitNumber);
    return rows.map((row) => ({
      share: row.share,
      // Only the key: the gateway fetches the party itself from population or legal-entity.
      owner: row.ownerKind === "PERSON" ? { idNumber: row.ownerId } : { uscc: row.ownerId },
    }));
  }

  @FieldResolver(() => [Mortgage], { description: "Mortgages ever registered on the unit, oldest first." })
  mortgages(@Root() unit: RealEstate, @Ctx() ctx: Context): Promise<Mortgage[]> {
    return ctx.loaders.mortgages.load(unit.unitNumber);
  }

  @FieldResolver(() => [Seizure], { description: "Seizures ever registered on the unit, oldest first." })
  seizures(@Root() unit: RealEstate, @Ctx() ctx: Context): Promise<Seizure[]> {
    return ctx.loaders.seizures.load(unit.unitNumber);
  }

  @FieldResolver(() => Boolean, { description: "True when an active (unreleased) mortgage exists." })
  async mortgaged(@Root() unit: RealEstate, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.loaders.mortgages.load(unit.unitNumber)).some((mortgage) => mortgage.active);
  }

  @FieldResolver(() => Boolean, { description: "True when an active (unlifted) seizure exists." })
  async seized(@Root() unit: RealEstate, @Ctx() ctx: Context): Promise<boolean> {
    return (await ctx.loaders.seizures.load(unit.unitNumber)).some((seizure) => seizure.active);
  }
}

function unitsOwnedBy(ctx: Context, kind: PartyKind, id: string): Promise<RealEstate[]> {
  return ctx.loaders.unitsOwnedBy.load(partyKey(kind, id));
}

const OWNED_DESCRIPTION =
  "Units this party owns any share of; null when the property registry cannot answer.";

@Resolver(() => Person)
export class PersonResolver {
  @Share("CONDITIONAL")
  @FieldResolver(() => [RealEstate], { nullable: true, description: OWNED_DESCRIPTION })
  realEstate(@Root() person: Person, @Ctx() ctx: Context): Promise<RealEstate[]> {
    return unitsOwnedBy(ctx, "PERSON", person.idNumber);
  }
}

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Share("CONDITIONAL")
  @FieldResolver(() => [RealEstate], { nullable: true, description: OWNED_DESCRIPTION })
  realEstate(@Root() enterprise: Enterprise, @Ctx() ctx: Context): Promise<RealEstate[]> {
    return unitsOwnedBy(ctx, "ENTERPRISE", enterprise.uscc);
  }
}
