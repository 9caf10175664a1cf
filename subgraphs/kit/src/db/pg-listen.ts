import { Client } from "pg";

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** Rejects channel names that would need quoting: LISTEN takes no parameters. */
export function checkChannel(channel: string): void {
  if (!CHANNEL.test(channel)) throw new Error(`invalid notification channel: ${channel}`);
}

/**
 * LISTENs on `channel` over a connection of its own (a pooled one would lose the subscription
 * when returned). The first connection must succeed; a later loss is retried every `retryMs`
 * (default 1000) until unsubscribed, and notifications sent meanwhile are missed, which is why
 * callers keep a polling fallback.
 */
export async function pgListen(
  url: string,
  channel: string,
  handler: (payload: string) => void,
  retryMs = 1000,
): Promise<() => Promise<void>> {
  checkChannel(channel);
  let client: Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void connect().catch(schedule), retryMs);
  };
  const connect = async (): Promise<void> => {
    const next = new Client({ connectionString: url });
    next.on("notification", (message) => {
      if (message.channel === channel) handler(message.payload ?? "");
    });
    // A lost connection emits "error", then "end"; only an established one reconnects from "end".
    next.on("error", () => undefined);
    next.on("end", () => {
      if (client !== next) return;
      client = null;
      schedule();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${channel}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    if (stopped) return void (await next.end().catch(() => undefined));
    client = next;
  };

  await connect();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const current = client;
    client = null;
    await current?.end().catch(() => undefined);
  };
}
