import { samples, type WorldOptions } from "@onecert/synthetic-world";
import { UsageError, parseWorldFlags } from "./options";
import { readWorldFile } from "./world-file";

/**
 * `onecert samples`: demo subjects per case of the world the database was seeded with;
 * `--case NAME` prints just that subject's id, for scripts.
 */
export async function samplesCommand(args: string[]): Promise<number> {
  const { world, values } = parseWorldFlags(args);
  const recorded = readWorldFile();
  const options: WorldOptions = {
    seed: world.seed ?? recorded?.seed,
    persons: world.persons ?? recorded?.persons,
    asOf: world.asOf ?? recorded?.asOf,
  };
  const list = samples(options);
  if (values.case !== undefined) {
    const found = list.find((sample) => sample.case === values.case);
    if (!found)
      throw new UsageError(`no case "${values.case}"; one of: ${list.map((s) => s.case).join(", ")}`);
    process.stdout.write(`${found.id}\n`);
    return 0;
  }
  if (values.json) {
    process.stdout.write(JSON.stringify(list, null, 2) + "\n");
    return 0;
  }
  const width = Math.max(...list.map((sample) => sample.case.length));
  for (const sample of list) {
    process.stdout.write(`${sample.case.padEnd(width)}  ${sample.id.padEnd(28)}  ${sample.description}\n`);
  }
  return 0;
}
