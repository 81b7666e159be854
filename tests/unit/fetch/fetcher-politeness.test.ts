import diagnosticsChannel from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_USER_AGENT } from '../../../src/fetch/index.js';
import { startTestServer, serveBytes, type TestServer } from '../../helpers/http-server.js';
import { concurrencyProbe, respond, sequence } from '../../helpers/knob-server.js';
import {
  captureFetchError,
  createTestFetcher,
  pageRequest,
  useFetchTestEnv,
  type FakeClock,
} from './fetch-test-kit.js';

const PAGE = serveBytes('<html><body>list</body></html>');
const ROBOTS = (text: string) => serveBytes(text, { 'content-type': 'text/plain' });
const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2024-05-01T00:00:00Z');

/** Differences between consecutive times. */
function gaps(times: number[]): number[] {
  return times.slice(1).map((time, i) => time - (times[i] as number));
}

describe('fetcher robots.txt', () => {
  const env = useFetchTestEnv({ routes: { '/list': PAGE, '/private/list': PAGE }, clockAt: '2024-05-01T00:00:00Z' });

  it('refuses a disallowed URL with FETCH_ROBOTS and never requests it', async () => {
    env.server.route('/robots.txt', ROBOTS('User-agent: *\nDisallow: /private\n'));
    const error = await captureFetchError(
      env.fetcher.fetch(pageRequest(`${env.server.origin}/private/list`, { robots: 'obey' })),
    );
    expect(error.code).toBe('FETCH_ROBOTS');
    expect(error.message).toContain(`${env.server.origin}/robots.txt line 2`);
    expect(error.hint).toMatch(/robots: ignore/);
    expect(env.server.count('/private/list')).toBe(0);
  });

  it('applies the group for our user agent token', async () => {
    env.server.route('/robots.txt', ROBOTS('User-agent: *\nAllow: /\n\nUser-agent: feedwright\nDisallow: /list\n'));
    const error = await captureFetchError(
      env.fetcher.fetch(pageRequest(`${env.server.origin}/list`, { robots: 'obey' })),
    );
    expect(error.code).toBe('FETCH_ROBOTS');
    expect(error.message).toContain(`user agent "${DEFAULT_USER_AGENT}"`);
    // Another product token is not bound by feedwright's group.
    const other = await env.fetcher.fetch(
      pageRequest(`${env.server.origin}/list`, { robots: 'obey', userAgent: 'OtherBot/2.0' }),
    );
    expect(other.kind).toBe('fetched');
  });

  it('fetches robots.txt once for many requests and again after 24 hours', async () => {
    env.server.route('/robots.txt', ROBOTS('User-agent: *\nDisallow: /private\n'));
    const requests = Array.from({ length: 12 }, () =>
      env.fetcher.fetch(pageRequest(`${env.server.origin}/list`, { robots: 'obey' })),
    );
    const results = await Promise.all(requests);
    expect(results.every((r) => r.kind === 'fetched')).toBe(true);
    expect(env.server.count('/robots.txt')).toBe(1);
    expect(env.server.count('/list')).toBe(12);
    env.clock.now += 23 * HOUR;
    await env.fetcher.fetch(pageRequest(`${env.server.origin}/list`, { robots: 'obey' }));
    expect(env.server.count('/robots.txt')).toBe(1);
    env.clock.now += 2 * HOUR;
    await env.fetcher.fetch(pageRequest(`${env.server.origin}/list`, { robots: 'obey' }));
    expect(env.server.count('/robots.txt')).toBe(2);
    expect(env.fetcher.stats().robotsFetches).toBe(2);
  });

  it('counts the robots.txt request in the first result only', async () => {
    env.server.route('/robots.txt', ROBOTS('User-agent: *\nAllow: /\n'));
    const first = await env.fetcher.fetch(pageRequest(`${env.server.origin}/list`, { robots: 'obey' }));
    const second = await env.fetcher.fetch(pageRequest(`${env.server.origin}/list`, { robots: 'obey' }));
    expect(first.requests).toBe(2);
    expect(second.requests).toBe(1);
  });

  it('allows everything when robots.txt is missing (404)', async () => {
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/private/list`, { robots: 'obey' }));
    expect(result.kind).toBe('fetched');
    expect(env.server.count('/robots.txt')).toBe(1);
  });

  it('allows on a robots.txt server error, keeps old rules, and asks again only after an hour', async () => {
    env.server.route('/robots.txt', sequence(ROBOTS('User-agent: *\nDisallow: /private\n'), respond(503)));
    await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/private/list`, { robots: 'obey' })));
    env.clock.now += 25 * HOUR;
    // The refetch fails (503): the rules fetched before still apply.
    await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/private/list`, { robots: 'obey' })));
    expect(env.server.count('/robots.txt')).toBe(2);
    env.clock.now += 30 * 60 * 1000;
    await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/private/list`, { robots: 'obey' })));
    expect(env.server.count('/robots.txt')).toBe(2);
    env.clock.now += 31 * 60 * 1000;
    await captureFetchError(env.fetcher.fetch(pageRequest(`${env.server.origin}/private/list`, { robots: 'obey' })));
    expect(env.server.count('/robots.txt')).toBe(3);
  });

  it('allows when robots.txt has never been readable (5xx)', async () => {
    env.server.route('/robots.txt', respond(500));
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/private/list`, { robots: 'obey' }));
    expect(result.kind).toBe('fetched');
  });

  it('skips robots.txt entirely with robots: ignore', async () => {
    env.server.route('/robots.txt', ROBOTS('User-agent: *\nDisallow: /\n'));
    const result = await env.fetcher.fetch(pageRequest(`${env.server.origin}/private/list`, { robots: 'ignore' }));
    expect(result.kind).toBe('fetched');
    expect(env.server.count('/robots.txt')).toBe(0);
  });
});

describe('fetcher host limits and identity', () => {
  const servers: TestServer[] = [];
  let fetcher: ReturnType<typeof createTestFetcher>;

  afterEach(async () => {
    await fetcher.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  async function startServer(): Promise<TestServer> {
    const server = await startTestServer();
    servers.push(server);
    return server;
  }

  it('keeps at most perHostConcurrency requests in flight to one host', async () => {
    const server = await startServer();
    const probe = concurrencyProbe(60, PAGE);
    server.route('/slow', probe);
    fetcher = createTestFetcher();
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        fetcher.fetch(pageRequest(`${server.origin}/slow?i=${i}`, { perHostConcurrency: 2 })),
      ),
    );
    expect(server.count('/slow')).toBe(8);
    expect(probe.maxInFlight()).toBe(2);
  });

  it('keeps at most `concurrency` requests in flight across hosts', async () => {
    let inFlight = 0;
    let max = 0;
    const counting = concurrencyProbe(0, PAGE);
    const hosts = await Promise.all([startServer(), startServer(), startServer()]);
    for (const server of hosts) {
      server.route('/p', async (req, res, seen) => {
        inFlight += 1;
        max = Math.max(max, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 50));
        inFlight -= 1;
        return counting(req, res, seen);
      });
    }
    fetcher = createTestFetcher({ concurrency: 3 });
    const requests = hosts.flatMap((server) =>
      Array.from({ length: 4 }, (_, i) =>
        fetcher.fetch(pageRequest(`${server.origin}/p?i=${i}`, { perHostConcurrency: 4 })),
      ),
    );
    await Promise.all(requests);
    expect(hosts.map((s) => s.count('/p'))).toEqual([4, 4, 4]);
    expect(max).toBe(3);
  });

  it('puts the next queued request on the wire before handing back a page', async () => {
    // A page is hashed and decoded only after the request that took over its slot was written,
    // so a busy pass does not leave its slots idle while it decodes. undici reports each
    // request whose headers it has written on the `undici:client:sendHeaders` channel.
    const server = await startServer();
    server.route('/a', PAGE);
    server.route('/b', PAGE);
    fetcher = createTestFetcher({ concurrency: 1 });
    const events: string[] = [];
    const onSent = (message: unknown): void =>
      void events.push(`sent ${(message as { request: { path: string } }).request.path.split('?')[0]}`);
    diagnosticsChannel.subscribe('undici:client:sendHeaders', onSent);
    try {
      for (let round = 0; round < 5; round += 1) {
        events.length = 0;
        const first = fetcher
          .fetch(pageRequest(`${server.origin}/a?r=${round}`))
          .then(() => void events.push('page a handed back'));
        await Promise.all([first, fetcher.fetch(pageRequest(`${server.origin}/b?r=${round}`))]);
        expect(events.slice(0, 3)).toEqual(['sent /a', 'sent /b', 'page a handed back']);
      }
    } finally {
      diagnosticsChannel.unsubscribe('undici:client:sendHeaders', onSent);
    }
  });

  /** Routes `/p` on `server` to PAGE, noting the fake clock's time as each request arrives. */
  function noteArrivals(server: TestServer, clock: FakeClock): number[] {
    const arrivals: number[] = [];
    server.route('/p', (req, res, seen) => {
      arrivals.push(clock.now);
      return PAGE(req, res, seen);
    });
    return arrivals;
  }

  it('spaces request starts to one host by minHostDelayMs, not other hosts', async () => {
    const [a, b] = await Promise.all([startServer(), startServer()]);
    const clock: FakeClock = { now: T0 };
    const [atA, atB] = [noteArrivals(a, clock), noteArrivals(b, clock)];
    fetcher = createTestFetcher({ fakeClock: clock });
    await Promise.all([
      ...Array.from({ length: 4 }, (_, i) =>
        fetcher.fetch(pageRequest(`${a.origin}/p?i=${i}`, { minHostDelayMs: 120 })),
      ),
      fetcher.fetch(pageRequest(`${b.origin}/p`, { minHostDelayMs: 120 })),
    ]);
    // On the fake clock the waits are exact: each of the three later starts to host a waits out
    // the 120 ms since the one before; host b's request waits for nothing (no fourth wait).
    expect(fetcher.sleeps).toEqual([120, 120, 120]);
    expect([atA.length, atB.length]).toEqual([4, 1]);
  });

  it('honours a robots.txt Crawl-delay larger than minHostDelayMs', async () => {
    const server = await startServer();
    server.route('/robots.txt', ROBOTS('User-agent: *\nCrawl-delay: 0.2\n'));
    const clock: FakeClock = { now: T0 };
    const arrivals = noteArrivals(server, clock);
    fetcher = createTestFetcher({ fakeClock: clock });
    for (let i = 0; i < 3; i += 1)
      await fetcher.fetch(pageRequest(`${server.origin}/p`, { robots: 'obey', maxRetryDelayMs: 5_000 }));
    expect(gaps(arrivals)).toEqual([200, 200]);
  });

  it('caps a huge Crawl-delay at maxRetryDelayMs', async () => {
    const server = await startServer();
    server.route('/robots.txt', ROBOTS('User-agent: *\nCrawl-delay: 3600\n'));
    const clock: FakeClock = { now: T0 };
    const arrivals = noteArrivals(server, clock);
    fetcher = createTestFetcher({ fakeClock: clock });
    for (let i = 0; i < 3; i += 1)
      await fetcher.fetch(pageRequest(`${server.origin}/p`, { robots: 'obey', maxRetryDelayMs: 150 }));
    expect(gaps(arrivals)).toEqual([150, 150]);
  });

  it('sends the User-Agent, extra headers and cookies of the policy', async () => {
    const server = await startServer();
    server.route('/p', PAGE);
    fetcher = createTestFetcher();
    await fetcher.fetch(pageRequest(`${server.origin}/p`));
    await fetcher.fetch(
      pageRequest(`${server.origin}/p`, {
        userAgent: 'Mozilla/5.0 (compatible; feedwright-test)',
        headers: { Referer: 'https://www.mee.gov.cn/', 'X-Token': 't-1' },
        cookies: { JSESSIONID: 'abc123', lang: 'zh' },
      }),
    );
    const [plain, custom] = server.requests;
    expect(plain?.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(DEFAULT_USER_AGENT).toMatch(/^feedwright\/\d+\.\d+\.\d+/);
    expect(plain?.headers.cookie).toBeUndefined();
    expect(custom?.headers['user-agent']).toBe('Mozilla/5.0 (compatible; feedwright-test)');
    expect(custom?.headers.referer).toBe('https://www.mee.gov.cn/');
    expect(custom?.headers['x-token']).toBe('t-1');
    expect(custom?.headers.cookie).toBe('JSESSIONID=abc123; lang=zh');
  });

  it('reuses keep-alive connections for sequential requests', async () => {
    const server = await startServer();
    const ports: number[] = [];
    server.route('/p', (req, res, seen) => {
      ports.push(req.socket.remotePort ?? -1);
      return PAGE(req, res, seen);
    });
    fetcher = createTestFetcher();
    for (let i = 0; i < 20; i += 1) await fetcher.fetch(pageRequest(`${server.origin}/p`));
    // undici marks a socket free one tick after the body ends, so back-to-back requests may
    // alternate between two pooled sockets; what matters is that they are reused, not reopened.
    expect(ports).toHaveLength(20);
    expect(new Set(ports).size).toBeLessThanOrEqual(2);
  });

  it('goes through HTTP_PROXY for remote hosts but never for 127.0.0.1, keeping connections alive', async () => {
    const server = await startServer();
    const ports: number[] = [];
    server.route('/p', (req, res, seen) => {
      ports.push(req.socket.remotePort ?? -1);
      return PAGE(req, res, seen);
    });
    const proxy = await startConnectRecorder();
    try {
      fetcher = createTestFetcher({ env: { HTTP_PROXY: proxy.url, NO_PROXY: '' } });
      for (let i = 0; i < 10; i += 1) {
        const local = await fetcher.fetch(pageRequest(`${server.origin}/p`));
        expect(local.kind).toBe('fetched');
      }
      expect(new Set(ports).size).toBeLessThanOrEqual(2);
      await captureFetchError(fetcher.fetch(pageRequest('http://feeds.example.invalid/list', { retries: 0 })));
      expect(proxy.targets).toEqual(['feeds.example.invalid:80']);
    } finally {
      await new Promise((resolve) => proxy.server.close(resolve));
    }
  });
});

/** A proxy stand-in that records CONNECT targets and refuses them (no traffic leaves the machine). */
async function startConnectRecorder(): Promise<{ server: Server; url: string; targets: string[] }> {
  const targets: string[] = [];
  const server = createServer((_req, res) => void res.writeHead(502).end());
  server.on('connect', (req, socket) => {
    targets.push(req.url ?? '');
    socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, targets };
}
