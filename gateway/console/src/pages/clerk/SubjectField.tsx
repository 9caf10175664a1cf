import { Form, Input } from "antd";
import { useT, type Translate } from "../../i18n";
import { checkIdNumber, checkUscc, normaliseId, type IdCheck } from "../../lib/ids";
import type { SubjectKind } from "./matters";

/** The problem of an identifier, worded for the clerk; null while it is fine (or still empty). */
export function problemText(check: IdCheck, t: Translate): string | null {
  if (check.ok) return null;
  const { problem } = check;
  switch (problem.code) {
    case "empty":
      return null;
    case "length":
      return t("id.length", { length: problem.length });
    case "character":
      return t("id.character", { position: problem.position });
    case "lowerX":
      return t("id.lowerX");
    case "birthDate":
      return t("id.birthDate", { date: problem.date });
    case "future":
      return t("id.future", { date: problem.date });
    case "checkChar":
      return t("id.checkChar", { given: problem.given, expected: problem.expected });
  }
}

export const checkOf = (kind: SubjectKind, value: string): IdCheck =>
  kind === "ENTERPRISE" ? checkUscc(value) : checkIdNumber(value);

interface Props {
  id: string;
  label: string;
  kind: SubjectKind;
  value: string;
  onChange: (value: string) => void;
}

/** An ID number or credit code, checked character by character as it is typed. */
export function SubjectField({ id, label, kind, value, onChange }: Props) {
  const t = useT();
  const check = checkOf(kind, value);
  const problem = problemText(check, t);
  const complete = check.ok;
  return (
    <Form.Item
      label={label}
      htmlFor={id}
      validateStatus={problem ? "error" : complete ? "success" : undefined}
      hasFeedback={complete || problem !== null}
      help={problem ?? (complete ? t("id.valid") : kind === "ENTERPRISE" ? t("id.usccHint") : t("id.idHint"))}
    >
      <Input
        id={id}
        value={value}
        maxLength={18}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={problem !== null}
        placeholder={kind === "ENTERPRISE" ? "91350100M000100Y43" : "11010519491231002X"}
        onChange={(event) => onChange(normaliseId(event.target.value, kind))}
      />
    </Form.Item>
  );
}
