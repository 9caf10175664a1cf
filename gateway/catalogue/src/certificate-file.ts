import { analyzeSelection } from "@onecert/access";
import { compileExpression, type CompiledExpression } from "./expressions";
import { checkCertificateFile } from "./certificate-schema";
import { FileProblems, PARAMETER, parseValidity } from "./fields";
import { SUBJECT_ROOTS, type CertificateType } from "./model";
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
  const checked = checkCertificateFile(file, text);
  const raw = checked.value;
  if (!raw) {
    const id = (checked.raw as { id?: unknown } | null)?.id;
    return { certificate: null, id: typeof id === "string" ? id : null, problems: checked.problems };
  }
  const p = new FileProblems(file);
  const { id, subject } = raw;
  const parameters = raw.parameters ?? {};
  for (const key of Object.keys(parameters))
    if (!PARAMETER.test(key)) p.add(`parameter "${key}" is not a name`);

  const expression = (source: string, what: string): CompiledExpression | null => {
    try {
      return compileExpression(source);
    } catch (error) {
      p.add(`${what} does not parse: ${(error as Error).message}`);
      return null;
    }
  };
  const rule = expression(raw.rule, "rule");
  const reasons = readReasons(raw.reasons, p, expression);
  const evidence = Object.entries(raw.evidence).map(
    ([key, source]) => [key, expression(source, `evidence.${key}`)] as const,
  );

  const operationText = raw.operation;
  const operation = checkOperation(operationText, subject, parameters, view, p);
  const required = (raw.required ?? []).map((path) => path.split("."));
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
      name: raw.name,
      description: raw.description?.trim() ?? "",
      subject,
      department: raw.department,
      parameters,
      operation: operationText,
      selection: operation.selection,
      variables: operation.variables,
      required: required.length ? required : topLevelKeys(operation.selection).map((key) => [key]),
      rule,
      reasons,
      evidence: evidence.map(([key, compiled]) => [key, compiled!]),
      validity: raw.validity,
      validityMs: parseValidity(raw.validity)!,
      registries: registriesRead(view, SUBJECT_ROOTS[subject].field, operation.selection),
      reads: [...reads],
      file,
      source: text,
    },
    id,
    problems: p.list,
  };
}
