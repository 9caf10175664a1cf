import {
  applyChange,
  badUserInput,
  birthDateFromIdNumber,
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
  UsccScalar,
} from "@onecert/subgraph-kit";
import { Args, ArgsType, Ctx, Field, Mutation, Resolver } from "type-graphql";
import { RegistrationChangeKind } from "./changes";
import { enterprisesByUsccs, type LegalEntityLoaders } from "./data";
import { Enterprise, EnterpriseStatus } from "./enterprise";
import * as writes from "./writes";

type Context = RegistryContext<LegalEntityLoaders>;

/** Status changes the registry allows: revocation (吊销) and cancellation (注销); nothing comes back. */
export const STATUS_TRANSITIONS: Readonly<Record<EnterpriseStatus, readonly EnterpriseStatus[]>> = {
  ACTIVE: [EnterpriseStatus.REVOKED, EnterpriseStatus.CANCELLED],
  REVOKED: [EnterpriseStatus.CANCELLED],
  CANCELLED: [],
};

/** Youngest age at which a person may be registered as a legal representative. */
export const MIN_REPRESENTATIVE_AGE = 18;

@ArgsType()
export class ChangeStatusArgs {
  @Field(() => UsccScalar)
  uscc!: string;

  @Field(() => EnterpriseStatus)
  status!: EnterpriseStatus;

  @Field(() => DateScalar)
  effectiveOn!: string;

  @Field(() => String, { description: "Why, e.g. the decision's number; 1 to 500 characters." })
  reason!: string;
}

@ArgsType()
export class ChangeLegalRepresentativeArgs {
  @Field(() => UsccScalar)
  uscc!: string;

  @Field(() => IdNumberScalar, { description: "ID number of the new legal representative." })
  idNumber!: string;

  @Field(() => DateScalar)
  effectiveOn!: string;
}

const DATES =
  "effectiveOn is not in the future (else BAD_USER_INPUT) and not before the establishment or the latest " +
  "registered change (else CONFLICT).";

/** The enterprise locked for a change, with the date rules checked; NOT_FOUND when unknown. */
async function enterpriseFor(
  tx: Queryable,
  uscc: string,
  effectiveOn: string,
): Promise<writes.EnterpriseState> {
  const enterprise = await writes.lockEnterprise(tx, uscc);
  if (!enterprise) throw notFound(`no enterprise with USCC ${uscc} is registered`, "uscc");
  const floor = [enterprise.establishedOn, enterprise.lastChangeOn ?? ""].sort().pop()!;
  if (effectiveOn < floor) {
    const what = floor === enterprise.establishedOn ? "establishment" : "latest registered change";
    throw conflict(`effectiveOn ${effectiveOn} is before the ${what} on ${floor}`, "effectiveOn");
  }
  return enterprise;
}

/** The enterprise, its representatives and the enterprises it holds shares in: whoever shows the change. */
async function eventsFor(
  tx: Queryable,
  uscc: string,
  representatives: readonly string[],
): Promise<ChangeEvent[]> {
  const people = [...new Set(representatives)];
  const events: ChangeEvent[] = [{ type: "Enterprise", key: uscc, tags: people.map((id) => `Person:${id}`) }];
  for (const id of people) events.push({ type: "Person", key: id, tags: [`Enterprise:${uscc}`] });
  for (const held of await writes.enterprisesHeldBy(tx, uscc)) {
    events.push({ type: "Enterprise", key: held, tags: [`Enterprise:${uscc}`] });
  }
  return events;
}

/** Changes market regulation registers in its own registry; no other department may call them. */
@Resolver()
export class LegalEntityMutations {
  @Share("NOT_SHARED")
  @Mutation(() => Enterprise, {
    description:
      "Registers a status change. Rules: the enterprise exists (else NOT_FOUND); only ACTIVE→REVOKED, " +
      `ACTIVE→CANCELLED and REVOKED→CANCELLED are allowed (else CONFLICT); ${DATES} The reason is 1-500 ` +
      "characters. Recorded in registrationChanges. Invalidates the enterprise, its legal representative and " +
      "the enterprises it holds shares in.",
  })
  async changeStatus(
    @Args(() => ChangeStatusArgs) args: ChangeStatusArgs,
    @Ctx() ctx: Context,
  ): Promise<Enterprise> {
    const reason = checkText(args.reason, "reason", 500);
    checkNotFuture(args.effectiveOn, "effectiveOn");
    await applyChange(ctx, "legal_entity", async (tx) => {
      const enterprise = await enterpriseFor(tx, args.uscc, args.effectiveOn);
      const allowed = STATUS_TRANSITIONS[enterprise.status];
      if (!allowed.includes(args.status)) {
        const rule = "allowed: ACTIVE→REVOKED, ACTIVE→CANCELLED, REVOKED→CANCELLED";
        throw conflict(`status ${enterprise.status} cannot change to ${args.status}; ${rule}`, "status");
      }
      await writes.setStatus(tx, args.uscc, args.status);
      const change = { kind: RegistrationChangeKind.STATUS, before: enterprise.status, after: args.status };
      await writes.recordRegistrationChange(tx, {
        uscc: args.uscc,
        ...change,
        effectiveOn: args.effectiveOn,
        reason,
      });
      return {
        result: undefined,
        events: await eventsFor(tx, args.uscc, [enterprise.legalRepresentativeIdNumber]),
      };
    });
    return reread(ctx, args.uscc);
  }

  @Share("NOT_SHARED")
  @Mutation(() => Enterprise, {
    description:
      "Registers a new legal representative (法定代表人变更). Rules: the enterprise exists (else NOT_FOUND) and " +
      `is ACTIVE, and the person differs from the current one (else CONFLICT); ${DATES} The person is at ` +
      `least ${MIN_REPRESENTATIVE_AGE} on effectiveOn by the birth date in the ID number (else BAD_USER_INPUT). ` +
      "Recorded in registrationChanges. Invalidates the enterprise, the previous and the new representative, and " +
      "the enterprises it holds shares in.",
  })
  async changeLegalRepresentative(
    @Args(() => ChangeLegalRepresentativeArgs) args: ChangeLegalRepresentativeArgs,
    @Ctx() ctx: Context,
  ): Promise<Enterprise> {
    checkNotFuture(args.effectiveOn, "effectiveOn");
    const born = birthDateFromIdNumber(args.idNumber);
    const adult = `${Number(born.slice(0, 4)) + MIN_REPRESENTATIVE_AGE}${born.slice(4)}`;
    if (args.effectiveOn < adult) {
      const rule = `the person born ${born} is under ${MIN_REPRESENTATIVE_AGE} on ${args.effectiveOn}`;
      throw badUserInput(rule, "idNumber");
    }
    await applyChange(ctx, "legal_entity", async (tx) => {
      const enterprise = await enterpriseFor(tx, args.uscc, args.effectiveOn);
      if (enterprise.status !== EnterpriseStatus.ACTIVE) {
        throw conflict(
          `a legal representative can change only while ACTIVE; ${args.uscc} is ${enterprise.status}`,
          "uscc",
        );
      }
      const previous = enterprise.legalRepresentativeIdNumber;
      if (previous === args.idNumber) {
        throw conflict(`${args.idNumber} is already the legal representative of ${args.uscc}`, "idNumber");
      }
      await writes.setLegalRepresentative(tx, args.uscc, args.idNumber);
      await writes.recordRegistrationChange(tx, {
        uscc: args.uscc,
        kind: RegistrationChangeKind.LEGAL_REPRESENTATIVE,
        before: previous,
        after: args.idNumber,
        effectiveOn: args.effectiveOn,
        reason: null,
      });
      return { result: undefined, events: await eventsFor(tx, args.uscc, [previous, args.idNumber]) };
    });
    return reread(ctx, args.uscc);
  }
}

async function reread(ctx: Context, uscc: string): Promise<Enterprise> {
  const [enterprise] = await enterprisesByUsccs(ctx.db, [uscc]);
  if (!enterprise) throw new Error(`enterprise ${uscc} vanished after a change`);
  return enterprise;
}
