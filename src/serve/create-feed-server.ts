/**
 * Read-only node:http server for the published documents: feeds, OPML and the index page with
 * validators, 304s and cached compression, plus /healthz and /metrics. Single-node mode serves the
 * files in output/; shared mode passes `documents` rendered from the store (rendered-cache.ts).
 */
import { describeError, formatErrorMessage } from '../errors.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from '../log.js';
import { createFileCache, type CachedFile, type FileCache } from './file-cache.js';
import type { HealthSnapshot } from './health.js';
import { chooseEncoding, isNotModified } from './negotiate.js';
import { resolveRequestPath } from './resolve-request-path.js';
import { ServeError } from './serve-error.js';
import { createOutageLog, type OutageLog } from '../outage/outage-log.js';

/** What the server serves and where its dynamic answers come from. */
export interface FeedServerOptions {
  /** Folder of the published files; none in shared mode without an export (then `documents`, or nothing but /healthz). */
  outputDir?: string;
  /** Where documents come from instead of output/ (shared mode: rendered from the store). */
  documents?: FileCache;
  /** Returns the health document; the server answers /healthz 200 when ok, else 503. */
  getHealth: () => Promise<HealthSnapshot>;
  /** /metrics (Prometheus text format); 404 when absent. */
  getMetrics?: () => Promise<string> | string;
  logger?: Logger;
  /** Cache-Control max-age for files, in seconds; default 300. */
  maxAgeSeconds?: number;
  /** Memory for cached bodies and their compressed copies; default 64 MiB. */
  cacheMaxBytes?: number;
}

/** A feed server that can be started and stopped. */
export interface FeedServer {
  /** Starts listening; port 0 picks a free port. */
  listen(host: string, port: number): Promise<{ url: string; port: number }>;
  /** Stops accepting connections and waits for open requests (idle keep-alive sockets are closed). */
  close(): Promise<void>;
}

/** Creates the server for `outputDir`; nothing listens until listen(). */
export function createFeedServer(options: FeedServerOptions): FeedServer {
  const cache =
    options.documents ??
    (options.outputDir === undefined
      ? NO_DOCUMENTS
      : createFileCache(resolve(options.outputDir), options.cacheMaxBytes ?? 64 * 1024 * 1024));
  const context: HandlerContext = {
    options,
    cache,
    cacheControl: `public, max-age=${options.maxAgeSeconds ?? 300}`,
    // A probe polls /healthz every few seconds: a store outage is one line a minute, not one per probe.
    healthOutage: createOutageLog(options.logger),
  };
  const server = createServer((req, res) => {
    handleRequest(context, req, res).catch((error: unknown) => {
      options.logger?.error({ err: error, url: req.url }, 'serve: request failed');
      if (!res.headersSent) sendText(res, req, 500, 'internal server error');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  return {
    listen: (host, port) => listenOn(server, host, port, options.logger),
    close: () => closeServer(server),
  };
}

// --- Internal helpers ---

/** No folder and no store renderer (shared mode waiting for its store): every document is 404. */
const NO_DOCUMENTS: FileCache = {
  load: async () => undefined,
  encode: async () => undefined,
};

interface HandlerContext {
  options: FeedServerOptions;
  cache: FileCache;
  cacheControl: string;
  healthOutage: OutageLog;
}

async function handleRequest(context: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendText(res, req, 405, 'method not allowed');
  }
  const target = resolveRequestPath(req.url ?? '/');
  if (target.kind === 'refused') {
    context.options.logger?.debug(
      { url: req.url, status: target.status, reason: target.reason },
      'serve: request refused',
    );
    return sendText(res, req, target.status, target.status === 400 ? 'bad request' : 'not found');
  }
  if (target.kind === 'route' && target.route === 'healthz') return sendHealth(context, req, res);
  if (target.kind === 'route') return sendMetrics(context, req, res);
  const file = await context.cache.load(target.name);
  if (!file) return sendText(res, req, 404, 'not found');
  return sendFile(context, req, res, file);
}

async function sendFile(
  context: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  file: CachedFile,
): Promise<void> {
  const encoding = file.compressible ? chooseEncoding(req.headers['accept-encoding']) : 'identity';
  const encoded = encoding === 'identity' ? undefined : await context.cache.encode(file, encoding);
  res.setHeader('ETag', file.etags[encoded ? encoding : 'identity']);
  res.setHeader('Last-Modified', file.lastModified);
  res.setHeader('Cache-Control', context.cacheControl);
  if (file.compressible) res.setHeader('Vary', 'Accept-Encoding');
  if (isNotModified(req.headers, file)) {
    res.writeHead(304).end();
    return;
  }
  const body = encoded ?? file.body;
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Length', body.length);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (file.contentType.startsWith('text/html')) {
    // The index page runs no script and loads nothing: a browser is told so, should a page's title
    // ever get past the escaping; and links to the sources do not tell them where the feeds are.
    res.setHeader('Content-Security-Policy', INDEX_PAGE_POLICY);
    res.setHeader('Referrer-Policy', 'no-referrer');
  }
  if (encoded) res.setHeader('Content-Encoding', encoding);
  res.writeHead(200);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** What the index page may do: inline style only, no script, no frame, no form, no other page embedding it. */
const INDEX_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

async function sendHealth(context: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  let snapshot: HealthSnapshot;
  try {
    snapshot = await context.options.getHealth();
    context.healthOutage.recovered({}, (failures) => `serve: health check works again after ${failures} failure(s)`);
  } catch (error) {
    context.healthOutage.failed({ err: error }, `serve: health check failed (${describeError(error)})`);
    return sendJson(res, req, 503, { ok: false, reason: `health check failed (${describeError(error)})` });
  }
  return sendJson(res, req, snapshot.ok ? 200 : 503, snapshot);
}

async function sendMetrics(context: HandlerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!context.options.getMetrics) return sendText(res, req, 404, 'not found');
  const text = await context.options.getMetrics();
  sendBody(res, req, 200, 'text/plain; version=0.0.4; charset=utf-8', Buffer.from(text, 'utf8'));
}

function sendJson(res: ServerResponse, req: IncomingMessage, status: number, value: unknown): void {
  sendBody(
    res,
    req,
    status,
    'application/json; charset=utf-8',
    Buffer.from(`${JSON.stringify(value, null, 2)}\n`, 'utf8'),
  );
}

function sendText(res: ServerResponse, req: IncomingMessage, status: number, text: string): void {
  sendBody(res, req, status, 'text/plain; charset=utf-8', Buffer.from(`${text}\n`, 'utf8'));
}

/** Dynamic and error answers are never cached: they describe this moment. */
function sendBody(res: ServerResponse, req: IncomingMessage, status: number, contentType: string, body: Buffer): void {
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function listenOn(server: Server, host: string, port: number, logger?: Logger): Promise<{ url: string; port: number }> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        new ServeError(
          'SERVE_LISTEN',
          formatErrorMessage('serve', `cannot listen on ${host}:${port}`, { detail: error.code ?? error.message }),
          {
            cause: error,
            hint:
              error.code === 'EADDRINUSE'
                ? 'Another process uses this port; pick another one with --port.'
                : 'Check the host and port.',
          },
        ),
      );
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      const url = `http://${shown}:${address.port}/`;
      logger?.info({ url }, 'serve: listening');
      resolvePromise({ url, port: address.port });
    });
  });
}

async function closeServer(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = new Promise<void>((resolvePromise, reject) =>
    server.close((error) => (error ? reject(error) : resolvePromise())),
  );
  server.closeIdleConnections();
  // Requests still open after a grace period are cut so shutdown stays bounded.
  const force = setTimeout(() => server.closeAllConnections(), 3_000);
  force.unref();
  try {
    await closed;
  } finally {
    clearTimeout(force);
  }
}
