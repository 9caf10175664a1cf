import { createServer, connect, type Server, type Socket } from "node:net";

/**
 * A TCP relay in front of a server (PostgreSQL here), for fault tests on loopback: `down()`
 * refuses new connections and cuts the open ones (a database that stopped), `up()` relays again,
 * `cut()` drops the open connections only (a database that restarted).
 */
export interface TcpRelay {
  port: number;
  up(): void;
  down(): void;
  cut(): void;
  close(): Promise<void>;
}

export async function startTcpRelay(
  target: { host: string; port: number },
  startUp = true,
): Promise<TcpRelay> {
  let open = startUp;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (!open) return void client.destroy();
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.on("error", () => socket.destroy());
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const cut = () => {
    for (const socket of sockets) socket.destroy();
  };
  return {
    port: (server.address() as { port: number }).port,
    up: () => void (open = true),
    down() {
      open = false;
      cut();
    },
    cut,
    close: () =>
      new Promise((resolve) => {
        cut();
        server.close(() => resolve());
      }),
  };
}
