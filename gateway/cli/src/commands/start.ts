import { samples } from "@onecert/synthetic-world";
import { type RegistryDefinition } from "@onecert/subgraph-kit";
import { relative, resolve } from "node:path";
import { devCredentialsFile, ensureDevCredentials } from "../dev/credentials";
import { DEV_GRANTS } from "../dev/grants";
import { README_MATTER, README_QUERY, curlExample } from "../dev/examples";
import { DATA_DIR } from "@onecert/subgraph-kit";
import { startTracing } from "@onecert/subgraph-kit/tracing";
import { REGISTRIES, SERVICE_SUBGRAPHS } from "../dev/registries";
import { startStack } from "../dev/stack";
import { parseWorldFlags } from "./options";
import { progressPrinter } from "./progress";
import { waitForShutdown } from "./signals";
import { writeWorldFile } from "./world-file";
import { cliSettings, registryPort as portSetting } from "../settings";

/** A registry's port: <NAME>_PORT (e.g. LEGAL_ENTITY_PORT), else its default (4001-4004). */
function registryPort(registry: Pick<RegistryDefinition, "name" | "defaultPort">): number {
  return portSetting(registry.name) ?? registry.defaultPort;
}

/** `onecert start`: every service in one process, seeded on first start, stopped by Ctrl-C. */
export async function start(args: string[]): Promise<number> {
  const { world } = parseWorldFlags(args);
  process.env.NODE_ENV ??= "development";
  // Departments can register and change subgraphs at run time; the registry follows the code's
  // own subgraph SDLs in schema/ for the subgraphs no department has taken over.
  process.env.SUPERGRAPH_SOURCE ??= "registry";
  process.env.REGISTRY_SYNC_FILES ??= "true";
  const settings = cliSettings();
  const databaseUrl = settings.DATABASE_URL;
  const started = Date.now();
  // One process, one provider: each span names its service in `onecert.service`.
  const tracing = startTracing({ serviceName: "onecert", env: process.env });
  const dataDir = settings.PGLITE_DATA_DIR ?? resolve(DATA_DIR, "pglite");
  const stack = await startStack({
    databaseUrl,
    dataDir,
    seedPersons: world.persons ?? settings.SEED_PERSONS,
    seed: world.seed,
    asOf: world.asOf,
    registryPorts: Object.fromEntries(
      [...REGISTRIES, ...SERVICE_SUBGRAPHS].map((registry) => [registry.name, registryPort(registry)]),
    ),
    gateway: { port: settings.PORT ?? 4000 },
    onSeedProgress: progressPrinter("seeding"),
  });
  if (stack.world) writeWorldFile(stack.world);
  const credentialsPath = devCredentialsFile();
  const credentials = await ensureDevCredentials({
    identity: stack.gateway.access.identity,
    grants: stack.gateway.access.grants,
    path: credentialsPath,
    grantSpecs: DEV_GRANTS,
  });
  const window = credentials.clients.find((client) => client.role === "window");
  // The periodic commitment re-check runs as the demo window unless RECHECK_API_KEY names another.
  if (window && !process.env.RECHECK_API_KEY) stack.certificates.setRecheckApiKey(window.apiKey);
  const showcase = stack.world
    ? samples(stack.world).find((sample) => sample.case === "person-showcase")
    : undefined;
  const lines = [
    "",
    `OneCert is up in ${((Date.now() - started) / 1000).toFixed(1)} s (${databaseUrl ? "PostgreSQL" : `embedded PostgreSQL in ${relative(process.cwd(), dataDir) || "."}`}).`,
    `  ${"gateway".padEnd(17)} ${stack.gateway.url}`,
    ...[...stack.registries, stack.certificates].map(
      (service) => `  ${service.name.padEnd(17)} ${service.url}`,
    ),
    "",
    `Development API keys (also in ${credentialsPath}):`,
    ...credentials.clients.map((c) => `  ${c.name.padEnd(16)} ${c.role.padEnd(10)} ${c.apiKey}`),
    "",
  ];
  if (showcase && window) {
    const headers = {
      authorization: `Bearer ${window.apiKey}`,
      "x-operator-id": "clerk-001",
      "x-matter-code": README_MATTER,
    };
    lines.push(
      `Try the cross-registry query as the demo window, for ${showcase.description.toLowerCase()}`,
      curlExample(stack.gateway.url, README_QUERY, { id: showcase.id }, headers),
      "",
      "More subjects: npx onecert samples --json",
    );
  }
  lines.push("Press Ctrl-C to stop.", "");
  process.stdout.write(lines.join("\n"));

  const signal = await waitForShutdown();
  process.stdout.write(`\n${signal}: stopping...\n`);
  await stack.stop();
  await tracing.shutdown();
  process.stdout.write("stopped.\n");
  return 0;
}
