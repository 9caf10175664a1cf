import type { MatterCatalogue } from "@onecert/access";
import { readCertificate } from "./certificate-file";
import { readMatterSources } from "./matter-file";
import { readMatterPlan } from "./matter-plan";
import type { CertificateCatalogue, CertificateType, MatterPlan } from "./model";
import { readCatalogueDirs, type CatalogueDirs, type CatalogueTexts } from "./sources";
import type { SupergraphView } from "./supergraph";

/** A catalogue that does not fit the supergraph; `problems` name the file and the reason each. */
export class CatalogueError extends Error {
  constructor(readonly problems: string[]) {
    super(`the certificate catalogue has ${problems.length} problem(s):\n  ${problems.join("\n  ")}`);
  }
}

export interface CatalogueSources extends CatalogueDirs {
  supergraph: SupergraphView;
}

export type LoadedCatalogue = CertificateCatalogue & { matterCatalogue: MatterCatalogue };

/**
 * Loads every certificate type and matter and checks them against the supergraph at once, so a
 * broken definition stops the start with its file and reason instead of failing a check later.
 */
export function loadCatalogue(sources: CatalogueSources): LoadedCatalogue {
  return loadCatalogueTexts(readCatalogueDirs(sources), sources.supergraph);
}

/** loadCatalogue over texts already read: the YAML files, or the live catalogue's versions. */
export function loadCatalogueTexts(texts: CatalogueTexts, supergraph: SupergraphView): LoadedCatalogue {
  const sources = { supergraph };
  const problems: string[] = [];
  const certificates = new Map<string, CertificateType>();
  // Types whose own file is broken: matters naming them are not reported a second time.
  const broken = new Set<string>();
  for (const { file: path, text } of texts.certificates) {
    const read = readCertificate(path, text, sources.supergraph);
    problems.push(...read.problems);
    if (!read.certificate) {
      if (read.id) broken.add(read.id);
      continue;
    }
    if (certificates.has(read.certificate.id))
      problems.push(`${path}: certificate ${read.certificate.id} is defined twice`);
    certificates.set(read.certificate.id, read.certificate);
  }
  const matterFiles = readMatterSources(texts.matters);
  problems.push(...matterFiles.problems);
  const matterCatalogue = matterFiles.catalogue;
  const matters = new Map<string, MatterPlan>();
  for (const matter of matterCatalogue.list()) {
    const read = readMatterPlan(matter, matterCatalogue, certificates, broken, sources.supergraph);
    problems.push(...read.problems);
    matters.set(matter.code, { ...read.plan, source: matterFiles.sources.get(matter.code) });
  }
  if (problems.length > 0) throw new CatalogueError(problems);
  return {
    certificates,
    matters,
    matterCatalogue,
    allows(code, field) {
      const matter = matterCatalogue.get(code);
      const [typeName, fieldName] = field.split(".") as [string, string];
      const owners = sources.supergraph.departmentsOf(typeName, fieldName);
      return !!matter && matterCatalogue.allows(matter, typeName, fieldName, owners);
    },
    maxValidityMs: Math.max(0, ...[...certificates.values()].map((type) => type.validityMs)),
  };
}
