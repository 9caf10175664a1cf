import { Refusal } from "./errors";
import { createServer, type Server } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { readBody } from "./http";

let server: Server | undefined;
afterEach(
  () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
);

/** Serves one request with readBody and resolves with what it settled to. */
function readOne(limit?: number): Promise<{ port: number; result: Promise<string | Refusal | Error> }> {
  return new Promise((ready) => {
    let settle!: (value: string | Refusal | Error) => void;
    const result = new Promise<string | Refusal | Error>((resolve) => (settle = resolve));
    server = createServer((req, res) => {
      res.on("error", () => undefined);
      const answer = (value: string | Refusal | Error) => {
        settle(value);
        res.end();
      };
      readBody(req, limit).then(answer, answer);
    });
    server.listen(0, "127.0.0.1", () => ready({ port: (server!.address() as AddressInfo).port, result }));
  });
}

describe("readBody", () => {
  it("reads a whole body", async () => {
    const { port, result } = await readOne();
    await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "hello" });
    expect(await result).toBe("hello");
  });

  it("refuses a body over the limit with 413", async () => {
    const { port, result } = await readOne(4);
    await fetch(`http://127.0.0.1:${port}/`, { method: "POST", body: "too long" }).catch(() => undefined);
    expect(await result).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
  });

  it("turns a caller hanging up mid-body into 400 REQUEST_ABORTED, not a server error", async () => {
    const { port, result } = await readOne();
    const socket = connect(port, "127.0.0.1", () => {
      socket.write("POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\npart of it");
      setTimeout(() => socket.destroy(), 50);
    });
    const settled = await result;
    expect(settled).toBeInstanceOf(Refusal);
    expect(settled).toMatchObject({ status: 400, code: "REQUEST_ABORTED" });
  });
});
