import { parse as parseYaml } from "yaml";
import { analyzeSelection } from "@onecert/access";
import { compileExpression, type CompiledExpression } from "./expressions";
import { FileProblems, ID, PARAMETER, parseValidity } from "./fields";
import { SUBJECT_ROOTS, type CertificateType, type SubjectKind } from "./model";
import { checkOperation } from "./operation";
import { readReasons } from "./reason-file";
import type { SupergraphView } from "./supergraph";
import { registriesRead, selects, topLevelKeys } from "./walk";

/** Reads and checks one schema/certificates/*.yaml; returns the type, or null with the problems. */
export function readCertificate(
  file: string,
  text: string,
  view: SupergraphView,
): { certificate: CertificateType | null; id: string | null; problems: string[] } {
  const p = new FileProblems(file);
  let raw: Record<string, unknown>;
  try {
    raw = p.record(parseYaml(text), "the file");
  } catch (error) {
    p.add(`not valid YAML: ${(error as Error).message}`);
    return { certificate: null, id: null, problems: p.list };
  }
  const id = p.string(raw.id, "id");
  if (id && !ID.test(id)) p.add("id must be lower-case letters, digits and -");
  const subject = raw.subject as SubjectKind;
  if (!(subject in SUBJECT_ROOTS)) p.add(`subject must be one of ${Object.keys(SUBJECT_ROOTS).join(", ")}`);
  const parameters = p.record(raw.parameters, "parameters");
  for (const key of Object.keys(parameters))
    if (!PARAMETER.test(key)) p.add(`parameter "${key}" is not a name`);
  const validityMs = parseValidity(raw.validity);
  if (validityMs === null) p.add('validity must be a duration such as "30d" or "12h"');

  const expression = (source: unknown, what: string): CompiledExpression | null => {
    if (typeof source !== "string" || source.trim() === "") {
      p.add(`${what} must be a JSONata expression`);
      return null;
    }
    try {
      return compileExpression(source);
    } catch (error) {
      p.add(`${what} does not parse: ${(error as Error).message}`);
      return null;
    }
  };
  const rule = expression(raw.rule, "rule");
  if (raw.reason !== undefined) p.add("reason is replaced by reasons: cases with a code, params, zh and en");
  const reasons = readReasons(raw.reasons, p, expression);
  const evidenceSource = p.record(raw.evidence, "evidence");
  if (Object.keys(evidenceSource).length === 0) p.add("evidence must name at least one value");
  const evidence = Object.entries(evidenceSource).map(
    ([key, source]) => [key, expression(source, `evidence.${key}`)] as const,
  );

  const operationText = p.string(raw.operation, "operation");
  const operation =
    subject in SUBJECT_ROOTS ? checkOperation(operationText, subject, parameters, view, p) : null;
  const required = p.array(raw.required ?? null, "required").map((path) => String(path).split("."));
  if (operation) {
    for (const path of required) {
      if (!selects(operation.selection, path))
        p.add(`required path ${path.join(".")} is not selected by the operation`);
    }
  }
  if (p.list.length > 0 || !operation || !rule || !reasons) {
    return { certificate: null, id, problems: p.list };
  }
  const reads = new Set(
    analyzeSelection(view.apiSchema, operation.document, operation.definition).fields.map(
      (field) => `${field.typeName}.${field.fieldName}`,
    ),
  );
  return {
    certificate: {
      id,
      name: p.name(raw.name),
      description: typeof raw.description === "string" ? raw.description.trim() : "",
      subject,
      department: p.string(raw.department, "department"),
      parameters,
      operation: operationText,
      selection: operation.selection,
      variables: operation.variables,
      required: required.length ? required : topLevelKeys(operation.selection).map((key) => [key]),
      rule,
      reasons,
      evidence: evidence.map(([key, compiled]) => [key, compiled!]),
      validity: String(raw.validity),
      validityMs: validityMs!,
      registries: registriesRead(view, SUBJECT_ROOTS[subject].field, operation.selection),
      reads: [...reads],
      file,
    },
    id,
    problems: p.list,
  };
}
