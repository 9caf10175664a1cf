import { badUserInput } from "@onecert/subgraph-kit";
import { GraphQLError } from "graphql";
import { parameterProblem } from "@onecert/catalogue";
import type {
  CertificateCatalogue,
  CertificateType,
  MatterPlan,
  SubjectKind,
  SupergraphView,
  CheckItem,
} from "@onecert/catalogue";

/** A subject as a caller names it. */
export interface SubjectRef {
  role?: string | null;
  idNumber?: string | null;
  uscc?: string | null;
}

/** One parameter of one certificate type, overridden for one check. */
export interface ParameterOverride {
  certificate: string;
  name: string;
  value?: unknown;
}

/** A certificate to check for one subject in one role, with everything the verdict needs. */
export interface PlannedItem extends CheckItem {
  role: string | null;
  commitmentAllowed: boolean;
}

const kindOf = (subject: SubjectRef): { kind: SubjectKind; key: string } => {
  if (subject.idNumber && subject.uscc)
    throw badUserInput("a subject has either idNumber or uscc, not both", "subjects");
  if (subject.idNumber) return { kind: "person", key: subject.idNumber };
  if (subject.uscc) return { kind: "enterprise", key: subject.uscc };
  throw badUserInput("a subject needs idNumber (a person) or uscc (an enterprise)", "subjects");
};

/** Turns a request into items: matter roles, parameters (matter, then overrides) and who is who. */
export function planner(catalogue: CertificateCatalogue, view: SupergraphView) {
  const matterOf = (code: string): MatterPlan => {
    const matter = catalogue.matters.get(code);
    if (!matter) throw badUserInput(`unknown matter "${code.slice(0, 64)}"`, "matter");
    return matter;
  };
  const typeOf = (id: string): CertificateType => {
    const type = catalogue.certificates.get(id);
    if (!type) throw badUserInput(`unknown certificate type "${id.slice(0, 64)}"`, "types");
    return type;
  };
  const withOverrides = (
    type: CertificateType,
    base: Readonly<Record<string, unknown>>,
    overrides: readonly ParameterOverride[],
  ) => {
    const parameters = { ...type.parameters, ...base };
    for (const override of overrides.filter((entry) => entry.certificate === type.id)) {
      if (!(override.name in type.parameters))
        throw badUserInput(`certificate ${type.id} has no parameter "${override.name}"`, "parameters");
      const variable = type.variables.find((candidate) => candidate.name === override.name);
      const problem = variable ? parameterProblem(view, variable.type, override.value) : null;
      if (problem)
        throw badUserInput(`certificate ${type.id}, parameter ${override.name}: ${problem}`, "parameters");
      parameters[override.name] = override.value ?? null;
    }
    return parameters;
  };
  const checkOverrides = (overrides: readonly ParameterOverride[], types: readonly string[]) => {
    for (const override of overrides) {
      if (!types.includes(override.certificate))
        throw badUserInput(
          `parameters name certificate ${override.certificate}, which this check does not include`,
          "parameters",
        );
    }
  };

  return {
    matterOf,
    /** Every certificate of a matter (or only `types`) for the subjects, assigned to its roles. */
    forMatter(
      code: string,
      subjects: readonly SubjectRef[],
      overrides: readonly ParameterOverride[],
      types?: readonly string[] | null,
    ): PlannedItem[] {
      const matter = matterOf(code);
      const assigned = new Map<string, { kind: SubjectKind; key: string }>();
      for (const subject of subjects) {
        const { kind, key } = kindOf(subject);
        const role = subject.role ?? matter.roles.find((r) => r.kind === kind && !assigned.has(r.role))?.role;
        const known = matter.roles.find((r) => r.role === role);
        if (!role || !known) {
          throw badUserInput(
            `matter ${code} has ${role ? `no role "${role}"` : `no free role for a ${kind}`}; roles: ${matter.roles.map((r) => `${r.role} (${r.kind})`).join(", ")}`,
            "subjects",
          );
        }
        if (known.kind !== kind)
          throw badUserInput(`role ${role} of matter ${code} is a ${known.kind}, not a ${kind}`, "subjects");
        if (assigned.has(role)) throw badUserInput(`role ${role} is given twice`, "subjects");
        assigned.set(role, { kind, key });
      }
      const missing = matter.roles.filter((r) => !assigned.has(r.role)).map((r) => r.role);
      if (missing.length > 0)
        throw badUserInput(`matter ${code} needs a subject for ${missing.join(", ")}`, "subjects");
      for (const id of types ?? [])
        if (!matter.certificates.some((entry) => entry.type === id)) {
          throw badUserInput(`matter ${code} does not need certificate ${id}`, "types");
        }
      const entries = matter.certificates.filter((entry) => !types || types.includes(entry.type));
      checkOverrides(
        overrides,
        entries.map((entry) => entry.type),
      );
      return entries.flatMap((entry) => {
        const certificate = typeOf(entry.type);
        const parameters = withOverrides(certificate, entry.parameters, overrides);
        return entry.roles.map((role) => ({
          certificate,
          role,
          subjectKind: certificate.subject,
          subjectKey: assigned.get(role)!.key,
          parameters,
          commitmentAllowed: entry.commitmentAllowed,
        }));
      });
    },
    /** The one item a commitment is about: a certificate the matter needs, for one of its roles. */
    forCommitment(code: string, certificateId: string, subject: SubjectRef): PlannedItem {
      const matter = matterOf(code);
      const entry = matter.certificates.find((candidate) => candidate.type === certificateId);
      if (!entry)
        throw badUserInput(`matter ${code} does not need certificate ${certificateId}`, "certificate");
      const certificate = typeOf(entry.type);
      const { kind, key } = kindOf(subject);
      if (kind !== certificate.subject)
        throw badUserInput(
          `certificate ${certificate.id} is about a ${certificate.subject}, the subject is a ${kind}`,
          "subject",
        );
      const role = subject.role ?? entry.roles[0];
      if (!entry.roles.includes(role))
        throw badUserInput(
          `matter ${code} checks ${certificate.id} for ${entry.roles.join(", ")}, not ${role}`,
          "subject",
        );
      return {
        certificate,
        role,
        subjectKind: kind,
        subjectKey: key,
        parameters: withOverrides(certificate, entry.parameters, []),
        commitmentAllowed: entry.commitmentAllowed,
      };
    },
    /** Some certificate types for one subject, under the matter the caller serves. */
    forTypes(
      code: string,
      subject: SubjectRef,
      types: readonly string[],
      overrides: readonly ParameterOverride[],
    ): PlannedItem[] {
      const matter = matterOf(code);
      const { kind, key } = kindOf(subject);
      if (types.length === 0) throw badUserInput("types must name at least one certificate type", "types");
      checkOverrides(overrides, types);
      return [...new Set(types)].map((id) => {
        const certificate = typeOf(id);
        if (certificate.subject !== kind)
          throw badUserInput(
            `certificate ${id} is about a ${certificate.subject}, the subject is a ${kind}`,
            "subject",
          );
        const undeclared = certificate.reads.filter((field) => !catalogue.allows(matter.code, field));
        if (undeclared.length > 0) {
          throw new GraphQLError(
            `Access denied. minimum necessary: matter ${matter.code} does not declare ${undeclared.join(", ")}, which certificate ${id} reads`,
            { extensions: { code: "FORBIDDEN" } },
          );
        }
        const entry = matter.certificates.find((candidate) => candidate.type === id);
        return {
          certificate,
          role: subject.role ?? null,
          subjectKind: kind,
          subjectKey: key,
          parameters: withOverrides(certificate, entry?.parameters ?? {}, overrides),
          commitmentAllowed: entry?.commitmentAllowed ?? true,
        };
      });
    },
  };
}

export type Planner = ReturnType<typeof planner>;
