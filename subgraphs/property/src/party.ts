import { createUnionType } from "type-graphql";
import { Enterprise } from "./enterprise";
import { Person } from "./person";

/** Same name and members as in the legal-entity registry, so composition merges the two. */
export const Party = createUnionType({
  name: "Party",
  description: "A person or an enterprise: a shareholder or an owner.",
  types: () => [Person, Enterprise] as const,
  // Values are key stubs, never class instances, so instanceof cannot decide.
  resolveType: (party) => ("uscc" in party ? "Enterprise" : "Person"),
});
