/**
 * A small supergraph for the cache's unit tests: two subgraphs, an entity with a key in each,
 * hinted and unhinted types, a PRIVATE field and a union. Built like composition prints it.
 */
export const TEST_SUPERGRAPH = `
directive @cacheControl(maxAge: Int, scope: CacheControlScope) repeatable on OBJECT | FIELD_DEFINITION
directive @join__type(graph: join__Graph!, key: String, extension: Boolean! = false) repeatable on OBJECT | UNION
directive @join__graph(name: String!, url: String!) on ENUM_VALUE
enum CacheControlScope { PUBLIC PRIVATE }
enum join__Graph {
  PEOPLE @join__graph(name: "people", url: "http://people")
  HOMES @join__graph(name: "homes", url: "http://homes")
}
type Query {
  person(idNumber: String!): Person
  persons(idNumbers: [String!]!): [Person!]!
  household(number: String!): Household
  counter: Int
}
type Person @join__type(graph: PEOPLE, key: "idNumber") @join__type(graph: HOMES, key: "idNumber")
  @cacheControl(maxAge: 300, scope: PUBLIC) {
  idNumber: String!
  name: String!
  phone: String @cacheControl(maxAge: 60, scope: PRIVATE)
  homes: [Home!] @cacheControl(maxAge: 600)
  household: Household
  notes: Note
  spouse: Person
  owner: Party
}
type Home @join__type(graph: HOMES, key: "unit") @cacheControl(maxAge: 120) @cacheControl(maxAge: 90) {
  unit: String!
  area: Float
}
type Household @join__type(graph: PEOPLE) @cacheControl(maxAge: 200) {
  number: String!
  members: [Person!]!
}
type Note @join__type(graph: PEOPLE) {
  text: String
}
type Company @join__type(graph: PEOPLE, key: "code") @cacheControl(maxAge: 30) {
  code: String!
}
union Party = Person | Company
`;
