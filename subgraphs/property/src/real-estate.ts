import { Directive, Field, Float, ObjectType, registerEnumType } from "type-graphql";
import {
  CacheControl,
  CertificateNumberScalar,
  DateScalar,
  UnitNumberScalar,
  Share,
} from "@onecert/subgraph-kit";

export enum RealEstateUse {
  RESIDENTIAL = "RESIDENTIAL",
  COMMERCIAL = "COMMERCIAL",
  OFFICE = "OFFICE",
  INDUSTRIAL = "INDUSTRIAL",
}
registerEnumType(RealEstateUse, { name: "RealEstateUse", description: "Registered use of a unit." });

@Directive('@key(fields: "unitNumber")')
@Share("CONDITIONAL")
@CacheControl(120)
@ObjectType({ description: "A registered real-estate unit (不动产单元), keyed by its unit number." })
export class RealEstate {
  @Field(() => UnitNumberScalar)
  unitNumber!: string;

  @Field(() => CertificateNumberScalar, {
    description: "Current certificate (不动产权证书), ASCII brackets.",
  })
  certificateNumber!: string;

  @Share("CONDITIONAL", "ADDRESS")
  @Field(() => String)
  address!: string;

  @Field(() => String, { description: "6-digit region code of the unit." })
  regionCode!: string;

  @Field(() => RealEstateUse)
  use!: RealEstateUse;

  @Field(() => Float, { description: "Floor area in square metres (m²)." })
  area!: number;

  @Field(() => DateScalar)
  registeredOn!: string;
}
