// `npm run dev -- <command>`: the onecert command from the TypeScript sources (tsx, with the
// workspace packages' "source" export), for development without a build.
import { main } from "./commands/main";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  },
);
