import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { badUserInput, UsccScalar, type RegistryContext, Share } from "@onecert/subgraph-kit";
import type { LegalEntityLoaders } from "./data";
import { Enterprise } from "./enterprise";
import { Party } from "./party";
import { Person } from "./person";
import { Shareholding } from "./shareholding";

type Context = RegistryContext<LegalEntityLoaders>;

/** Most enterprises one `enterprises` query may ask for. */
export const MAX_ENTERPRISES_PER_QUERY = 200;

@Resolver(() => Enterprise)
export class EnterpriseResolver {
  @Share("UNCONDITIONAL")
  @Query(() => Enterprise, {
    nullable: true,
    description: "An enterprise by USCC; null when not registered.",
  })
  enterprise(@Arg("uscc", () => UsccScalar) uscc: string, @Ctx() ctx: Context): Promise<Enterprise | null> {
    return ctx.loaders.enterprise.load(uscc);
  }

  @Share("UNCONDITIONAL")
  @Query(() => [Enterprise], {
    description: `Several enterprises at once (at most ${MAX_ENTERPRISES_PER_QUERY}); unknown ones are left out.`,
  })
  async enterprises(
    @Arg("usccs", () => [UsccScalar]) usccs: string[],
    @Ctx() ctx: Context,
  ): Promise<Enterprise[]> {
    if (usccs.length > MAX_ENTERPRISES_PER_QUERY) {
      throw badUserInput(`usccs has ${usccs.length} entries; at most ${MAX_ENTERPRISES_PER_QUERY}`, "usccs");
    }
    const found = await ctx.loaders.enterprise.loadMany(usccs);
    return found.filter((row): row is Enterprise => row !== null && !(row instanceof Error));
  }

  @FieldResolver(() => Person, {
    nullable: true,
    description: "The legal representative (法定代表人); population resolves the rest of the person.",
  })
  legalRepresentative(@Root() enterprise: Enterprise): Person | null {
    return enterprise.legalRepresentativeIdNumber
      ? { idNumber: enterprise.legalRepresentativeIdNumber }
      : null;
  }

  @FieldResolver(() => [Shareholding], { description: "Shareholders, largest share first." })
  shareholders(@Root() enterprise: Enterprise, @Ctx() ctx: Context): Promise<Shareholding[]> {
    return ctx.loaders.shareholdings.load(enterprise.uscc);
  }
}

@Resolver(() => Shareholding)
export class ShareholdingResolver {
  @FieldResolver(() => Party)
  async holder(@Root() holding: Shareholding, @Ctx() ctx: Context): Promise<typeof Party> {
    if (holding.holderKind === "PERSON") return { idNumber: holding.holderId };
    // This registry owns the enterprise's fields, so a bare key would leave the non-null ones empty.
    const enterprise = await ctx.loaders.enterprise.load(holding.holderId);
    if (!enterprise)
      throw new Error(`shareholding of ${holding.uscc} names unknown enterprise ${holding.holderId}`);
    return enterprise;
  }
}

@Resolver(() => Person)
export class PersonResolver {
  @Share("UNCONDITIONAL")
  @FieldResolver(() => [Enterprise], {
    nullable: true,
    description: "Enterprises whose legal representative this person is.",
  })
  enterprisesRepresented(@Root() person: Person, @Ctx() ctx: Context): Promise<Enterprise[]> {
    return ctx.loaders.represented.load(person.idNumber);
  }
}
