import { samples, type RegistryDefinition } from "@onecert/subgraph-kit";
import { resolve } from "node:path";
import { README_QUERY, curlExample } from "../examples";
import { DATA_DIR } from "../paths";
import { REGISTRIES } from "../registries";
import { startStack } from "../stack";
import { parseWorldFlags } from "./options";
import { progressPrinter } from "./progress";
import { waitForShutdown } from "./signals";
import { writeWorldFile } from "./world-file";

/** A registry's port: <NAME>_PORT (e.g. LEGAL_ENTITY_PORT), else its default (4001-4004). */
function registryPort(registry: RegistryDefinition): number {
  const raw = process.env[`${registry.name.toUpperCase().replace(/-/g, "_")}_PORT`];
  return raw ? Number(raw) : registry.defaultPort;
}

/** `onecert start`: every service in one process, seeded on first start, stopped by Ctrl-C. */
export async function start(args: string[]): Promise<number> {
  const { world } = parseWorldFlags(args);
  process.env.NODE_ENV ??= "development";
  const databaseUrl = process.env.DATABASE_URL || undefined;
  const started = Date.now();
  const stack = await startStack({
    databaseUrl,
    dataDir: process.env.PGLITE_DATA_DIR || resolve(DATA_DIR, "pglite"),
    seedPersons: world.persons ?? Number(process.env.SEED_PERSONS || 10_000),
    seed: world.seed,
    asOf: world.asOf,
    registryPorts: Object.fromEntries(REGISTRIES.map((registry) => [registry.name, registryPort(registry)])),
    gateway: { port: Number(process.env.PORT || 4000) },
    onSeedProgress: progressPrinter("seeding"),
  });
  if (stack.world) writeWorldFile(stack.world);
  const showcase = stack.world
    ? samples(stack.world).find((sample) => sample.case === "person-showcase")
    : undefined;
  const lines = [
    "",
    `OneCert is up in ${((Date.now() - started) / 1000).toFixed(1)} s (${databaseUrl ? "PostgreSQL" : "embedded PostgreSQL in .data/pglite"}).`,
    `  gateway   ${stack.gateway.url}`,
    ...stack.registries.map((service) => `  ${service.name.padEnd(9)} ${service.url}`),
    "",
  ];
  if (showcase) {
    lines.push(
      `Try the cross-registry query for ${showcase.description.toLowerCase()}`,
      curlExample(stack.gateway.url, README_QUERY, { id: showcase.id }),
      "",
      "More subjects: npx onecert samples --json",
    );
  }
  lines.push("Press Ctrl-C to stop.", "");
  process.stdout.write(lines.join("\n"));

  const signal = await waitForShutdown();
  process.stdout.write(`\n${signal}: stopping...\n`);
  await stack.stop();
  process.stdout.write("stopped.\n");
  return 0;
}
