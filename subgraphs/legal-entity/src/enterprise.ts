import { Directive, Field, Float, ObjectType, registerEnumType } from "type-graphql";
import { CacheControl, DateScalar, UsccScalar, Share } from "@onecert/subgraph-kit";

export enum EnterpriseKind {
  LIMITED_LIABILITY = "LIMITED_LIABILITY",
  JOINT_STOCK = "JOINT_STOCK",
  SOLE_PROPRIETORSHIP = "SOLE_PROPRIETORSHIP",
  PARTNERSHIP = "PARTNERSHIP",
}
export enum EnterpriseStatus {
  ACTIVE = "ACTIVE",
  REVOKED = "REVOKED",
  CANCELLED = "CANCELLED",
}
registerEnumType(EnterpriseKind, { name: "EnterpriseKind", description: "Legal form of an enterprise." });
registerEnumType(EnterpriseStatus, {
  name: "EnterpriseStatus",
  description: "Registration status: REVOKED (吊销) and CANCELLED (注销) enterprises may not trade.",
});

@Directive('@key(fields: "uscc")')
@Share("UNCONDITIONAL")
@CacheControl(300)
@ObjectType({ description: "An enterprise in the legal-entity registry (法人库), keyed by its USCC." })
export class Enterprise {
  @Field(() => UsccScalar)
  uscc!: string;

  @Field(() => String)
  name!: string;

  @Field(() => EnterpriseKind)
  kind!: EnterpriseKind;

  @Field(() => EnterpriseStatus)
  status!: EnterpriseStatus;

  @Field(() => Float, { description: "Registered capital in ten-thousand yuan (万元), as registered." })
  registeredCapital!: number;

  @Field(() => DateScalar)
  establishedOn!: string;

  @Field(() => String, { description: "6-digit region code of the registration authority." })
  regionCode!: string;

  @Field(() => String, { description: "Registered address (住所)." })
  address!: string;

  @Field(() => String, { description: "Business scope (经营范围) as registered." })
  businessScope!: string;

  legalRepresentativeIdNumber!: string;
}
