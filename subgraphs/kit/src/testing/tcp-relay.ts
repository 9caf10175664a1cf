import { connect, createServer, type AddressInfo, type Server, type Socket } from "node:net";

/** A TCP relay that tests cut and restore to simulate an outage of the service behind it. */
export interface TcpRelay {
  /** The relay's port on 127.0.0.1; it stays the same across stop and start. */
  readonly port: number;
  /** Listens again on the same port. */
  start(): Promise<void>;
  /** Drops every relayed connection and stops listening: the service looks down. */
  stop(): Promise<void>;
}

/** Starts a relay from 127.0.0.1 (a free port) to `target` (e.g. redis://127.0.0.1:6379). */
export async function startTcpRelay(target: URL, defaultPort = 6379): Promise<TcpRelay> {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let port = 0;
  const start = () =>
    new Promise<void>((resolve) => {
      server = createServer((incoming) => {
        const outgoing = connect(Number(target.port || defaultPort), target.hostname);
        for (const socket of [incoming, outgoing]) {
          sockets.add(socket);
          socket.on("error", () => undefined);
          socket.on("close", () => sockets.delete(socket));
        }
        incoming.pipe(outgoing).pipe(incoming);
      });
      server.listen(port, "127.0.0.1", () => {
        port = (server?.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server?.close(() => resolve());
    });
  await start();
  return {
    get port() {
      return port;
    },
    start,
    stop,
  };
}
