import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { serveBytes } from '../../helpers/http-server.js';
import { respond, sequence } from '../../helpers/knob-server.js';
import { captureFetchError, pageRequest, useFetchTestEnv } from './fetch-test-kit.js';

const PAGE = serveBytes('<html><body><a href="/n/1">通知</a></body></html>');

describe('fetcher retries', () => {
  // Waits advance env.clock instead of passing: they are recorded, not spent.
  const env = useFetchTestEnv({ clockAt: '2024-05-01T08:00:00Z' });

  it('retries a 503 and returns the page that follows', async () => {
    env.server.route('/flaky', sequence(respond(503), PAGE));
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/flaky`, { maxRetryDelayMs: 60_000 }));
    expect(result.kind).toBe('fetched');
    expect(result.requests).toBe(2);
    expect(env.server.count('/flaky')).toBe(2);
    expect(env.fetcher.stats().retries).toBe(1);
    // Backoff with jitter: between half and all of the 1 s base step (random() is 0.5 here → 750 ms).
    expect(env.fetcher.sleeps).toEqual([750]);
  });

  it('backs off exponentially and gives up after the configured retries', async () => {
    env.server.route('/down', respond(502));
    const error = await captureFetchError(
      env.fetcher.fetch(pageRequest(`${env.server.origin}/down`, { retries: 3, maxRetryDelayMs: 60_000 })),
    );
    expect(error.code).toBe('FETCH_HTTP_STATUS');
    expect(error.status).toBe(502);
    expect(error.message).toMatch(
      /^fetch: source "test-source": HTTP 502 from http:\/\/127\.0\.0\.1:\d+\/down \(Bad Gateway\) after 4 attempts$/,
    );
    expect(env.server.count('/down')).toBe(4);
    expect(env.fetcher.sleeps).toEqual([750, 1500, 3000]);
  });

  it('caps the backoff at maxRetryDelayMs', async () => {
    env.server.route('/down', respond(504));
    await captureFetchError(
      env.fetcher.fetch(pageRequest(`${env.server.origin}/down`, { retries: 4, maxRetryDelayMs: 2_000 })),
    );
    expect(env.fetcher.sleeps).toEqual([750, 1500, 1500, 1500]);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    env.server.route('/limited', sequence(respond(429, { 'retry-after': '7' }), PAGE));
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/limited`, { maxRetryDelayMs: 60_000 }));
    expect(result.kind).toBe('fetched');
    expect(env.fetcher.sleeps).toEqual([7_000]);
    expect(env.server.count('/limited')).toBe(2);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(env.clock.now + 12_000).toUTCString();
    env.server.route('/limited', sequence(respond(503, { 'retry-after': at }), PAGE));
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/limited`, { maxRetryDelayMs: 60_000 }));
    expect(result.kind).toBe('fetched');
    expect(env.fetcher.sleeps).toEqual([12_000]);
  });

  it('gives up at once when Retry-After exceeds the cap, carrying the wait on the error', async () => {
    env.server.route('/limited', respond(429, { 'retry-after': '3600' }));
    const error = await captureFetchError(
      env.fetcher.fetch(pageRequest(`${env.server.origin}/limited`, { maxRetryDelayMs: 60_000 })),
    );
    expect(error.code).toBe('FETCH_HTTP_STATUS');
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(error.message).toContain('Retry-After 3600 s');
    expect(error.hint).toMatch(/asks us to wait 3600 s/);
    expect(env.server.count('/limited')).toBe(1);
    expect(env.fetcher.sleeps).toEqual([]);
  });

  it("a Retry-After longer than the cap defers only that source: the host's other requests go at once", async () => {
    env.server.route('/limited', respond(429, { 'retry-after': '3600' }));
    env.server.route('/other', PAGE);
    await captureFetchError(
      env.fetcher.fetch(pageRequest(`${env.server.origin}/limited`, { maxRetryDelayMs: 30_000 })),
    );
    await env.fetcher.fetch(pageRequest(`${env.server.origin}/other`, { maxRetryDelayMs: 30_000 }));
    // Before: the other source waited the capped 30 s, within the same run, for a source that had given up.
    expect(env.fetcher.sleeps).toEqual([]);
  });

  it('a short Retry-After holds back the other requests to that host', async () => {
    env.server.route('/limited', respond(429, { 'retry-after': '5' }));
    env.server.route('/other', PAGE);
    await captureFetchError(
      env.fetcher.fetch(pageRequest(`${env.server.origin}/limited`, { retries: 0, maxRetryDelayMs: 30_000 })),
    );
    await env.fetcher.fetch(pageRequest(`${env.server.origin}/other`, { maxRetryDelayMs: 30_000 }));
    expect(env.fetcher.sleeps).toEqual([5_000]);
  });

  it.each([400, 401, 403, 404, 410, 451])('never retries HTTP %i', async (status) => {
    env.server.route('/no', respond(status));
    const error = await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/no`, { retries: 3 })));
    expect(error.status).toBe(status);
    expect(error.retryable).toBe(false);
    expect(error.attempts).toBe(1);
    expect(env.server.count('/no')).toBe(1);
  });

  it('does not retry a 500 (only 429, 502, 503 and 504 are transient)', async () => {
    env.server.route('/bug', respond(500));
    const error = await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/bug`, { retries: 3 })));
    expect(error.status).toBe(500);
    expect(error.hint).toMatch(/server problem/);
    expect(env.server.count('/bug')).toBe(1);
  });

  it.each([
    // 瑞数 (Ruishu) answers a plain GET with 412 and a script stub until a browser has run it.
    ['/ruishu', respond(412, {}, RUISHU_STUB), 412, /瑞数 \(Ruishu\) anti-bot JavaScript challenge/],
    [
      '/cf-403',
      respond(403, { 'cf-mitigated': 'challenge', server: 'cloudflare' }, '<title>Just a moment...</title>'),
      403,
      /Cloudflare anti-bot JavaScript challenge/,
    ],
    // A 503 is normally retried; a challenge is not, asking again only meets it again.
    ['/cf-503', respond(503, { 'cf-mitigated': 'challenge' }, ''), 503, /Cloudflare anti-bot JavaScript challenge/],
    // 加速乐 (Jiasule) answers 521 with a cookie-setting script, gzip-compressed like any page.
    [
      '/jsl-521',
      respond(521, { 'content-encoding': 'gzip' }, gzipSync(JIASULE_STUB)),
      521,
      /加速乐 \(Jiasule\) anti-bot JavaScript challenge/,
    ],
    // Only the first 8 KB of an error page are kept: a compressed stub cut there is still decoded.
    [
      '/ruishu-400',
      respond(400, { 'content-encoding': 'gzip' }, gzipSync(RUISHU_STUB + randomBytes(48 * 1024).toString('base64'))),
      400,
      /瑞数 \(Ruishu\) anti-bot JavaScript challenge/,
    ],
    [
      '/aliyun-405',
      respond(
        405,
        {},
        '<html><script>var arg1=\'3B2C…\';document.cookie="acw_sc__v2="+x;location.reload();</script></html>',
      ),
      405,
      /Aliyun WAF anti-bot JavaScript challenge/,
    ],
  ] as const)(
    'names an anti-bot challenge at %s, with what to do instead, and does not retry it',
    async (path, handler, status, detail) => {
      env.server.route(path, handler);
      const error = await captureFetchError(
        env.fetcher.fetch(pageRequest(`${env.server.origin}${path}`, { retries: 3 })),
      );
      expect(error).toMatchObject({ code: 'FETCH_HTTP_STATUS', status, retryable: false });
      expect(error.message).toMatch(detail);
      expect(error.hint).toMatch(
        /plain fetch does not run JavaScript.*render: auto.*RSS feed, an API or a mobile version/,
      );
      expect(env.server.count(path)).toBe(1);
    },
  );
});

/** The shape of a 加速乐 challenge: a script that assembles the clearance cookie, then reloads. */
const JIASULE_STUB = `<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+('a')+('n')+('c')+('e')+('=')+(+new Date());document.cookie='__jsl_clearance=1585046789.52|0|abc;max-age=3600;path=/';location.href=location.pathname+location.search</script>`;

/** The shape of a 瑞数 challenge page: a meta token and a script that sets cookies, then reloads. */
const RUISHU_STUB = `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta id="9DhefwqGPrzGxEp9hPaoag" content="x2AbC…"><script type="text/javascript">$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=12345;$_ts.cd="qEr…";</script><script type="text/javascript" charset="utf-8" src="/4QbVtADbnLVIc/c.FxJzG50F.dfe1675.js" r="m"></script></head><body></body></html>`;
