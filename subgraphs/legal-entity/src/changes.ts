import { DateScalar, groupBy, type Db, Share } from "@onecert/subgraph-kit";
import { Field, ObjectType, registerEnumType } from "type-graphql";

export enum RegistrationChangeKind {
  STATUS = "STATUS",
  LEGAL_REPRESENTATIVE = "LEGAL_REPRESENTATIVE",
}
registerEnumType(RegistrationChangeKind, {
  name: "RegistrationChangeKind",
  description: "What a registered change altered: the status, or the legal representative.",
});

@Share("UNCONDITIONAL")
@ObjectType({
  description: "A change registered on an enterprise (变更登记), as market regulation recorded it.",
})
export class RegistrationChange {
  @Field(() => RegistrationChangeKind)
  kind!: RegistrationChangeKind;

  @Field(() => String, {
    description: "The value before: a status, or the previous representative's ID number.",
  })
  before!: string;

  @Field(() => String, { description: "The value after the change." })
  after!: string;

  @Field(() => DateScalar)
  effectiveOn!: string;

  @Field(() => String, { nullable: true, description: "The stated reason; status changes always have one." })
  reason!: string | null;

  uscc!: string;
}

export function changesOfEnterprises(db: Db, usccs: readonly string[]): Promise<RegistrationChange[]> {
  return db.query<RegistrationChange>(
    `SELECT uscc, kind, before, after, effective_on AS "effectiveOn", reason FROM legal_entity.registration_changes
      WHERE uscc = ANY($1) ORDER BY effective_on, id`,
    [usccs],
  );
}

/** The per-request loader of registered changes, one statement for any number of enterprises. */
export const changesLoader = (db: Db) =>
  groupBy(
    (usccs: readonly string[]) => changesOfEnterprises(db, usccs),
    (row) => row.uscc,
  );
