import type { ReasonLanguage } from "@onecert/catalogue";
import { Arg, FieldResolver, registerEnumType, Resolver, Root } from "type-graphql";
import { CertificateVerdict } from "./types";

// Values equal to the names: the federated schema is rebuilt from SDL, where an argument's
// default is read as the enum name before the values are mapped, so the two must agree.
export enum Language {
  ZH = "ZH",
  EN = "EN",
}
const CATALOGUE_LANGUAGE: Readonly<Record<Language, ReasonLanguage>> = { ZH: "zh", EN: "en" };
registerEnumType(Language, {
  name: "Language",
  description: "A language every reason is written in: ZH (简体中文) or EN.",
});

/** The verdict's reason as text in the language asked; the code and parameters stay the same. */
@Resolver(() => CertificateVerdict)
export class VerdictReasonResolver {
  @FieldResolver(() => String, {
    description:
      "The reason as text, in English unless ZH is asked; reasonCode and reasonParams carry it as data.",
  })
  reason(
    @Root() verdict: CertificateVerdict,
    @Arg("language", () => Language, { defaultValue: Language.EN }) language: Language,
  ): string {
    return verdict.reasonText[CATALOGUE_LANGUAGE[language]];
  }
}
