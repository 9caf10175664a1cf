/** A usage mistake: printed without a stack trace, exit code 2. */
export class UsageError extends Error {}

/** The usage mistake of a command called with no subcommand, or one it does not have. */
export function unknownSubcommand(sub: string | undefined, subcommands: string): UsageError {
  return new UsageError(
    sub
      ? `unknown subcommand "${sub}" (one of ${subcommands})`
      : `missing subcommand (one of ${subcommands})`,
  );
}
