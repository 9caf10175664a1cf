import {
  applyChange,
  checkNotFuture,
  checkText,
  conflict,
  type RegistryContext,
  Share,
} from "@onecert/subgraph-kit";
import { Args, Ctx, Mutation, Resolver } from "type-graphql";
import { unitsByNumbers, type PropertyLoaders } from "./data";
import {
  RegisterMortgageArgs,
  RegisterSeizureArgs,
  RegisterTransferArgs,
  ReleaseMortgageArgs,
} from "./mutation-args";
import { RealEstate } from "./real-estate";
import * as rules from "./rules";
import * as writes from "./writes";

type Context = RegistryContext<PropertyLoaders>;

const COMMON =
  "The unit exists (else NOT_FOUND); dates are not in the future and identifiers, texts and amounts are " +
  "well formed (else BAD_USER_INPUT).";

/** Changes natural resources makes to its own registry; no other department may call them. */
@Resolver()
export class PropertyMutations {
  @Share("NOT_SHARED")
  @Mutation(() => RealEstate, {
    description:
      `Registers a transfer of ownership (转移登记) and issues a new certificate. ${COMMON} Owners' ids are ` +
      "valid for their kind, listed once, and their shares are positive and sum to 100 (else BAD_USER_INPUT). " +
      "CONFLICT when a seizure is in force or registeredOn is before the current registration. Invalidates " +
      "the unit and every previous and new owner.",
  })
  async registerTransfer(
    @Args(() => RegisterTransferArgs) args: RegisterTransferArgs,
    @Ctx() ctx: Context,
  ): Promise<RealEstate> {
    const owners = rules.checkOwners(args.owners.map((o) => ({ ...o, kind: o.kind })));
    checkNotFuture(args.registeredOn, "registeredOn");
    await applyChange(ctx, "property", async (tx) => {
      const unit = await rules.unitFor(tx, args.unitNumber);
      rules.requireNotSeized(unit, "a transfer");
      rules.requireAfterRegistration(unit, args.registeredOn, "registeredOn");
      const serial = await writes.nextCertificateSerial(tx);
      const certificate = rules.nextCertificate(unit.certificateNumber, args.registeredOn, serial);
      await writes.transferUnit(tx, unit.unitNumber, owners, certificate, args.registeredOn);
      const tags = [`Certificate:${unit.certificateNumber}`, `Certificate:${certificate}`];
      return {
        result: undefined,
        events: rules.unitEvents(unit.unitNumber, [...unit.owners, ...owners], tags),
      };
    });
    return reread(ctx, args.unitNumber);
  }

  @Share("NOT_SHARED")
  @Mutation(() => RealEstate, {
    description:
      `Registers a mortgage (抵押登记). ${COMMON} CONFLICT when a seizure is in force or registeredOn is ` +
      "before the unit's registration. Invalidates the unit and its owners.",
  })
  async registerMortgage(
    @Args(() => RegisterMortgageArgs) args: RegisterMortgageArgs,
    @Ctx() ctx: Context,
  ): Promise<RealEstate> {
    const mortgagee = checkText(args.mortgagee, "mortgagee", 100);
    const amount = rules.checkAmount(args.amount);
    checkNotFuture(args.registeredOn, "registeredOn");
    await applyChange(ctx, "property", async (tx) => {
      const unit = await rules.unitFor(tx, args.unitNumber);
      rules.requireNotSeized(unit, "a mortgage");
      rules.requireAfterRegistration(unit, args.registeredOn, "registeredOn");
      await writes.insertMortgage(tx, unit.unitNumber, mortgagee, amount, args.registeredOn);
      return { result: undefined, events: rules.unitEvents(unit.unitNumber, unit.owners) };
    });
    return reread(ctx, args.unitNumber);
  }

  @Share("NOT_SHARED")
  @Mutation(() => RealEstate, {
    description:
      `Releases a mortgage (抵押注销). ${COMMON} CONFLICT unless the mortgagee holds an active mortgage on the ` +
      "unit, or when releasedOn is before it was registered; the oldest such mortgage is released. " +
      "Invalidates the unit and its owners.",
  })
  async releaseMortgage(
    @Args(() => ReleaseMortgageArgs) args: ReleaseMortgageArgs,
    @Ctx() ctx: Context,
  ): Promise<RealEstate> {
    const mortgagee = checkText(args.mortgagee, "mortgagee", 100);
    checkNotFuture(args.releasedOn, "releasedOn");
    await applyChange(ctx, "property", async (tx) => {
      const unit = await rules.unitFor(tx, args.unitNumber);
      const mortgage = await writes.activeMortgage(tx, unit.unitNumber, mortgagee);
      if (!mortgage)
        throw conflict(`${mortgagee} holds no active mortgage on ${unit.unitNumber}`, "mortgagee");
      if (args.releasedOn < mortgage.registeredOn) {
        const rule = `releasedOn ${args.releasedOn} is before the mortgage was registered on ${mortgage.registeredOn}`;
        throw conflict(rule, "releasedOn");
      }
      await writes.releaseMortgage(tx, mortgage.id, args.releasedOn);
      return { result: undefined, events: rules.unitEvents(unit.unitNumber, unit.owners) };
    });
    return reread(ctx, args.unitNumber);
  }

  @Share("NOT_SHARED")
  @Mutation(() => RealEstate, {
    description:
      `Registers a seizure (查封登记) by a court or another authority. ${COMMON} CONFLICT when a seizure with ` +
      "the same case number is in force; seizures of other cases may queue (轮候查封). Invalidates the unit " +
      "and its owners.",
  })
  async registerSeizure(
    @Args(() => RegisterSeizureArgs) args: RegisterSeizureArgs,
    @Ctx() ctx: Context,
  ): Promise<RealEstate> {
    const authority = checkText(args.authority, "authority", 100);
    const caseNumber = checkText(args.caseNumber, "caseNumber", 64);
    checkNotFuture(args.seizedOn, "seizedOn");
    await applyChange(ctx, "property", async (tx) => {
      const unit = await rules.unitFor(tx, args.unitNumber);
      if (unit.activeSeizures.includes(caseNumber)) {
        throw conflict(
          `a seizure of case ${caseNumber} is already in force on ${unit.unitNumber}`,
          "caseNumber",
        );
      }
      await writes.insertSeizure(tx, unit.unitNumber, authority, caseNumber, args.seizedOn);
      return { result: undefined, events: rules.unitEvents(unit.unitNumber, unit.owners) };
    });
    return reread(ctx, args.unitNumber);
  }
}

async function reread(ctx: Context, unitNumber: string): Promise<RealEstate> {
  const [unit] = await unitsByNumbers(ctx.db, [unitNumber]);
  if (!unit) throw new Error(`unit ${unitNumber} vanished after a change`);
  return unit;
}
