import { spawn, type ChildProcess } from "node:child_process";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { settledWithin } from "./settle";

// A peer in a process of its own (as Redis is): its reply lands in the socket while this
// process is busy, which is the case settledWithin must not mistake for a slow peer.
let peer: ChildProcess;
let port = 0;
beforeAll(async () => {
  peer = spawn(
    process.execPath,
    [
      "-e",
      `const s = require("node:net").createServer((c) => c.on("data", (d) => c.write(d)));
       s.listen(0, "127.0.0.1", () => process.stdout.write(String(s.address().port) + "\\n"));`,
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  port = await new Promise<number>((resolve) => peer.stdout!.once("data", (data) => resolve(Number(data))));
});
afterAll(() => {
  peer.kill();
});

const busy = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};

function opened(): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => resolve(socket));
    socket.once("error", reject);
  });
}

describe("settledWithin", () => {
  it("reads a reply that arrived while this process was stalled before giving up", async () => {
    const socket = await opened();
    try {
      const reply = new Promise<string>((resolve) => socket.once("data", (data) => resolve(data.toString())));
      socket.write("ping");
      const answer = settledWithin(reply, 50);
      busy(300);
      await expect(answer).resolves.toBe("ping");
    } finally {
      socket.destroy();
    }
  });

  it("rejects what never answers", async () => {
    await expect(settledWithin(new Promise(() => undefined), 20)).rejects.toThrow(/no answer within 20 ms/);
  });
});
