import { createReadStream } from "node:fs";
import { mkdir, open, readdir, rename, unlink, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { GroupCommitter } from "./group-commit";
import type { AuditEntry } from "../record";

/** Where replayed entries go: the audit writer. */
export interface SpoolTarget {
  append(entries: AuditEntry[]): Promise<unknown>;
  knownIds(ids: string[]): Promise<Set<string>>;
}

/**
 * A local file of audit entries the database could not take (AUDIT_FAILURE_MODE=spool). Lines
 * are fsynced before `append` resolves, and `replay` moves them into the store oldest first.
 * Files: `spool-<pid>.ndjson` is a live process's current file; `ready-<time>-<pid>.ndjson` a
 * closed one; `replaying-<pid>--<ready name>` one being replayed. Files of processes that are
 * gone are adopted, so the directory is for the processes of one host.
 */
export interface Spool {
  /** Resolves once the entry is on disk. */
  append(entry: AuditEntry): Promise<void>;
  /** Appends every spooled entry not yet recorded to the store; resolves with how many. */
  replay(store: SpoolTarget): Promise<number>;
  close(): Promise<void>;
}

export interface SpoolOptions {
  /** Entries per write and per replayed transaction. Default 256. */
  batchMax?: number;
  /** Told about a file whose content is damaged (it is renamed corrupt-... and kept). */
  onCorrupt?: (file: string, line: number) => void;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
};

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Opens (creating) the spool directory `dir`. */
export async function openSpool(dir: string, options: SpoolOptions = {}): Promise<Spool> {
  await mkdir(dir, { recursive: true });
  const batchMax = options.batchMax ?? 256;
  const own = join(dir, `spool-${process.pid}.ndjson`);
  let handle: FileHandle | undefined;
  let lock: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn);
    lock = run.catch(() => undefined);
    return run;
  };

  const writer = new GroupCommitter<AuditEntry>(
    (entries) =>
      exclusive(async () => {
        if (!handle) {
          handle = await open(own, "a");
          await syncDir(dir);
        }
        await handle.write(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(""));
        await handle.datasync();
      }),
    { batchMax, batchWaitMs: 0 },
  );

  const stamp = () => String(Date.now()).padStart(15, "0");
  const closeOwn = () =>
    exclusive(async () => {
      if (!handle) return;
      await handle.close();
      handle = undefined;
      await rename(own, join(dir, `ready-${stamp()}-${process.pid}.ndjson`));
    });

  async function adopt(): Promise<void> {
    for (const name of await readdir(dir)) {
      const live = /^spool-(\d+)\.ndjson$/.exec(name);
      const claimed = /^replaying-(\d+)--(ready-.+\.ndjson)$/.exec(name);
      const pid = Number((live ?? claimed)?.[1]);
      if (!pid || pid === process.pid || alive(pid)) {
        if (claimed && pid === process.pid) await rename(join(dir, name), join(dir, claimed[2]));
        continue;
      }
      const target = claimed ? claimed[2] : `ready-${stamp()}-${pid}.ndjson`;
      await rename(join(dir, name), join(dir, target)).catch(() => undefined);
    }
  }

  async function replayFile(path: string, store: SpoolTarget): Promise<number> {
    const lines = createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity });
    let appended = 0;
    let chunk: AuditEntry[] = [];
    let broken: number | null = null;
    let number = 0;
    const push = async () => {
      const known = await store.knownIds(chunk.map((entry) => entry.id));
      const fresh = chunk.filter((entry) => !known.has(entry.id));
      await store.append(fresh);
      appended += fresh.length;
      chunk = [];
    };
    for await (const line of lines) {
      number += 1;
      if (line.trim() === "") continue;
      // A line that does not parse is tolerated only as the last one: a write cut short by a crash.
      if (broken !== null) throw Object.assign(new Error("corrupt spool line"), { line: broken });
      try {
        chunk.push(JSON.parse(line) as AuditEntry);
      } catch {
        broken = number;
        continue;
      }
      if (chunk.length >= batchMax) await push();
    }
    if (chunk.length > 0) await push();
    return appended;
  }

  let replaying: Promise<number> | undefined;
  async function replayAll(store: SpoolTarget): Promise<number> {
    await closeOwn();
    await adopt();
    let total = 0;
    const ready = (await readdir(dir)).filter((name) => /^ready-\d+-\d+\.ndjson$/.test(name)).sort();
    for (const name of ready) {
      const claimed = join(dir, `replaying-${process.pid}--${name}`);
      try {
        await rename(join(dir, name), claimed);
      } catch {
        continue;
      }
      try {
        total += await replayFile(claimed, store);
      } catch (error) {
        const line = (error as { line?: number }).line;
        if (line === undefined) {
          await rename(claimed, join(dir, name));
          throw error;
        }
        await rename(claimed, join(dir, `corrupt-${name}`));
        options.onCorrupt?.(join(dir, `corrupt-${name}`), line);
        continue;
      }
      await unlink(claimed);
    }
    return total;
  }

  return {
    append: (entry) => writer.commit(entry),
    replay(store) {
      replaying ??= replayAll(store).finally(() => (replaying = undefined));
      return replaying;
    },
    async close() {
      await writer.flush();
      await replaying?.catch(() => undefined);
      await exclusive(async () => {
        await handle?.close();
        handle = undefined;
      });
    },
  };
}
