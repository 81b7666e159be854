/**
 * Handler factories with "knobs" for fetch tests, to plug into startTestServer routes:
 * slow headers, trickling and oversize bodies, resets, sequences, compression, redirects and
 * a concurrency probe. Each records what it did so tests can assert on the server's side.
 */
import type { ServerResponse } from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import type { RouteHandler } from './http-server.js';

/** Waits `delayMs` before letting `then` answer (headers arrive late). */
export function slowHeaders(delayMs: number, then: RouteHandler): RouteHandler {
  return (req, res, seen) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => resolve(then(req, res, seen)), delayMs);
      res.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
}

/** Sends headers at once, then one chunk every `intervalMs` for as long as the client listens. */
export function trickleBody(intervalMs: number, chunk = '<p>.</p>\n'): RouteHandler & { chunksSent: () => number } {
  let sent = 0;
  const handler: RouteHandler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.write('<html><body>');
    const timer = setInterval(() => {
      sent += 1;
      res.write(chunk);
    }, intervalMs);
    res.on('close', () => clearInterval(timer));
  };
  return Object.assign(handler, { chunksSent: () => sent });
}

/** Streams `totalBytes` (HTML unless told) in 64 KiB chunks, respecting back-pressure, and counts what was written. */
export function oversizeBody(
  totalBytes: number,
  options: { declareLength: boolean; contentType?: string },
): RouteHandler & { bytesWritten: () => number } {
  let written = 0;
  const chunk = Buffer.alloc(64 * 1024, 'a');
  const handler: RouteHandler = (_req, res) => {
    const headers: Record<string, string> = { 'content-type': options.contentType ?? 'text/html' };
    if (options.declareLength) headers['content-length'] = String(totalBytes);
    res.writeHead(200, headers);
    writeUntil(res, totalBytes, chunk, (n) => (written += n));
  };
  return Object.assign(handler, { bytesWritten: () => written });
}

/** Destroys the socket without answering (the client sees a reset / closed connection). */
export function resetConnection(): RouteHandler {
  return (req) => {
    req.socket.destroy();
  };
}

/** Answers the n-th request with the n-th handler; the last one repeats. */
export function sequence(...handlers: RouteHandler[]): RouteHandler {
  let calls = 0;
  return (req, res, seen) => {
    const handler = handlers[Math.min(calls, handlers.length - 1)] as RouteHandler;
    calls += 1;
    return handler(req, res, seen);
  };
}

/** A fixed status with headers and a short body. */
export function respond(
  status: number,
  headers: Record<string, string> = {},
  body: string | Buffer = '',
): RouteHandler {
  return (_req, res) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
    res.end(body);
  };
}

/** A redirect to `location`. */
export function redirectTo(location: string, status = 302): RouteHandler {
  return respond(status, { location });
}

/** Serves `body` compressed with `encoding` ('deflate-raw' sends raw deflate labelled as deflate). */
export function compressed(
  body: string | Buffer,
  encoding: 'gzip' | 'br' | 'deflate' | 'deflate-raw',
  headers: Record<string, string> = {},
): RouteHandler {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const packed = COMPRESSORS[encoding](bytes);
  const label = encoding === 'deflate-raw' ? 'deflate' : encoding;
  return respond(200, { 'content-encoding': label, 'content-type': 'text/html; charset=utf-8', ...headers }, packed);
}

/** Wraps a handler, holding each request `holdMs` and recording how many were in flight at once. */
export function concurrencyProbe(holdMs: number, then: RouteHandler): RouteHandler & { maxInFlight: () => number } {
  let inFlight = 0;
  let max = 0;
  const handler: RouteHandler = async (req, res, seen) => {
    inFlight += 1;
    max = Math.max(max, inFlight);
    await new Promise((resolve) => setTimeout(resolve, holdMs));
    inFlight -= 1;
    return then(req, res, seen);
  };
  return Object.assign(handler, { maxInFlight: () => max });
}

// --- Internal helpers ---

const COMPRESSORS: Record<'gzip' | 'br' | 'deflate' | 'deflate-raw', (bytes: Buffer) => Buffer> = {
  gzip: (bytes) => gzipSync(bytes),
  br: (bytes) => brotliCompressSync(bytes),
  deflate: (bytes) => deflateSync(bytes),
  'deflate-raw': (bytes) => deflateRawSync(bytes),
};

function writeUntil(res: ServerResponse, total: number, chunk: Buffer, count: (n: number) => void): void {
  let remaining = total;
  const pump = (): void => {
    while (remaining > 0 && !res.destroyed) {
      const piece = remaining >= chunk.length ? chunk : chunk.subarray(0, remaining);
      remaining -= piece.length;
      count(piece.length);
      if (!res.write(piece)) {
        res.once('drain', pump);
        return;
      }
    }
    if (remaining === 0) res.end();
  };
  pump();
}
