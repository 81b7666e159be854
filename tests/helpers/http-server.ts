/**
 * A real node:http server on 127.0.0.1 with an ephemeral port, for tests and the demo.
 * Routes map a path to a handler; every request is recorded so tests can assert on what the
 * server saw (counts, headers), not only on results.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the server saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  at: number;
}

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void | Promise<void>;

/** A running test server. */
export interface TestServer {
  url: string;
  origin: string;
  port: number;
  requests: SeenRequest[];
  /** Adds or replaces the handler for an exact path (query string ignored). */
  route(path: string, handler: RouteHandler): void;
  /** Number of requests seen for a path. */
  count(path: string): number;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0. Unknown paths answer 404. */
export async function startTestServer(routes: Record<string, RouteHandler> = {}): Promise<TestServer> {
  const table = new Map<string, RouteHandler>(Object.entries(routes));
  const requests: SeenRequest[] = [];
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const seen: SeenRequest = { method: req.method ?? 'GET', path, headers: req.headers, at: Date.now() };
    requests.push(seen);
    const handler = table.get(path);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(handler(req, res, seen)).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    origin,
    port,
    requests,
    route: (path, handler) => void table.set(path, handler),
    count: (path) => requests.filter((r) => r.path === path).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A handler that answers with fixed bytes and headers. */
export function serveBytes(body: Buffer | string, headers: Record<string, string> = {}, status = 200): RouteHandler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(body);
  };
}
