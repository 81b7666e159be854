import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, serveBytes, type TestServer } from '../../helpers/http-server.js';
import { respond, sequence } from '../../helpers/knob-server.js';
import { captureFetchError, createTestFetcher, pageRequest, type FakeClock } from './fetch-test-kit.js';

const PAGE = serveBytes('<html><body><a href="/n/1">通知</a></body></html>');

describe('fetcher retries', () => {
  let server: TestServer;
  let fetcher: ReturnType<typeof createTestFetcher>;
  let clock: FakeClock;

  beforeEach(async () => {
    server = await startTestServer();
    // Waits advance this clock instead of passing: they are recorded, not spent.
    clock = { now: Date.parse('2024-05-01T08:00:00Z') };
    fetcher = createTestFetcher({ fakeClock: clock });
  });
  afterEach(async () => {
    await fetcher.close();
    await server.close();
  });

  it('retries a 503 and returns the page that follows', async () => {
    server.route('/flaky', sequence(respond(503), PAGE));
    const result = await fetcher.fetch(pageRequest(`${server.origin}/flaky`, { maxRetryDelayMs: 60_000 }));
    expect(result.kind).toBe('fetched');
    expect(result.requests).toBe(2);
    expect(server.count('/flaky')).toBe(2);
    expect(fetcher.stats().retries).toBe(1);
    // Backoff with jitter: between half and all of the 1 s base step (random() is 0.5 here → 750 ms).
    expect(fetcher.sleeps).toEqual([750]);
  });

  it('backs off exponentially and gives up after the configured retries', async () => {
    server.route('/down', respond(502));
    const error = await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/down`, { retries: 3, maxRetryDelayMs: 60_000 })));
    expect(error.code).toBe('FETCH_HTTP_STATUS');
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/^fetch: source "test-source": HTTP 502 from http:\/\/127\.0\.0\.1:\d+\/down \(Bad Gateway\) after 4 attempts$/);
    expect(server.count('/down')).toBe(4);
    expect(fetcher.sleeps).toEqual([750, 1500, 3000]);
  });

  it('caps the backoff at maxRetryDelayMs', async () => {
    server.route('/down', respond(504));
    await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/down`, { retries: 4, maxRetryDelayMs: 2_000 })));
    expect(fetcher.sleeps).toEqual([750, 1500, 1500, 1500]);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    server.route('/limited', sequence(respond(429, { 'retry-after': '7' }), PAGE));
    const result = await fetcher.fetch(pageRequest(`${server.origin}/limited`, { maxRetryDelayMs: 60_000 }));
    expect(result.kind).toBe('fetched');
    expect(fetcher.sleeps).toEqual([7_000]);
    expect(server.count('/limited')).toBe(2);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(clock.now + 12_000).toUTCString();
    server.route('/limited', sequence(respond(503, { 'retry-after': at }), PAGE));
    const result = await fetcher.fetch(pageRequest(`${server.origin}/limited`, { maxRetryDelayMs: 60_000 }));
    expect(result.kind).toBe('fetched');
    expect(fetcher.sleeps).toEqual([12_000]);
  });

  it('gives up at once when Retry-After exceeds the cap, carrying the wait on the error', async () => {
    server.route('/limited', respond(429, { 'retry-after': '3600' }));
    const error = await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/limited`, { maxRetryDelayMs: 60_000 })));
    expect(error.code).toBe('FETCH_HTTP_STATUS');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(error.message).toContain('Retry-After 3600 s');
    expect(error.hint).toMatch(/asks us to wait 3600 s/);
    expect(server.count('/limited')).toBe(1);
    expect(fetcher.sleeps).toEqual([]);
  });

  it('holds back other requests to a host that answered Retry-After', async () => {
    server.route('/limited', respond(429, { 'retry-after': '3600' }));
    server.route('/other', PAGE);
    await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/limited`, { maxRetryDelayMs: 30_000 })));
    await fetcher.fetch(pageRequest(`${server.origin}/other`, { maxRetryDelayMs: 30_000 }));
    // The next request to the same host waited out the (capped) Retry-After.
    expect(fetcher.sleeps).toEqual([30_000]);
  });

  it.each([400, 401, 403, 404, 410, 451])('never retries HTTP %i', async (status) => {
    server.route('/no', respond(status));
    const error = await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/no`, { retries: 3 })));
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
    expect(error.attempts).toBe(1);
    expect(server.count('/no')).toBe(1);
  });

  it('does not retry a 500 (only 429, 502, 503 and 504 are transient)', async () => {
    server.route('/bug', respond(500));
    const error = await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/bug`, { retries: 3 })));
    expect(error.status).toBe(500);
    expect(error.hint).toMatch(/server problem/);
    expect(server.count('/bug')).toBe(1);
  });
});
