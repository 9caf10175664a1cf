import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from "graphql";
import {
  validateIdNumber,
  validateIsoDate,
  validatePeriod,
  validateUnitNumber,
  validateUscc,
  validateCertificateNumber,
} from "./ids";

type Validator = (value: string) => { ok: true } | { ok: false; reason: string };

/** A scalar the gateway and the subgraphs both check before anything reaches SQL. */
export interface ValidatedScalar {
  name: string;
  description: string;
  /** What a value is, for error messages: "an ID number". */
  noun: string;
  validate: Validator;
  /** Applied to an accepted value, e.g. full-width brackets to ASCII. Default identity. */
  normalize?: (value: string) => string;
}

export const VALIDATED_SCALARS: readonly ValidatedScalar[] = [
  {
    name: "IdNumber",
    description: "18-character resident ID number (GB 11643-1999), check character verified.",
    noun: "an ID number",
    validate: validateIdNumber,
  },
  {
    name: "USCC",
    description: "18-character unified social credit code (GB 32100-2015), check character verified.",
    noun: "a unified social credit code",
    validate: validateUscc,
  },
  {
    name: "RealEstateUnitNumber",
    description: "28-character real-estate unit number.",
    noun: "a real-estate unit number",
    validate: validateUnitNumber,
  },
  {
    name: "CertificateNumber",
    description: "Real-estate certificate number, e.g. 苏(2020)南京市不动产权第0001234号.",
    noun: "a real-estate certificate number",
    validate: validateCertificateNumber,
    normalize: (value) => value.replace("（", "(").replace("）", ")"),
  },
  {
    name: "Date",
    description: "A calendar date, YYYY-MM-DD.",
    noun: "a date (YYYY-MM-DD)",
    validate: validateIsoDate,
  },
  {
    name: "Period",
    description: "A contribution month, YYYYMM.",
    noun: "a period (YYYYMM)",
    validate: validatePeriod,
  },
];

/** Checks one input value; returns the normalised string or throws BAD_USER_INPUT. */
export function checkScalar(scalar: ValidatedScalar, value: unknown): string {
  if (typeof value !== "string") {
    throw badInput(`expected ${scalar.noun} as a string`);
  }
  const result = scalar.validate(value);
  if (!result.ok) throw badInput(`${JSON.stringify(value)} is not ${scalar.noun}: ${result.reason}`);
  return scalar.normalize ? scalar.normalize(value) : value;
}

function badInput(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT" } });
}

function toScalarType(scalar: ValidatedScalar): GraphQLScalarType<string, string> {
  return new GraphQLScalarType<string, string>({
    name: scalar.name,
    description: scalar.description,
    serialize: (value) => String(value),
    parseValue: (value) => checkScalar(scalar, value),
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind !== Kind.STRING) throw badInput(`expected ${scalar.noun} as a string literal`);
      return checkScalar(scalar, ast.value);
    },
  });
}

const byName = new Map(VALIDATED_SCALARS.map((scalar) => [scalar.name, toScalarType(scalar)]));
const scalar = (name: string): GraphQLScalarType<string, string> => byName.get(name)!;

export const IdNumberScalar = scalar("IdNumber");
export const UsccScalar = scalar("USCC");
export const UnitNumberScalar = scalar("RealEstateUnitNumber");
export const CertificateNumberScalar = scalar("CertificateNumber");
export const DateScalar = scalar("Date");
export const PeriodScalar = scalar("Period");

/**
 * The key of an entity representation, checked like its scalar: `_entities` representations
 * bypass scalar parsing, so without this a malformed key would reach SQL.
 */
export function representationKey(entity: string, field: string, scalarName: string, value: unknown): string {
  const scalar = VALIDATED_SCALARS.find((candidate) => candidate.name === scalarName);
  if (!scalar) throw new Error(`unknown scalar ${scalarName}`);
  try {
    return checkScalar(scalar, value);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new GraphQLError(`${entity} representation, ${field}: ${reason}`, {
      extensions: { code: "BAD_USER_INPUT", argument: "representations" },
    });
  }
}
