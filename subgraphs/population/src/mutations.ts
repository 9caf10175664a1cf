import {
  applyChange,
  badUserInput,
  checkNotFuture,
  checkText,
  conflict,
  DateScalar,
  IdNumberScalar,
  notFound,
  type ChangeEvent,
  type Queryable,
  type RegistryContext,
  Share,
} from "@onecert/subgraph-kit";
import { Args, ArgsType, Ctx, Field, Mutation, Resolver } from "type-graphql";
import { personsByIdNumbers, type PopulationLoaders } from "./data";
import { MaritalStatus, Person, PersonStatus } from "./person";
import { lockPerson, markDeceased, markWidowed, updateAddress, type PersonState } from "./writes";

type Context = RegistryContext<PopulationLoaders>;

/** Longest registered address accepted, in characters. */
export const MAX_ADDRESS_LENGTH = 200;

@ArgsType()
export class RegisterDeathArgs {
  @Field(() => IdNumberScalar)
  idNumber!: string;

  @Field(() => DateScalar, { description: "Date of death: not in the future, not before the birth date." })
  diedOn!: string;
}

@ArgsType()
export class ChangeAddressArgs {
  @Field(() => IdNumberScalar)
  idNumber!: string;

  @Field(() => String, { description: `New registered address; 1 to ${MAX_ADDRESS_LENGTH} characters.` })
  address!: string;

  @Field(() => String, { description: "6-digit region code of the new registered residence." })
  regionCode!: string;
}

const personEvent = (idNumber: string, householdNumber: string): ChangeEvent => ({
  type: "Person",
  key: idNumber,
  tags: [`Household:${householdNumber}`],
});

/** The person locked for the change; NOT_FOUND when unknown, CONFLICT unless ACTIVE. */
async function activePerson(tx: Queryable, idNumber: string, change: string): Promise<PersonState> {
  const person = await lockPerson(tx, idNumber);
  if (!person) throw notFound(`no person with ID number ${idNumber} is registered`, "idNumber");
  if (person.status !== PersonStatus.ACTIVE) {
    throw conflict(`${change} needs an ACTIVE person; ${idNumber} is ${person.status}`, "idNumber");
  }
  return person;
}

async function reread(ctx: Context, idNumber: string): Promise<Person> {
  const [person] = await personsByIdNumbers(ctx.db, [idNumber]);
  if (!person) throw new Error(`person ${idNumber} vanished after a change`);
  return person;
}

/** Changes public security makes to its own registry; no other department may call them. */
@Resolver()
export class PopulationMutations {
  @Share("NOT_SHARED")
  @Mutation(() => Person, {
    description:
      "Registers a death (死亡登记). Rules: the person exists (else NOT_FOUND) and is ACTIVE (else CONFLICT); " +
      "diedOn is not in the future and not before the birth date (else BAD_USER_INPUT). Sets status DECEASED " +
      "and deceasedOn; a spouse recorded as married to the person becomes WIDOWED without a spouse. " +
      "Invalidates the person and the spouse, tagged with their households.",
  })
  async registerDeath(
    @Args(() => RegisterDeathArgs) { idNumber, diedOn }: RegisterDeathArgs,
    @Ctx() ctx: Context,
  ): Promise<Person> {
    checkNotFuture(diedOn, "diedOn");
    await applyChange(ctx, "population", async (tx) => {
      const person = await activePerson(tx, idNumber, "registerDeath");
      if (diedOn < person.birthDate) {
        throw badUserInput(`diedOn ${diedOn} is before the birth date ${person.birthDate}`, "diedOn");
      }
      await markDeceased(tx, idNumber, diedOn);
      const events = [personEvent(idNumber, person.householdNumber)];
      if (person.maritalStatus === MaritalStatus.MARRIED && person.spouseIdNumber) {
        const spouse = await markWidowed(tx, person.spouseIdNumber, idNumber);
        if (spouse) events.push(personEvent(person.spouseIdNumber, spouse.householdNumber));
      }
      return { result: undefined, events };
    });
    return reread(ctx, idNumber);
  }

  @Share("NOT_SHARED")
  @Mutation(() => Person, {
    description:
      "Changes a person's registered address (户籍地址变更). Rules: the person exists (else NOT_FOUND) and is " +
      `ACTIVE (else CONFLICT); regionCode is 6 digits and address 1-${MAX_ADDRESS_LENGTH} characters after ` +
      "trimming (else BAD_USER_INPUT). Invalidates the person, tagged with the household.",
  })
  async changeAddress(
    @Args(() => ChangeAddressArgs) args: ChangeAddressArgs,
    @Ctx() ctx: Context,
  ): Promise<Person> {
    const address = checkText(args.address, "address", MAX_ADDRESS_LENGTH);
    if (!/^[0-9]{6}$/.test(args.regionCode)) {
      throw badUserInput(`regionCode "${args.regionCode.slice(0, 20)}" must be 6 digits`, "regionCode");
    }
    await applyChange(ctx, "population", async (tx) => {
      const person = await activePerson(tx, args.idNumber, "changeAddress");
      await updateAddress(tx, args.idNumber, address, args.regionCode);
      return { result: undefined, events: [personEvent(args.idNumber, person.householdNumber)] };
    });
    return reread(ctx, args.idNumber);
  }
}
