import type { CheckReport, PublishResult, VersionSummary, SubgraphView } from "@onecert/schema-registry";
import { printJson, when } from "./admin-client";

/** Prints a check report: composition, other departments' data, changes and breaking fields. */
export function printReport(report: CheckReport): void {
  const lines = [
    `Checked against version ${report.baseVersion} (usage window ${report.usageWindowDays} days):`,
  ];
  lines.push(`  composition: ${report.composes ? "ok" : "FAILED"}`);
  lines.push(...report.compositionErrors.map((error) => `    - ${error.replace(/\n/g, "\n      ")}`));
  if (report.ownershipConflicts.length > 0) {
    lines.push("  other departments' data it would alter:");
    lines.push(...report.ownershipConflicts.map((conflict) => `    - ${conflict}`));
  }
  if (report.matterConflicts.length > 0) {
    lines.push("  matter fields it would remove:");
    lines.push(...report.matterConflicts.map((conflict) => `    - ${conflict}`));
  }
  if (report.catalogueConflicts.length > 0) {
    lines.push("  certificate checks it would break:");
    lines.push(...report.catalogueConflicts.map((conflict) => `    - ${conflict}`));
  }
  lines.push(`  changes that could break operations: ${report.changes.length || "none"}`);
  lines.push(...report.changes.map((change) => `    - ${change.field}: ${change.description}`));
  lines.push(`  breaking (used within the window): ${report.breaking.length || "none"}`);
  for (const item of report.breaking) {
    const clients = item.clients.map(
      (client) =>
        `${client.name ?? client.clientId} (${client.requests} requests, last ${when(client.lastUsed)})`,
    );
    lines.push(`    - ${item.field}, used by ${clients.join(", ")}`);
  }
  lines.push(report.ok ? "Result: can be published." : "Result: NOT publishable as it is.");
  process.stdout.write(`${lines.join("\n")}\n`);
}

/** Prints what a publish did: the new version, or that nothing changed. */
export function printPublished(result: PublishResult, json: boolean): void {
  if (json) return printJson(result);
  const { version } = result;
  if (!result.published) {
    process.stdout.write(`Nothing changed; version ${version.version} stays current.\n`);
    return;
  }
  const about = version.subgraph ? ` ${version.subgraph}` : ` to version ${version.rollbackOf}`;
  const override = version.override
    ? ` with an override (${version.breaking.map((b) => b.field).join(", ")})`
    : "";
  process.stdout.write(
    `Published supergraph version ${version.version}: ${version.action}${about} by ${version.actor.name}${override}.\n` +
      "Every gateway switches to it within seconds.\n",
  );
}

/** Columns of `onecert subgraph history` and `show`. */
export const HISTORY_COLUMNS: [string, (version: VersionSummary) => string][] = [
  ["VERSION", (version) => String(version.version)],
  ["ACTION", (version) => version.action + (version.rollbackOf ? ` to ${version.rollbackOf}` : "")],
  ["SUBGRAPH", (version) => version.subgraph ?? "-"],
  ["BY", (version) => version.actor.name],
  ["AT", (version) => when(version.at)],
  ["OVERRIDE", (version) => (version.override ? version.breaking.map((b) => b.field).join(",") : "-")],
  ["REASON", (version) => version.reason ?? "-"],
];

/** Columns of `onecert subgraph list` and `show`. */
export const SUBGRAPH_COLUMNS: [string, (subgraph: SubgraphView) => string][] = [
  ["NAME", (subgraph) => subgraph.name],
  ["DEPARTMENT", (subgraph) => subgraph.department],
  ["STATUS", (subgraph) => subgraph.status],
  ["SDL", (subgraph) => `v${subgraph.sdlVersion}`],
  ["HEALTH", (subgraph) => subgraph.health?.status ?? "-"],
  ["LAST ERROR", (subgraph) => subgraph.health?.lastError ?? "-"],
  ["URL", (subgraph) => subgraph.url],
];
