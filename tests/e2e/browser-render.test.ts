/**
 * The browser stage against a local origin in real Chromium (Debian's /usr/bin/chromium): lists
 * built by script, a challenge that sets a cookie and reloads, endless and hung pages, a page that
 * tries to leave its host, one that fires hundreds of requests, one whose script reads a private
 * host, and the browser's idle close.
 * One renderer (one browser) serves the whole file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BrowserError,
  createRenderer,
  isProcessAlive,
  type Renderer,
  type RenderRequest,
} from '../../src/browser/index.js';
import { createFetcher, DEFAULT_USER_AGENT, defaultFetchPolicy } from '../../src/fetch/index.js';
import {
  challengeAnswer,
  chromiumAvailable,
  startBrowserOrigin,
  type BrowserOrigin,
} from '../helpers/browser-origin.js';
import { startTestServer } from '../helpers/http-server.js';
import { startWebSocketServer } from '../helpers/websocket-server.js';

const available = chromiumAvailable();
let origin: BrowserOrigin;
let renderer: Renderer;
const admitted: string[] = [];

function request(path: string, extra: Partial<RenderRequest> = {}): RenderRequest {
  return {
    sourceId: 'test',
    url: `${origin.server.origin}${path}`,
    userAgent: DEFAULT_USER_AGENT,
    headers: {},
    cookies: [],
    waitFor: 'ul.list li',
    // Generous: the machine may be busy; the timeout tests set their own short one.
    timeoutMs: 20_000,
    admit: async (url) => {
      admitted.push(url);
      return () => undefined;
    },
    ...extra,
  };
}

/**
 * The private-network rule of a source on news.test, a public site (a fake resolver, never connected
 * to): seen from there, 127.0.0.1, where the test pages' scripts connect, is a private-network host.
 */
function publicSourceReach(): {
  fetcher: ReturnType<typeof createFetcher>;
  mayReach: (url: string) => Promise<boolean>;
} {
  const fetcher = createFetcher({ network: { resolveHost: async () => [{ address: '93.184.216.34', family: 4 }] } });
  const policy = defaultFetchPolicy();
  const mayReach = (url: string) =>
    fetcher.mayReach!({ sourceId: 'test', url, sourceUrl: 'http://news.test/list/', policy, purpose: 'page' });
  return { fetcher, mayReach };
}

describe.runIf(available)('rendering pages in headless Chromium', () => {
  beforeAll(async () => {
    origin = await startBrowserOrigin();
    renderer = createRenderer({ maxPages: 2, idleCloseMs: 60_000, maxRequests: 100 });
  });
  afterAll(async () => {
    await renderer?.close();
    await origin?.close();
  });

  it('renders a list filled by script from a JSON endpoint, with the honest User-Agent', async () => {
    const page = await renderer.render(request('/script-list/'));
    expect(page.waited).toBe('selector');
    expect(page.status).toBe(200);
    for (const row of origin.rows) expect(page.html).toContain(row.title);
    const seen = origin.server.requests.find((r) => r.path === '/api/list.json');
    expect(seen?.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
    expect(admitted).toContain(`${origin.server.origin}/script-list/`);
  });

  it('without a selector, waits until the network is quiet', async () => {
    const page = await renderer.render(request('/script-list/', { waitFor: undefined }));
    expect(page.waited).toBe('network-idle');
    expect(page.html).toContain(origin.rows[0]!.title);
  });

  it('follows a challenge that computes a cookie in script and reloads, and returns the cookie', async () => {
    for (const waitFor of ['ul.list li', undefined]) {
      const before = admitted.length;
      const page = await renderer.render(request('/challenge/', { waitFor }));
      expect(page.status).toBe(200);
      expect(page.documents).toBe(2);
      expect(page.challenge).toBe('加速乐 (Jiasule)');
      expect(page.html).toContain(origin.rows[4]!.title);
      expect(page.cookies.map((cookie) => cookie.name)).toContain('__jsl_clearance_s');
      const cookie = page.cookies.find((c) => c.name === '__jsl_clearance_s')!;
      expect(cookie.expires! * 1000).toBeGreaterThan(Date.now() + 3_000_000);
      // The reload is a top-level navigation too: it waited for its turn like the first one.
      expect(admitted.length - before).toBe(2);
    }
  });

  it('fails with BROWSER_TIMEOUT when the list never appears, within the page timeout', async () => {
    const started = Date.now();
    const error = await renderer
      .render(request('/plain-list/', { waitFor: 'table.never', timeoutMs: 4_000 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrowserError);
    expect((error as BrowserError).code).toBe('BROWSER_TIMEOUT');
    expect((error as BrowserError).message).toMatch(/list selector "table.never" did not finish within 4 s/);
    expect(Date.now() - started).toBeLessThan(4_000 + 4_000);
  });

  it("reuses a page for the same host, but starts every render without the last one's cookies", async () => {
    const first = await renderer.render(request('/cookie-gate/'));
    expect(first.cookies.map((c) => c.name).sort()).toEqual(['gate', 'seen']);
    const before = origin.server.requests.length;
    const reused = renderer.stats().pagesReused;
    const again = await renderer.render(request('/cookie-gate/'));
    expect(renderer.stats().pagesReused).toBe(reused + 1);
    expect(again.html).toContain(origin.rows[0]!.title);
    // The kept page forgot the gate's cookie: the site sees a new visitor and sets it again.
    expect(origin.server.requests.slice(before).map((r) => `${r.path} ${r.headers.cookie ?? '-'}`)).toEqual([
      '/cookie-gate/ -',
      '/cookie-gate/set -',
      `/cookie-gate/ gate=${challengeAnswer(origin.secret.seed)}; seen=1`,
    ]);
  });

  it('fails with BROWSER_TIMEOUT when the document itself never ends (it is read whole, to see redirects)', async () => {
    const started = Date.now();
    const error = await renderer
      .render(request('/endless/', { waitFor: 'ul.list li', timeoutMs: 4_000 }))
      .catch((e: unknown) => e);
    expect((error as BrowserError).code).toBe('BROWSER_TIMEOUT');
    expect((error as BrowserError).message).toMatch(/did not finish (loading )?within 4 s/);
    expect(Date.now() - started).toBeLessThan(4_000 + 4_000);
  });

  it('follows a same-host redirect chain hop by hop, each hop admitted before the browser goes there', async () => {
    const before = admitted.length;
    const page = await renderer.render(request('/hop/1'));
    expect(page.finalUrl).toBe(`${origin.server.origin}/plain-list/`);
    expect(page.status).toBe(200);
    expect(page.documents).toBe(1);
    expect(page.html).toContain(origin.rows[0]!.title);
    expect(admitted.slice(before)).toEqual(
      ['/hop/1', '/hop/2', '/plain-list/'].map((path) => `${origin.server.origin}${path}`),
    );
  });

  it('refuses a redirect to another host before anything is sent there', async () => {
    const before = { elsewhere: origin.server.count('/elsewhere'), admitted: admitted.length };
    const error = await renderer.render(request('/redirect-off/')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrowserError);
    expect((error as BrowserError).code).toBe('BROWSER_REDIRECT');
    expect((error as BrowserError).message).toBe(
      `browser: source "test": refused the redirect from ${origin.server.origin}/redirect-off/ to http://localhost:${origin.server.port}/elsewhere, which leaves the site of 127.0.0.1`,
    );
    expect((error as BrowserError).hint).toMatch(/use the redirect target as the source URL/);
    expect(origin.server.count('/elsewhere')).toBe(before.elsewhere);
    expect(admitted.slice(before.admitted)).toEqual([`${origin.server.origin}/redirect-off/`]);
  });

  it('passes a gate that sets its cookie on a 302 and redirects back, and returns the cookie', async () => {
    const before = origin.server.requests.length;
    const page = await renderer.render(request('/cookie-gate/'));
    expect(page.status).toBe(200);
    expect(page.finalUrl).toBe(`${origin.server.origin}/cookie-gate/`);
    expect(page.html).toContain(origin.rows[0]!.title);
    expect(page.cookies.find((c) => c.name === 'gate')?.httpOnly).toBe(true);
    expect(page.cookies.map((c) => c.name).sort()).toEqual(['gate', 'seen']);
    const seen = origin.server.requests.slice(before).map((r) => `${r.path} ${r.headers.cookie ?? '-'}`);
    expect(seen).toEqual([
      '/cookie-gate/ -',
      '/cookie-gate/set -',
      `/cookie-gate/ gate=${challengeAnswer(origin.secret.seed)}; seen=1`,
    ]);
  });

  it('takes the DOM as it is at the deadline when the network never settles, with a warning', async () => {
    const started = Date.now();
    const page = await renderer.render(request('/endless-js/', { waitFor: undefined, timeoutMs: 4_000 }));
    expect(page.waited).toBe('deadline');
    expect(page.html).toContain(origin.rows[0]!.title);
    expect(page.warnings.map((w) => w.message).join('\n')).toMatch(/still loading after 4 s/);
    expect(Date.now() - started).toBeLessThan(4_000 + 4_000);
  });

  it('refuses navigation off the page host', async () => {
    const before = origin.server.count('/elsewhere');
    const page = await renderer.render(request('/escape/', { waitFor: undefined }));
    expect(page.blocked.offHost).toBeGreaterThanOrEqual(1);
    expect(page.finalUrl).toBe(`${origin.server.origin}/escape/`);
    expect(page.html).toContain(origin.rows[0]!.title);
    expect(origin.server.count('/elsewhere')).toBe(before);
    expect(page.warnings.map((w) => w.code)).toContain('browser-navigation-refused');
    expect(page.warnings.map((w) => w.message).join('\n')).toMatch(/navigation\(s\) off 127\.0\.0\.1:\d+ refused/);
  });

  it("refuses a public page's requests to a private-network host, so its script reads nothing from it", async () => {
    const { fetcher, mayReach } = publicSourceReach();
    try {
      const before = origin.server.count('/intranet.json');
      const page = await renderer.render(request('/reach-in/', { waitFor: undefined, mayReach }));
      expect(page.html).toContain(origin.rows[0]!.title);
      expect(page.html).not.toContain('router admin password');
      expect(origin.server.count('/intranet.json')).toBe(before);
      expect(page.blocked.privateNetwork).toBe(1);
      expect(page.warnings.map((w) => w.code)).toContain('browser-private-network-refused');
      // The same page for a source on this network reads it: the script does ask.
      const open = await renderer.render(request('/reach-in/', { waitFor: 'ul.list li a[href="/leak"]' }));
      expect(open.html).toContain('router admin password');
      expect(origin.server.count('/intranet.json')).toBe(before + 1);
    } finally {
      await fetcher.close();
    }
  });

  it('lets an intranet page load its list from the intranet API on another host', async () => {
    // Chromium counts a document the guard hands over as public, and its Local Network Access checks
    // would deny this page its own API ("… access the loopback address space"); feedwright decides.
    const api = await startTestServer({
      '/api/list.json': (_req, res) =>
        void res
          .writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' })
          .end(JSON.stringify(origin.rows)),
    });
    try {
      const page = await renderer.render(
        request(`/api-elsewhere/?port=${new URL(api.origin).port}`, { mayReach: async () => true }),
      );
      expect(page.waited).toBe('selector');
      for (const row of origin.rows) expect(page.html).toContain(row.title);
    } finally {
      await api.close();
    }
  });

  it("refuses a public page's WebSocket to a private-network host", async () => {
    const sockets = await startWebSocketServer('router admin password');
    const { fetcher, mayReach } = publicSourceReach();
    try {
      const page = await renderer.render(
        request(`/ws-reach/?port=${sockets.port}`, { waitFor: undefined, timeoutMs: 5_000, mayReach }),
      );
      expect(page.html).toContain(origin.rows[0]!.title);
      expect(page.html).not.toContain('router admin password');
      expect(sockets.connections()).toBe(0);
      // Chromium's own Local Network Access checks are off (launch-browser.ts): the guard refused it.
      expect(page.blocked.privateNetwork).toBe(1);
      expect(page.warnings.map((w) => w.code)).toContain('browser-private-network-refused');
    } finally {
      await fetcher.close();
      await sockets.close();
    }
  });

  it('blocks images and caps the requests of a page that opens hundreds', async () => {
    const before = origin.server.count('/sub');
    const page = await renderer.render(request('/many/', { waitFor: undefined }));
    expect(page.html).toContain(origin.rows[0]!.title);
    expect(origin.server.count('/pixel.png') + origin.server.count('/pixel2.png')).toBe(0);
    expect(page.blocked.resources).toBe(2);
    expect(page.blocked.overLimit).toBeGreaterThan(250);
    // 100 requests per page: the document, the two refused images, the rest sub-requests.
    expect(origin.server.count('/sub') - before).toBeLessThanOrEqual(97);
  });

  it('fails a page whose script never yields, and the browser still renders the next page', async () => {
    const error = await renderer
      .render(request('/hung/', { waitFor: 'table.never', timeoutMs: 1_500 }))
      .catch((e: unknown) => e);
    expect((error as BrowserError).code).toBe('BROWSER_TIMEOUT');
    const page = await renderer.render(request('/script-list/'));
    expect(page.html).toContain(origin.rows[0]!.title);
  });

  it('renders at most maxPages pages at once', async () => {
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, renderer.stats().pagesOpen)), 5);
    await Promise.all([1, 2, 3].map(() => renderer.render(request('/plain-list/'))));
    clearInterval(watch);
    expect(peak).toBe(2);
  }, 60_000);

  it('reports an HTTP error status of the final document', async () => {
    const error = await renderer.render(request('/not-found/', { waitFor: undefined })).catch((e: unknown) => e);
    expect((error as BrowserError).code).toBe('BROWSER_HTTP_STATUS');
    expect((error as BrowserError).status).toBe(404);
  });

  it('sends the document request once more when its connection is reset (a kept-alive connection the server closed)', async () => {
    let resets = 0;
    origin.server.route('/reset-once/', (req, res) => {
      if (resets === 0) {
        resets += 1;
        req.socket.destroy();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          '<html><body><ul class="list"><li><a href="/a/1.html">连接重置之后再次请求的新闻标题</a></li></ul></body></html>',
        );
    });
    const page = await renderer.render(request('/reset-once/'));
    expect(page.html).toContain('连接重置之后再次请求的新闻标题');
    expect(origin.server.count('/reset-once/')).toBe(2);
  });

  it('reports its memory while running, and closes the browser when idle', async () => {
    const idle = createRenderer({ idleCloseMs: 300 });
    expect(idle.stats().running).toBe(false);
    await idle.render(request('/script-list/'));
    const running = idle.stats();
    expect(running.running).toBe(true);
    expect(running.memoryBytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(isProcessAlive(running.pid!)).toBe(true);
    for (let waited = 0; waited < 10_000 && isProcessAlive(running.pid!); waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(idle.stats().running).toBe(false);
    expect(isProcessAlive(running.pid!)).toBe(false);
    await idle.close();
  });
});
