import { z } from "zod";
import { ID, parseValidity } from "./fields";
import { localizedName } from "./matter-schema";
import { SUBJECT_KINDS, type SubjectKind } from "./model";
import { REASON_CODE } from "./reasons";
import { checkYamlFile, mapping, type CheckedFile } from "./yaml-file";

/** A JSONata expression's text; whether it parses is checked after the shape. */
const expression = () => z.string({ error: "must be a JSONata expression" }).trim().min(1);
const template = () =>
  z
    .string({ error: "must be a non-empty template: every reason is given in zh and en" })
    .refine((value) => value.trim() !== "");

/** One case of `reasons:`: the first whose `when` holds gives the code, params and texts. */
const reasonCase = mapping({
  when: expression().optional(),
  code: z.string({ error: "must be UPPER_SNAKE, e.g. NO_HOME_IN_CITY" }).regex(REASON_CODE),
  params: z.record(z.string(), expression(), { error: "must be a mapping" }).optional(),
  zh: template(),
  en: template(),
});
const cases = () =>
  z.array(reasonCase, { error: "must be a list" }).min(1, { error: "must list at least one case" });

/**
 * The shape of a schema/certificates/*.yaml file. What needs the supergraph or parsing (the
 * operation, expressions, `required` paths) and the rules across reason cases (`when` order,
 * codes used once, placeholders naming params) are checked after it, by readCertificate.
 */
export const certificateFileSchema = mapping(
  {
    id: z.string({ error: "must be lower-case letters, digits and -" }).regex(ID),
    name: localizedName(),
    description: z.string({ error: "must be a string" }).optional(),
    subject: z.enum(SUBJECT_KINDS as [SubjectKind, ...SubjectKind[]], {
      error: `must be one of ${SUBJECT_KINDS.join(", ")}`,
    }),
    department: z.string({ error: "must be a non-empty string" }).trim().min(1),
    parameters: z.record(z.string(), z.unknown(), { error: "must be a mapping" }).optional(),
    operation: z.string({ error: "must be a non-empty string" }).refine((value) => value.trim() !== ""),
    rule: expression(),
    // The one-text reason of earlier files: refused with what replaced it.
    reason: z.never({ error: "is replaced by reasons: cases with a code, params, zh and en" }).optional(),
    reasons: mapping({ satisfied: cases(), notSatisfied: cases() }),
    evidence: z
      .record(z.string(), expression(), { error: "must be a mapping" })
      .refine((values) => Object.keys(values).length > 0, { error: "must name at least one value" }),
    validity: z
      .string({ error: 'must be a duration such as "30d" or "12h"' })
      .refine((value) => parseValidity(value) !== null),
    required: z.array(z.string({ error: "must be a response path" }), { error: "must be a list" }).optional(),
  },
  ["reason"],
);

export type CertificateFile = z.infer<typeof certificateFileSchema>;
export type ReasonsFile = CertificateFile["reasons"];

/** Parses and checks one certificate-type file's shape; problems name the file, line and column. */
export function checkCertificateFile(file: string, text: string): CheckedFile<CertificateFile> {
  return checkYamlFile(file, text, certificateFileSchema, "certificate type");
}
