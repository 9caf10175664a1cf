import { Refusal } from "@onecert/subgraph-kit";
import { Kind, parse, print, visit } from "graphql";

/**
 * Stamps every @share of a department's SDL with the department as the owner of the data, as
 * the registries' own schema builder does, and refuses an owner naming another department: a
 * department cannot hand its NOT_SHARED data to someone else's clients by declaration. Owners
 * naming `previous` (the department the subgraph moves away from) are rewritten.
 */
export function stampShareOwners(sdl: string, department: string, previous?: string): string {
  let stamped = false;
  const document = visit(parse(sdl), {
    Directive(node) {
      if (node.name.value !== "share") return undefined;
      const owner = node.arguments?.find((arg) => arg.name.value === "owner");
      const named = owner?.value.kind === Kind.STRING ? owner.value.value : undefined;
      if (owner && named === department) return undefined;
      if (owner && previous !== undefined && named === previous) {
        // The subgraph moves to another department (an admin's update): its data moves along.
        stamped = true;
        const others = (node.arguments ?? []).filter((arg) => arg !== owner);
        return { ...node, arguments: [ownerArgument(department), ...others] };
      }
      if (owner) {
        throw new Refusal(
          "INVALID_SDL",
          `@share owner ${print(owner.value)} is not the subgraph's department "${department}"`,
        );
      }
      stamped = true;
      return { ...node, arguments: [ownerArgument(department), ...(node.arguments ?? [])] };
    },
  });
  return stamped ? print(document) : sdl;
}

const ownerArgument = (department: string) =>
  ({
    kind: Kind.ARGUMENT,
    name: { kind: Kind.NAME, value: "owner" },
    value: { kind: Kind.STRING, value: department },
  }) as const;
