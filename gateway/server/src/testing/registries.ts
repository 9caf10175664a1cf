import { buildSubgraphSchema } from "@apollo/subgraph";
import type { GraphQLResolverMap } from "@apollo/subgraph/dist/schema-helper";
import {
  CACHE_CONTROL_DIRECTIVE_SDL,
  CACHE_CONTROL_SPEC_URL,
  IdNumberScalar,
  SHARE_DIRECTIVE_SDL,
  SHARE_SPEC_URL,
  stampShareOwner,
  UsccScalar,
} from "@onecert/subgraph-kit";
import { graphql, GraphQLError, parse, type GraphQLSchema } from "graphql";
import type { Fetch } from "../cache/inflight";

/**
 * Two small registries for the in-memory gateway, written as the real ones print their SDL
 * (schema/*.graphql): @share stamped with the owning department, @cacheControl hints, validated
 * scalars. People is public security's: a person, a CONDITIONAL address and a NOT_SHARED,
 * PRIVATE phone. Companies is market regulation's: enterprises, a count without a cache hint
 * and the CONDITIONAL enterprises of a person, resolved through the Person entity.
 */
const LINKS = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@composeDirective"])
  @link(url: "${SHARE_SPEC_URL}", import: ["@share"])
  @composeDirective(name: "@share")
extend schema
  @link(url: "${CACHE_CONTROL_SPEC_URL}", import: ["@cacheControl", "CacheControlScope"])
  @composeDirective(name: "@cacheControl")
${SHARE_DIRECTIVE_SDL}
${CACHE_CONTROL_DIRECTIVE_SDL}
`;

const PEOPLE_SDL = `
scalar IdNumber
type Query {
  person(idNumber: IdNumber!): Person @share(level: "UNCONDITIONAL")
  persons(idNumbers: [IdNumber!]!): [Person!]! @share(level: "UNCONDITIONAL")
}
type Person @key(fields: "idNumber") @share(level: "UNCONDITIONAL") @cacheControl(maxAge: 300, scope: PUBLIC) {
  idNumber: IdNumber! @share(level: "UNCONDITIONAL", sensitivity: ["IDENTIFIER"])
  name: String! @share(level: "UNCONDITIONAL", sensitivity: ["NAME"])
  sex: String!
  address: String! @share(level: "CONDITIONAL", sensitivity: ["ADDRESS"])
  phone: String @cacheControl(maxAge: 60, scope: PRIVATE) @share(level: "NOT_SHARED", sensitivity: ["CONTACT"])
}
`;

const COMPANIES_SDL = `
scalar USCC
scalar IdNumber
type Query {
  enterprise(uscc: USCC!): Enterprise @share(level: "UNCONDITIONAL")
  enterpriseCount: Int! @share(level: "UNCONDITIONAL")
}
type Enterprise @key(fields: "uscc") @share(level: "UNCONDITIONAL") @cacheControl(maxAge: 120, scope: PUBLIC) {
  uscc: USCC! @share(level: "UNCONDITIONAL", sensitivity: ["IDENTIFIER"])
  name: String!
  legalRepresentative: Person
}
type Person @key(fields: "idNumber") @cacheControl(maxAge: 300, scope: PUBLIC) {
  idNumber: IdNumber!
  enterprises: [Enterprise!]! @share(level: "CONDITIONAL") @cacheControl(maxAge: 90, scope: PUBLIC)
}
`;

export interface TestPerson {
  idNumber: string;
  name: string;
  sex: string;
  address: string;
  phone: string | null;
}

export interface TestEnterprise {
  uscc: string;
  name: string;
  legalRepresentative: string;
}

/** Valid identifiers (check characters verified), so they pass the scalars and count as audit subjects. */
export const PERSON_A: TestPerson = {
  idNumber: "11010519491231002X",
  name: "张三丰",
  sex: "M",
  address: "合成省合成市第二区幸福路1号",
  phone: "13812345678",
};
export const PERSON_B: TestPerson = {
  idNumber: "110105198001010016",
  name: "李四",
  sex: "F",
  address: "合成省合成市第三区和平路2号",
  phone: null,
};
export const ENTERPRISE: TestEnterprise = {
  uscc: "91350100M000100Y43",
  name: "合成科技有限公司",
  legalRepresentative: PERSON_A.idNumber,
};

export const REGISTRY_DEPARTMENTS = { people: "public-security", companies: "market-regulation" } as const;
export type RegistryName = keyof typeof REGISTRY_DEPARTMENTS;

/** What the fixed data answers; `failing` names "Type.field"s whose resolver throws, to test error paths. */
export interface RegistryData {
  persons: TestPerson[];
  enterprises: TestEnterprise[];
  failing: Set<string>;
}

export const defaultData = (): RegistryData => ({
  persons: [PERSON_A, PERSON_B].map((person) => ({ ...person })),
  enterprises: [{ ...ENTERPRISE }],
  failing: new Set(),
});

function guarded<T>(data: RegistryData, field: string, value: () => T): T {
  if (data.failing.has(field)) throw new GraphQLError(`${field} failed`, { extensions: { code: "BROKEN" } });
  return value();
}

/** The SDL of each registry as it registers it (owners stamped) and its executable schema over `data`. */
export function buildRegistries(
  data: RegistryData,
): Record<RegistryName, { sdl: string; schema: GraphQLSchema }> {
  const person = (idNumber: string) => data.persons.find((p) => p.idNumber === idNumber) ?? null;
  const field =
    (name: string) =>
    (parent: Record<string, unknown>): unknown =>
      guarded(data, name, () => parent[name.split(".")[1]]);
  const people: GraphQLResolverMap<unknown> = {
    IdNumber: IdNumberScalar,
    Query: {
      person: (_: unknown, args: { idNumber: string }) =>
        guarded(data, "Query.person", () => person(args.idNumber)),
      persons: (_: unknown, args: { idNumbers: string[] }) =>
        args.idNumbers.map(person).filter((found) => found !== null),
    },
    Person: {
      __resolveReference: (reference: { idNumber: string }) => person(reference.idNumber),
      name: field("Person.name"),
      address: field("Person.address"),
      phone: field("Person.phone"),
    },
  };
  const companies: GraphQLResolverMap<unknown> = {
    USCC: UsccScalar,
    IdNumber: IdNumberScalar,
    Query: {
      enterprise: (_: unknown, args: { uscc: string }) =>
        data.enterprises.find((enterprise) => enterprise.uscc === args.uscc) ?? null,
      enterpriseCount: () => data.enterprises.length,
    },
    Enterprise: {
      legalRepresentative: (enterprise: TestEnterprise) => ({ idNumber: enterprise.legalRepresentative }),
    },
    Person: {
      enterprises: (reference: { idNumber: string }) =>
        guarded(data, "Person.enterprises", () =>
          data.enterprises.filter((enterprise) => enterprise.legalRepresentative === reference.idNumber),
        ),
    },
  };
  const build = (name: RegistryName, sdl: string, resolvers: GraphQLResolverMap<unknown>) => {
    // Only the types are stamped: the directive's own definition has `@share(level:` too.
    const stamped = LINKS + stampShareOwner(sdl, REGISTRY_DEPARTMENTS[name]);
    return { sdl: stamped, schema: buildSubgraphSchema({ typeDefs: parse(stamped), resolvers }) };
  };
  return {
    people: build("people", PEOPLE_SDL, people),
    companies: build("companies", COMPANIES_SDL, companies),
  };
}

/** A call the gateway made to a registry: what reached the subgraph. */
export interface SubgraphCall {
  subgraph: RegistryName;
  query: string;
  variables?: Record<string, unknown>;
  headers: Record<string, string>;
}

/** The data source's fetch for one registry: executes its schema in process and notes the call in `calls`. */
export function answerInProcess(subgraph: RegistryName, schema: GraphQLSchema, calls: SubgraphCall[]): Fetch {
  return async (_url, init) => {
    const body = JSON.parse(String(init?.body)) as Pick<SubgraphCall, "query" | "variables"> & {
      operationName?: string;
    };
    calls.push({ subgraph, query: body.query, variables: body.variables, headers: init?.headers ?? {} });
    const result = await graphql({
      schema,
      source: body.query,
      variableValues: body.variables,
      operationName: body.operationName,
    });
    return new Response(JSON.stringify(result), { headers: { "content-type": "application/json" } });
  };
}
