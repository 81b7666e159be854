import { describe, expect, it } from 'vitest';
import { startTestServer, serveBytes } from '../../helpers/http-server.js';
import { oversizeBody, resetConnection, slowHeaders, trickleBody } from '../../helpers/knob-server.js';
import { captureFetchError, pageRequest, useFetchTestEnv } from './fetch-test-kit.js';

describe('fetcher timeouts, size cap and broken connections', () => {
  const env = useFetchTestEnv();

  it('fails with FETCH_TIMEOUT when headers come too late, after retrying', async () => {
    env.server.route('/slow', slowHeaders(2_000, serveBytes('<html>late</html>')));
    const started = Date.now();
    const error = await captureFetchError(
      env.fetcher.fetch(pageRequest(`${env.server.origin}/slow`, { headersTimeoutMs: 150, retries: 1 })),
    );
    expect(error.code).toBe('FETCH_TIMEOUT');
    expect(error.message).toMatch(/no response headers .* within 150 ms .*after 2 attempts/);
    expect(error.hint).toMatch(/`headersTimeout`/);
    expect(env.server.count('/slow')).toBe(2);
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('aborts a body that trickles forever at the whole-body deadline', async () => {
    const trickle = trickleBody(30);
    env.server.route('/trickle', trickle);
    const started = Date.now();
    const error = await captureFetchError(
      env.fetcher.fetch(pageRequest(`${env.server.origin}/trickle`, { bodyTimeoutMs: 400, retries: 0 })),
    );
    const elapsed = Date.now() - started;
    expect(error.code).toBe('FETCH_TIMEOUT');
    expect(error.message).toMatch(/timed out reading the body .*not complete after 400 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(380);
    expect(elapsed).toBeLessThan(1_500);
    // Chunks kept coming (so undici's idle timeout never fired); only the deadline stopped it.
    expect(trickle.chunksSent()).toBeGreaterThan(5);
    expect(env.server.count('/trickle')).toBe(1);
  });

  it('rejects an oversize body by Content-Length without downloading it', async () => {
    const big = oversizeBody(50 * 1024 * 1024, { declareLength: true });
    env.server.route('/big', big);
    const error = await captureFetchError(
      env.fetcher.fetch(pageRequest(`${env.server.origin}/big`, { maxBytes: 100_000 })),
    );
    expect(error.code).toBe('FETCH_TOO_LARGE');
    expect(error.message).toContain('Content-Length 52428800 bytes, limit 100000 bytes');
    expect(error.hint).toMatch(/`maxSize`/);
    expect(env.server.count('/big')).toBe(1);
  });

  it('aborts the transfer of an undeclared oversize body once the cap is passed', async () => {
    const big = oversizeBody(200 * 1024 * 1024, { declareLength: false });
    env.server.route('/chunked', big);
    const error = await captureFetchError(
      env.fetcher.fetch(pageRequest(`${env.server.origin}/chunked`, { maxBytes: 1024 * 1024 })),
    );
    expect(error.code).toBe('FETCH_TOO_LARGE');
    expect(error.message).toContain('transfer aborted');
    await new Promise((resolve) => setTimeout(resolve, 100));
    // The server stopped well before 200 MB: the connection was closed, not drained.
    expect(big.bytesWritten()).toBeLessThan(32 * 1024 * 1024);
    expect(env.server.count('/chunked')).toBe(1);
  });

  it('retries a reset connection and reports FETCH_CONNECTION with the attempts', async () => {
    env.server.route('/reset', resetConnection());
    const error = await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/reset`, { retries: 2 })));
    expect(error.code).toBe('FETCH_CONNECTION');
    expect(error.retryable).toBe(true);
    expect(error.attempts).toBe(3);
    expect(error.message).toMatch(
      /^fetch: source "test-source": connection to http:\/\/127\.0\.0\.1:\d+\/reset failed \(.+\) after 3 attempts$/,
    );
    expect(env.server.count('/reset')).toBe(3);
    expect(env.fetcher.stats().retries).toBe(2);
  });

  it('reports a refused connection as FETCH_CONNECTION', async () => {
    const port = env.server.port;
    await env.server.close();
    env.server = await startTestServer();
    const error = await captureFetchError(
      env.fetcher.fetch(pageRequest(`http://127.0.0.1:${port}/gone`, { retries: 0 })),
    );
    expect(error.code).toBe('FETCH_CONNECTION');
    expect(error.message).toContain('ECONNREFUSED');
  });

  it('rejects URLs that are not absolute http(s) before any request', async () => {
    for (const url of ['ftp://example.org/list', 'not a url', 'file:///etc/passwd']) {
      const error = await captureFetchError(env.fetcher.fetch(pageRequest(url)));
      expect(error.code).toBe('FETCH_INVALID_URL');
    }
    expect(env.fetcher.stats().requests).toBe(0);
  });

  it('fails with FETCH_CONNECTION after close()', async () => {
    await env.fetcher.close();
    const error = await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/x`)));
    expect(error.code).toBe('FETCH_CONNECTION');
    expect(env.server.requests).toHaveLength(0);
  });
});
