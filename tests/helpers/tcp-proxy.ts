/**
 * A TCP proxy on 127.0.0.1 in front of a local service, which a test can cut (listener closed,
 * every connection dropped, so connects are refused) and restore on the same port: a service
 * outage without stopping the shared service itself.
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/** A running proxy. */
export interface TcpProxy {
  port: number;
  /** Drops every connection and stops listening; resolves once the port refuses connections. */
  cut(): Promise<void>;
  /** Keeps every connection open but forwards nothing more either way: a service that hangs. */
  silence(): void;
  /** Listens on the same port again (or forwards again after silence()). */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a proxy to 127.0.0.1:`targetPort` on an ephemeral port. */
export async function startTcpProxy(targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const pairs = new Set<[Socket, Socket]>();
  let server: Server | undefined;
  let silent = false;
  const listen = (port: number): Promise<number> => {
    const created = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      const pair: [Socket, Socket] = [client, upstream];
      pairs.add(pair);
      if (!silent) client.pipe(upstream).pipe(client);
      client.on('close', () => (pairs.delete(pair), upstream.destroy()));
      upstream.on('close', () => client.destroy());
    });
    server = created;
    return new Promise((resolve, reject) => {
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => resolve((created.address() as AddressInfo).port));
    });
  };
  const stop = async (): Promise<void> => {
    const current = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  const port = await listen(0);
  return {
    port,
    cut: stop,
    silence() {
      silent = true;
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    async restore() {
      if (silent) {
        silent = false;
        for (const [client, upstream] of pairs) client.pipe(upstream).pipe(client);
      }
      if (!server) await listen(port);
    },
    close: stop,
  };
}
