import type { SeedProgress } from "@onecert/synthetic-world";

/** Prints seeding progress on one line of stderr, about twice a second. */
export function progressPrinter(label: string): (progress: SeedProgress) => void {
  const started = Date.now();
  let last = 0;
  return (progress) => {
    const now = Date.now();
    if (now - last < 500 && progress.block < progress.blocks) return;
    last = now;
    const seconds = (now - started) / 1000;
    const rate = Math.round(progress.persons / Math.max(seconds, 0.001));
    const end = progress.block === progress.blocks ? "\n" : "";
    process.stderr.write(
      `\r${label}: ${progress.persons.toLocaleString("en")} persons (block ${progress.block}/${progress.blocks}), ${seconds.toFixed(1)} s, ${rate.toLocaleString("en")} persons/s${end}`,
    );
  };
}
