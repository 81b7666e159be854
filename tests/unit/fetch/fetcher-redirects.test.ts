import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, serveBytes, type TestServer } from '../../helpers/http-server.js';
import { redirectTo } from '../../helpers/knob-server.js';
import { captureFetchError, createTestFetcher, pageRequest } from './fetch-test-kit.js';

describe('fetcher redirects', () => {
  let server: TestServer;
  let other: TestServer;
  let fetcher: ReturnType<typeof createTestFetcher>;

  beforeEach(async () => {
    server = await startTestServer();
    other = await startTestServer();
    fetcher = createTestFetcher({ fakeSleep: true });
  });
  afterEach(async () => {
    await fetcher.close();
    await server.close();
    await other.close();
  });

  it('follows a chain of redirects and reports the final URL', async () => {
    server.route('/a', redirectTo('/b', 301));
    server.route('/b', redirectTo('c', 302));
    server.route('/c', redirectTo(`${server.origin}/d?x=1#frag`, 307));
    server.route('/d', serveBytes('<html><title>end</title></html>'));
    const result = await fetcher.fetch(pageRequest(`${server.origin}/a`));
    expect(result.kind).toBe('fetched');
    expect(result.requestedUrl).toBe(`${server.origin}/a`);
    expect(result.finalUrl).toBe(`${server.origin}/d?x=1`);
    expect(result.requests).toBe(4);
    expect(server.requests.map((r) => r.path)).toEqual(['/a', '/b', '/c', '/d']);
  });

  it('detects a redirect loop without following it forever', async () => {
    server.route('/loop-a', redirectTo('/loop-b'));
    server.route('/loop-b', redirectTo('/loop-a'));
    const error = await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/loop-a`)));
    expect(error.code).toBe('FETCH_REDIRECT_LOOP');
    expect(error.message).toContain(`${server.origin}/loop-a → ${server.origin}/loop-b → ${server.origin}/loop-a`);
    expect(server.count('/loop-a')).toBe(1);
    expect(server.count('/loop-b')).toBe(1);
  });

  it('stops after maxRedirects hops', async () => {
    for (let i = 0; i < 10; i += 1) server.route(`/r${i}`, redirectTo(`/r${i + 1}`));
    const error = await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/r0`, { maxRedirects: 3 })));
    expect(error.code).toBe('FETCH_TOO_MANY_REDIRECTS');
    expect(error.message).toContain('more than 3 redirects');
    // The first request plus three followed redirects; the fourth Location is not requested.
    expect(server.requests.map((r) => r.path)).toEqual(['/r0', '/r1', '/r2', '/r3']);
  });

  it('follows exactly maxRedirects hops', async () => {
    for (let i = 0; i < 5; i += 1) server.route(`/r${i}`, redirectTo(`/r${i + 1}`));
    server.route('/r5', serveBytes('<html>ok</html>'));
    const result = await fetcher.fetch(pageRequest(`${server.origin}/r0`, { maxRedirects: 5 }));
    expect(result.finalUrl).toBe(`${server.origin}/r5`);
  });

  it('rejects a redirect to a non-http scheme', async () => {
    server.route('/ftp', redirectTo('ftp://example.org/file'));
    const error = await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/ftp`)));
    expect(error.code).toBe('FETCH_INVALID_URL');
    expect(error.message).toContain('Location: ftp://example.org/file');
  });

  it('checks robots.txt again on a hop to another origin', async () => {
    server.route('/robots.txt', serveBytes('User-agent: *\nAllow: /\n', { 'content-type': 'text/plain' }));
    other.route('/robots.txt', serveBytes('User-agent: *\nDisallow: /private\n', { 'content-type': 'text/plain' }));
    server.route('/go', redirectTo(`${other.origin}/private/list`));
    const error = await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/go`, { robots: 'obey' })));
    expect(error.code).toBe('FETCH_ROBOTS');
    expect(other.count('/robots.txt')).toBe(1);
    expect(other.count('/private/list')).toBe(0);
  });

  it('sends cookies and Authorization only to the source origin, not across a redirect', async () => {
    server.route('/start', redirectTo(`${other.origin}/land`));
    other.route('/land', serveBytes('<html>landed</html>'));
    const policy = { cookies: { session: 'abc' }, headers: { Authorization: 'Bearer t', 'Accept-Language': 'zh-CN' } };
    await fetcher.fetch(pageRequest(`${server.origin}/start`, policy));
    const first = server.requests[0];
    const landed = other.requests[0];
    expect(first?.headers.cookie).toBe('session=abc');
    expect(first?.headers.authorization).toBe('Bearer t');
    expect(landed?.headers.cookie).toBeUndefined();
    expect(landed?.headers.authorization).toBeUndefined();
    expect(landed?.headers['accept-language']).toBe('zh-CN');
  });

  it('sends earned cookies only where they apply: path, Secure and expiry, on every hop', async () => {
    server.route('/tzgg/', redirectTo('/other/list'));
    server.route('/other/list', serveBytes('<html>list</html>'));
    const host = '127.0.0.1';
    const now = Date.now() / 1000;
    const earnedCookies = [
      { name: 'root', value: '1', domain: host, path: '/', httpOnly: true, secure: false },
      { name: 'scoped', value: '2', domain: host, path: '/tzgg', httpOnly: false, secure: false },
      { name: 'tls', value: '3', domain: host, path: '/', httpOnly: false, secure: true },
      { name: 'old', value: '4', domain: host, path: '/', httpOnly: false, secure: false, expires: now - 60 },
      { name: 'elsewhere', value: '5', domain: 'www.example.org', path: '/', httpOnly: false, secure: false },
    ];
    await fetcher.fetch(pageRequest(`${server.origin}/tzgg/`, { cookies: { own: 'x' }, earnedCookies }));
    expect(server.requests.map((r) => `${r.path} ${r.headers.cookie}`)).toEqual([
      '/tzgg/ own=x; scoped=2; root=1',
      '/other/list own=x; root=1',
    ]);
  });
});
