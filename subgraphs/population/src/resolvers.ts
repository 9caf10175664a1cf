import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import { badUserInput, IdNumberScalar, type RegistryContext, Share } from "@onecert/subgraph-kit";
import type { PopulationLoaders } from "./data";
import { Household, HouseholdMember, HouseholdRelation } from "./household";
import { Person } from "./person";

type Context = RegistryContext<PopulationLoaders>;

/** Most persons one `persons` query may ask for. */
export const MAX_PERSONS_PER_QUERY = 200;

@Resolver(() => Person)
export class PersonResolver {
  @Share("UNCONDITIONAL")
  @Query(() => Person, { nullable: true, description: "A person by ID number; null when not registered." })
  person(
    @Arg("idNumber", () => IdNumberScalar) idNumber: string,
    @Ctx() ctx: Context,
  ): Promise<Person | null> {
    return ctx.loaders.person.load(idNumber);
  }

  @Share("UNCONDITIONAL")
  @Query(() => [Person], {
    description: `Several persons at once (at most ${MAX_PERSONS_PER_QUERY}); unknown ones are left out.`,
  })
  async persons(
    @Arg("idNumbers", () => [IdNumberScalar]) idNumbers: string[],
    @Ctx() ctx: Context,
  ): Promise<Person[]> {
    if (idNumbers.length > MAX_PERSONS_PER_QUERY) {
      throw badUserInput(
        `idNumbers has ${idNumbers.length} entries; at most ${MAX_PERSONS_PER_QUERY}`,
        "idNumbers",
      );
    }
    const found = await ctx.loaders.person.loadMany(idNumbers);
    return found.filter((person): person is Person => person !== null && !(person instanceof Error));
  }

  @FieldResolver(() => Household, { nullable: true })
  household(@Root() person: Person, @Ctx() ctx: Context): Promise<Household | null> {
    return ctx.loaders.household.load(person.householdNumber);
  }

  @FieldResolver(() => HouseholdRelation, { description: "Relation to the head of the household." })
  householdRelation(@Root() person: Person): HouseholdRelation {
    return person.relation as HouseholdRelation;
  }

  @Share("CONDITIONAL")
  @FieldResolver(() => Person, { nullable: true, description: "The spouse when married as recorded." })
  spouse(@Root() person: Person, @Ctx() ctx: Context): Promise<Person | null> | null {
    return person.spouseIdNumber ? ctx.loaders.person.load(person.spouseIdNumber) : null;
  }
}

@Resolver(() => Household)
export class HouseholdResolver {
  @Share("UNCONDITIONAL")
  @Query(() => Household, { nullable: true, description: "A household by its number." })
  household(@Arg("number", () => String) number: string, @Ctx() ctx: Context): Promise<Household | null> {
    if (!/^H\d{6}\d{8}$/.test(number)) throw badUserInput(`"${number}" is not a household number`, "number");
    return ctx.loaders.household.load(number);
  }

  @FieldResolver(() => Person, { nullable: true })
  head(@Root() household: Household, @Ctx() ctx: Context): Promise<Person | null> {
    return ctx.loaders.person.load(household.headIdNumber);
  }

  @FieldResolver(() => [HouseholdMember])
  async members(@Root() household: Household, @Ctx() ctx: Context): Promise<HouseholdMember[]> {
    const members = await ctx.loaders.members.load(household.number);
    return members.map((person) => ({ relation: person.relation as HouseholdRelation, person }));
  }
}
