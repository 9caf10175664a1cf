import { type RegistryContext, Share } from "@onecert/subgraph-kit";
import { Ctx, FieldResolver, Resolver, Root } from "type-graphql";
import { RegistrationChange } from "./changes";
import type { LegalEntityLoaders } from "./data";
import { Enterprise } from "./enterprise";

@Resolver(() => Enterprise)
export class RegistrationChangeResolver {
  @Share("UNCONDITIONAL")
  @FieldResolver(() => [RegistrationChange], {
    description: "Status and legal-representative changes registered through this registry, oldest first.",
  })
  registrationChanges(
    @Root() enterprise: Enterprise,
    @Ctx() ctx: RegistryContext<LegalEntityLoaders>,
  ): Promise<RegistrationChange[]> {
    return ctx.loaders.changes.load(enterprise.uscc);
  }
}
