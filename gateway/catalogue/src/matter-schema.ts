import { z } from "zod";
import { ROLES } from "@onecert/access";
import { ID } from "./fields";
import { SUBJECT_KINDS, type SubjectKind } from "./model";
import { checkYamlFile, mapping, type CheckedFile } from "./yaml-file";

const CODE = /^[a-z0-9][a-z0-9-]{0,63}$/;
const FIELD = /^\w+\.(\w+|\*)$/;

const text = () => z.string({ error: "must be a non-empty string" }).trim().min(1);
const entries = () =>
  z.array(z.string({ error: 'must be "Type.field" or "Type.*"' }).regex(FIELD), {
    error: 'must be a list of "Type.field" or "Type.*"',
  });

/** `{ zh, en }`: every name is given in both languages. */
export const localizedName = () =>
  mapping({
    zh: z.string({ error: "must be a string" }),
    en: z.string({ error: "must be a string" }),
  });

/** One role of a matter's subjects: `{ role, kind, name }`. */
const subject = mapping({
  role: z.string({ error: "must be lower-case letters, digits and -" }).regex(ID),
  kind: z.enum(SUBJECT_KINDS as [SubjectKind, ...SubjectKind[]], {
    error: `must be ${SUBJECT_KINDS.join(" or ")}`,
  }),
  name: localizedName(),
});

/** One certificate a matter needs: its type, for which roles, its parameters, commitment allowed. */
const certificate = mapping({
  type: z.string({ error: "must be a certificate type id" }).regex(ID),
  roles: z.array(z.string({ error: "must be a role" }), { error: "must be a list of roles" }).optional(),
  parameters: z.record(z.string(), z.unknown(), { error: "must be a mapping" }).optional(),
  commitment: z.boolean({ error: "must be true or false" }).optional(),
});

/**
 * The shape of a schema/matters/*.yaml file. Semantic rules that need other files (known
 * certificate types and roles, parameters that fit, fields in the supergraph, admission rules)
 * are checked after it, by the loaders.
 */
export const matterFileSchema = mapping({
  code: z.string({ error: "must be lower-case letters, digits and -" }).regex(CODE),
  name: localizedName(),
  department: text(),
  restricted: z.boolean({ error: "must be true or false" }).optional(),
  admits: mapping({
    departments: z
      .array(z.string({ error: "must be a department code" }), { error: "must be a list of departments" })
      .optional(),
    roles: z
      .array(z.enum(ROLES as [string, ...string[]], { error: `must be one of ${ROLES.join(", ")}` }), {
        error: `must be a list of ${ROLES.join(", ")}`,
      })
      .optional(),
  })
    .nullable()
    .optional(),
  fields: entries(),
  pendingFields: entries().optional(),
  subjects: z.array(subject, { error: "must be a list" }).optional(),
  certificates: z.array(certificate, { error: "must be a list" }).optional(),
});

export type MatterFile = z.infer<typeof matterFileSchema>;

/** Parses and checks one matter file's shape; problems name the file, line and column. */
export function checkMatterFile(file: string, text: string): CheckedFile<MatterFile> {
  return checkYamlFile(file, text, matterFileSchema, "matter");
}
