import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createInvalidationBus, memoryBus } from ".";
import { eventually } from "../testing/events";
import type { InvalidationEvent } from "./types";
import pino from "pino";

const event = (key: string): InvalidationEvent => ({
  id: randomUUID(),
  source: "property",
  type: "RealEstate",
  key,
  tags: [],
  at: new Date().toISOString(),
});

describe("memory bus", () => {
  it("lets every handle of one channel in the process meet the others, each with its own copy", async () => {
    const channel = `test-${randomUUID()}`;
    const registry = memoryBus({ channel });
    const gateway = createInvalidationBus({ channel, logger: pino({ level: "silent" }) });
    const other = memoryBus({ channel: `${channel}-other` });
    const seen: InvalidationEvent[] = [];
    const elsewhere: InvalidationEvent[] = [];
    await gateway.subscribe((e) => {
      seen.push(e);
      e.tags.push("mutated by a handler");
    });
    const unsubscribe = await registry.subscribe((e) => seen.push(e));
    await other.subscribe((e) => elsewhere.push(e));
    const first = event("1");
    await registry.publish(first);
    await eventually(() => seen.length === 2, "both subscribers");
    expect(seen[1]).toEqual(first);
    await unsubscribe();
    await gateway.close();
    await registry.publish(event("2"));
    await other.publish(event("3"));
    await eventually(() => elsewhere.length === 1, "the other channel's event");
    expect(seen).toHaveLength(2);
    expect(elsewhere.map((e) => e.key)).toEqual(["3"]);
    await expect(gateway.publish(event("4"))).rejects.toThrow("closed");
  });
});
