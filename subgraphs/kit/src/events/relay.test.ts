import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, type Db } from "../db";
import { openTestDb } from "../testing/index";
import { outboxMigration, recordChange } from "./outbox";
import { startOutboxRelay, type OutboxRelay } from "./relay";
import { eventually, outboxRows } from "../testing/events";
import type { InvalidationBus, InvalidationEvent } from "./types";

const logger = pino({ level: "silent" });
let db: Db;
let schemas = 0;
const relays: OutboxRelay[] = [];

beforeAll(async () => {
  db = await openTestDb();
}, 60_000);

afterAll(async () => {
  await Promise.all(relays.map((relay) => relay.stop()));
  await db?.close();
});

/** A fresh outbox of its own for one test. */
async function outbox(): Promise<string> {
  const schema = `relay_test_${(schemas += 1)}`;
  await migrate(db, schema, [outboxMigration(schema, 1)]);
  return schema;
}

/** Records `count` events, one transaction each; returns their ids in order. */
async function record(schema: string, count: number, from = 0): Promise<string[]> {
  const ids: string[] = [];
  for (let n = from; n < from + count; n += 1) {
    ids.push(...(await db.transaction((tx) => recordChange(tx, schema, [{ type: "Person", key: `p${n}` }]))));
  }
  return ids;
}

/** A bus that records what it publishes, can be made to fail, and counts publishes in flight. */
class TestBus implements InvalidationBus {
  published: InvalidationEvent[] = [];
  failing = false;
  attempts = 0;
  inFlight = 0;
  maxInFlight = 0;
  constructor(private readonly delayMs = 0) {}
  async publish(event: InvalidationEvent): Promise<void> {
    this.attempts += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
      if (this.failing) throw new Error("bus down");
      this.published.push(event);
    } finally {
      this.inFlight -= 1;
    }
  }
  async subscribe(): Promise<() => Promise<void>> {
    return async () => undefined;
  }
  async close(): Promise<void> {}
}

function relay(schema: string, bus: InvalidationBus, extra: object = {}): OutboxRelay {
  const started = startOutboxRelay({
    db,
    schema,
    source: "test",
    bus,
    logger,
    intervalMs: 5,
    maxBackoffMs: 40,
    ...extra,
  });
  relays.push(started);
  return started;
}

const allSent = (schema: string) => async () => (await outboxRows(db, schema)).every((row) => row.sent);

describe("recordChange", () => {
  it("commits and rolls back with the change's transaction", async () => {
    const schema = await outbox();
    const failed = db.transaction(async (tx) => {
      await recordChange(tx, schema, [{ type: "Person", key: "rolled-back" }]);
      throw new Error("the change failed");
    });
    await expect(failed).rejects.toThrow("the change failed");
    expect(await outboxRows(db, schema)).toEqual([]);
    const ids = await db.transaction((tx) =>
      recordChange(tx, schema, [
        { type: "Person", key: "a", tags: ["Household:H1", "Household:H1"] },
        { type: "Enterprise", key: null, tags: [] },
      ]),
    );
    const rows = await outboxRows(db, schema);
    expect(rows.map((row) => [row.id, row.type, row.key, row.tags, row.sent])).toEqual([
      [ids[0], "Person", "a", ["Household:H1"], false],
      [ids[1], "Enterprise", null, [], false],
    ]);
    expect(rows[0].txid).toBe(rows[1].txid);
  });
});

describe("startOutboxRelay", () => {
  it("publishes pending rows in order with the event contract and marks them sent", async () => {
    const schema = await outbox();
    const ids = await record(schema, 3);
    const bus = new TestBus();
    relay(schema, bus);
    await eventually(allSent(schema), "the rows marked sent");
    expect(bus.published.map((event) => event.id)).toEqual(ids);
    expect(bus.published[0]).toEqual({
      id: ids[0],
      source: "test",
      type: "Person",
      key: "p0",
      tags: [],
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
  });

  it("keeps rows pending while the bus fails and publishes them later, in order, once", async () => {
    const schema = await outbox();
    const bus = new TestBus();
    bus.failing = true;
    const ids = await record(schema, 4);
    relay(schema, bus);
    await eventually(() => bus.attempts >= 3, "several failed attempts");
    expect((await outboxRows(db, schema)).map((row) => row.sent)).toEqual([false, false, false, false]);
    ids.push(...(await record(schema, 2, 4)));
    bus.failing = false;
    await eventually(allSent(schema), "the rows marked sent");
    expect(bus.published.map((event) => event.id)).toEqual(ids);
  });

  it("marks what it published before a failure and resumes after it", async () => {
    const schema = await outbox();
    const ids = await record(schema, 5);
    const bus = new TestBus();
    const publish = bus.publish.bind(bus);
    bus.publish = async (event) => {
      if (bus.published.length === 2 && bus.attempts < 4) {
        bus.attempts += 1;
        throw new Error("bus down mid-batch");
      }
      return publish(event);
    };
    relay(schema, bus);
    await eventually(allSent(schema), "the rows marked sent");
    expect(bus.published.map((event) => event.id)).toEqual(ids);
  });

  it("never lets two relays on one database publish at once or publish a row twice", async () => {
    const schema = await outbox();
    const bus = new TestBus(2);
    relay(schema, bus, { batchSize: 7 });
    relay(schema, bus, { batchSize: 7 });
    const ids = [...(await record(schema, 20)), ...(await record(schema, 20, 20))];
    await eventually(allSent(schema), "the rows marked sent", 30_000);
    expect(bus.maxInFlight).toBe(1);
    expect(bus.published.map((event) => event.id)).toEqual(ids);
  });

  it("hands the lease over when a relay stops, and prunes sent rows past retention", async () => {
    const schema = await outbox();
    const first = new TestBus();
    const stopping = relay(schema, first);
    await record(schema, 2);
    await eventually(allSent(schema), "the first rows sent");
    await stopping.stop();
    const second = new TestBus();
    relay(schema, second, { retentionMs: 1, pruneEveryMs: 10, leaseMs: 60_000 });
    const later = await record(schema, 2, 2);
    await eventually(() => second.published.length === 2, "the later rows published by the other relay");
    expect(second.published.map((event) => event.id)).toEqual(later);
    await eventually(async () => (await outboxRows(db, schema)).length === 0, "the sent rows pruned");
  });
});
