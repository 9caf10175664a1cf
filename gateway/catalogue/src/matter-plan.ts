import type { Matter, MatterCatalogue } from "@onecert/access";
import { mergeChecks, type CheckItem } from "./merge";
import { parameterProblem } from "./operation";
import { FileProblems } from "./fields";
import type { MatterFile } from "./matter-schema";
import {
  SUBJECT_ROOTS,
  type CertificateType,
  type MatterCertificate,
  type MatterPlan,
  type MatterRole,
} from "./model";
import type { SupergraphView } from "./supergraph";

/**
 * Reads the `subjects` and `certificates` of a matter file and checks them: known types and
 * roles, known parameters that fit, every field a certificate reads declared in the matter's
 * `fields`, and one fetch per registry for the whole matter, as the query planner would run it.
 */
export function readMatterPlan(
  matter: Matter,
  matters: MatterCatalogue,
  certificates: ReadonlyMap<string, CertificateType>,
  broken: ReadonlySet<string>,
  view: SupergraphView,
): { plan: MatterPlan; problems: string[] } {
  const p = new FileProblems(matter.file);
  // The rest of a matter file, its shape checked by matterFileSchema when it was read.
  const file = matter.extra as Pick<MatterFile, "subjects" | "certificates">;
  const roles: MatterRole[] = [];
  for (const { role, kind, name } of file.subjects ?? []) {
    if (roles.some((known) => known.role === role)) p.add(`subject role ${role} is listed twice`);
    roles.push({ role, kind, name });
  }
  const plan: MatterPlan = {
    code: matter.code,
    name: matter.name,
    department: matter.department,
    roles,
    certificates: [],
    file: matter.file,
  };
  const entries: MatterCertificate[] = [];
  for (const [index, raw] of (file.certificates ?? []).entries()) {
    const type = certificates.get(raw.type);
    if (!type) {
      if (broken.has(raw.type)) p.add(`certificates[${index}]: certificate ${raw.type} is broken`);
      else p.add(`certificates[${index}]: unknown certificate type "${raw.type}"`);
      continue;
    }
    const forRoles = raw.roles ?? roles.filter((role) => role.kind === type.subject).map((role) => role.role);
    if (forRoles.length === 0) p.add(`certificate ${type.id} needs a subject role of kind ${type.subject}`);
    for (const role of forRoles) {
      const known = roles.find((candidate) => candidate.role === role);
      if (!known) p.add(`certificate ${type.id}: unknown role "${role}"`);
      else if (known.kind !== type.subject)
        p.add(`certificate ${type.id} is about a ${type.subject}, role ${role} is a ${known.kind}`);
    }
    const parameters = raw.parameters ?? {};
    for (const [name, value] of Object.entries(parameters)) {
      if (!(name in type.parameters)) {
        p.add(`certificate ${type.id}: unknown parameter "${name}"`);
        continue;
      }
      const variable = type.variables.find((candidate) => candidate.name === name);
      const problem = variable ? parameterProblem(view, variable.type, value) : null;
      if (problem) p.add(`certificate ${type.id}, parameter ${name}: ${problem}`);
    }
    entries.push({
      type: type.id,
      roles: forRoles,
      parameters: { ...type.parameters, ...parameters },
      commitmentAllowed: raw.commitment !== false,
    });
  }
  if (p.list.length > 0) return { plan, problems: p.list };
  const finished = { ...plan, certificates: entries };
  for (const problem of undeclaredReads(finished, matters, certificates, view)) p.add(problem);
  if (p.list.length === 0 && entries.length > 0) {
    for (const [subgraph, count] of view.fetchesPerSubgraph(
      mergeChecks(sampleItems(finished, certificates)).document,
    )) {
      if (count > 1)
        p.add(`one check of this matter would call ${subgraph} ${count} times; regroup its certificates`);
    }
  }
  return { plan: finished, problems: p.list };
}

/** Fields a matter's certificates read that its `fields` do not declare (minimum necessary). */
function undeclaredReads(
  plan: MatterPlan,
  matters: MatterCatalogue,
  certificates: ReadonlyMap<string, CertificateType>,
  view: SupergraphView,
): string[] {
  const matter = matters.get(plan.code)!;
  const problems: string[] = [];
  for (const entry of plan.certificates) {
    const type = certificates.get(entry.type)!;
    const root = SUBJECT_ROOTS[type.subject];
    const reads = new Set(type.reads);
    if (plan.roles.filter((role) => role.kind === type.subject).length > 1) {
      // Several subjects of a kind are read at once through the plural root, matched by key.
      reads.delete(`Query.${root.field}`);
      reads.add(`Query.${root.pluralField}`).add(`${root.typeName}.${root.key}`);
    }
    for (const field of reads) {
      const [typeName, fieldName] = field.split(".") as [string, string];
      if (!matters.allows(matter, typeName, fieldName, view.departmentsOf(typeName, fieldName)))
        problems.push(`certificate ${type.id} reads ${field}, which the matter's fields do not declare`);
    }
  }
  return problems;
}

/** One item per certificate and role, with stand-in subjects: enough to plan the merged query. */
function sampleItems(plan: MatterPlan, certificates: ReadonlyMap<string, CertificateType>): CheckItem[] {
  return plan.certificates.flatMap((entry) =>
    entry.roles.map((role) => ({
      certificate: certificates.get(entry.type)!,
      subjectKind: certificates.get(entry.type)!.subject,
      subjectKey: role,
      parameters: entry.parameters,
    })),
  );
}
