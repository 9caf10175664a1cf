import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { sampleEntry } from "../testing";
import type { AuditEntry } from "../record";
import { openSpool, type SpoolTarget } from "./spool";

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(join(tmpdir(), "onecert-spool-"));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A replay target that keeps what it is given, as the audit writer would append it. */
function target(known: string[] = []): SpoolTarget & { appended: AuditEntry[] } {
  const appended: AuditEntry[] = [];
  return {
    appended,
    append: async (entries) => void appended.push(...entries),
    knownIds: async (ids) =>
      new Set(ids.filter((id) => known.includes(id) || appended.some((e) => e.id === id))),
  };
}

const lines = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith(".ndjson"))
    .map((name) => readFileSync(join(dir, name), "utf8"))
    .join("");

describe("the audit spool", () => {
  it("keeps appended entries on disk and replays them once, in order, skipping those already recorded", async () => {
    const dir = scratch();
    const spool = await openSpool(dir);
    const entries = Array.from({ length: 5 }, (_, i) => sampleEntry(i));
    await Promise.all(entries.map((entry) => spool.append(entry)));
    expect(lines(dir).trim().split("\n")).toHaveLength(5);
    const into = target([entries[1].id]);
    expect(await spool.replay(into)).toBe(4);
    expect(into.appended.map((e) => e.requestId)).toEqual(["req-0", "req-2", "req-3", "req-4"]);
    expect(lines(dir)).toBe("");
    expect(await spool.replay(into)).toBe(0);
    await spool.close();
  });

  it("keeps a file whose replay failed for the next attempt", async () => {
    const dir = scratch();
    const spool = await openSpool(dir);
    await spool.append(sampleEntry(1));
    const failing: SpoolTarget = {
      append: () => Promise.reject(new Error("down")),
      knownIds: async () => new Set(),
    };
    await expect(spool.replay(failing)).rejects.toThrow("down");
    const into = target();
    expect(await spool.replay(into)).toBe(1);
    await spool.close();
  });

  it("tolerates a last line cut by a crash, keeps a damaged file aside, and adopts a dead process's file", async () => {
    const dir = scratch();
    const cut = join(dir, "ready-000000000000001-999999.ndjson");
    writeFileSync(cut, `${JSON.stringify(sampleEntry(1))}\n{"id":"half`);
    const damaged = join(dir, "ready-000000000000002-999999.ndjson");
    writeFileSync(damaged, `nonsense\n${JSON.stringify(sampleEntry(2))}\n`);
    // A spool file of a process that no longer runs (no pid is this large).
    appendFileSync(join(dir, "spool-4194999.ndjson"), `${JSON.stringify(sampleEntry(3))}\n`);
    const corrupt: string[] = [];
    const spool = await openSpool(dir, { onCorrupt: (file) => corrupt.push(file) });
    const into = target();
    expect(await spool.replay(into)).toBe(2);
    expect(into.appended.map((e) => e.requestId)).toEqual(["req-1", "req-3"]);
    expect(corrupt).toHaveLength(1);
    expect(readdirSync(dir).filter((name) => name.startsWith("corrupt-"))).toHaveLength(1);
    await spool.close();
  });
});
