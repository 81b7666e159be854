/**
 * Failures before any HTTP is spoken, against real local listeners: a host whose connection never
 * completes (connect timeout) and a TLS server whose certificate nobody vouches for.
 *
 * The connection that never completes is an https:// request to a TCP listener that accepts and then
 * stays silent: the TLS handshake is never answered, and undici's connect timeout covers the TLS
 * handshake as it covers TCP's, with the same error. undici's connect timer is coarse (it ticks about
 * every 0.5 s, so a 300 ms timeout can fire close to 1 s, and it then reports two setImmediate turns
 * later), while the fetcher's own headers deadline is exact and runs from the dispatch: with the test
 * policy's 1 s headers timeout, a full suite now and then saw the headers deadline win ("no response
 * headers within 1 s"). The request here allows 5 s for headers, so only the connect timeout can end
 * an attempt. (Earlier this test made the TCP handshake hang against a listener with a full accept
 * queue, and that same failure was blamed on the kernel.)
 *
 * tests/fixtures/tls/self-signed.{key,crt}: made once with
 * `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost
 *  -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -days 36500`; test-only, valid to 2126.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureFetchError, createTestFetcher, pageRequest } from './fetch-test-kit.js';

describe('fetcher connect timeout', () => {
  let listener: TcpServer;
  let port: number;
  const held: Socket[] = [];

  beforeAll(async () => {
    // Accepts every connection and never writes a byte: the client's TLS ClientHello goes unanswered.
    listener = createTcpServer((socket) => void held.push(socket));
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as AddressInfo).port;
  });

  afterAll(async () => {
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => listener.close(resolve));
  });

  it('fails with FETCH_TIMEOUT when the connection never completes, after retrying on a new connection', async () => {
    const fetcher = createTestFetcher({ fakeSleep: true });
    try {
      const started = Date.now();
      const error = await captureFetchError(
        fetcher.fetch(
          pageRequest(`https://127.0.0.1:${port}/list.html`, {
            connectTimeoutMs: 300,
            headersTimeoutMs: 5_000,
            retries: 1,
          }),
        ),
      );
      const elapsed = Date.now() - started;
      expect(error.code).toBe('FETCH_TIMEOUT');
      expect(error.message).toMatch(
        /no connection to https:\/\/127\.0\.0\.1:\d+\/list\.html within 300 ms \(UND_ERR_CONNECT_TIMEOUT.*after 2 attempts/,
      );
      expect(error.hint).toMatch(/`connectTimeout`/);
      expect(error.attempts).toBe(2);
      expect(held).toHaveLength(2);
      // Two attempts, each stopped by the connect timeout (undici's connect timer ticks every
      // ~0.5 s, so an attempt lasts 300–1,000 ms on a quiet machine), not by the headers deadline
      // or some longer default.
      expect(elapsed).toBeGreaterThanOrEqual(2 * 300 - 50);
      expect(elapsed).toBeLessThan(2 * 5_000);
    } finally {
      await fetcher.close();
    }
  });
});

describe('fetcher TLS failures', () => {
  let server: HttpsServer;
  let origin: string;
  let connections = 0;
  let requests = 0;

  beforeAll(async () => {
    const fixtures = new URL('../../fixtures/tls/', import.meta.url);
    server = createHttpsServer(
      {
        key: readFileSync(new URL('self-signed.key', fixtures)),
        cert: readFileSync(new URL('self-signed.crt', fixtures)),
      },
      (_req, res) => {
        requests += 1;
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>secret</html>');
      },
    );
    // Every attempt is one TCP connection; a retry would open another.
    server.on('connection', () => void (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reports an untrusted certificate as FETCH_TLS, never retried and never sent the request', async () => {
    const fetcher = createTestFetcher({ fakeSleep: true });
    try {
      const error = await captureFetchError(fetcher.fetch(pageRequest(`${origin}/list.html`, { retries: 3 })));
      expect(error.code).toBe('FETCH_TLS');
      expect(error.retryable).toBe(false);
      expect(error.message).toMatch(
        /^fetch: source "test-source": TLS handshake with https:\/\/127\.0\.0\.1:\d+\/list\.html failed \(.*SELF_SIGNED.*\)/,
      );
      expect(error.hint).toMatch(/certificate/);
      expect(connections).toBe(1);
      expect(requests).toBe(0);
    } finally {
      await fetcher.close();
    }
  });
});
