/**
 * A public source may not lead the worker into a private network: its redirects, detail links and
 * robots.txt of other hosts reach public addresses only. The test server on 127.0.0.1 stands for a
 * public site (the `isPublicAddress` seam says so); every other loopback address stays private, so
 * a refusal that failed would still only knock on this machine's own loopback.
 */
import type { LookupAddress } from 'node:dns';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../../src/fetch/address-scope.js';
import { serveBytes, startTestServer, type TestServer } from '../../helpers/http-server.js';
import { redirectTo } from '../../helpers/knob-server.js';
import { captureFetchError, createTestFetcher, pageRequest } from './fetch-test-kit.js';

/** Names the fake resolver knows; 127.0.0.2 is private (the refused side), 127.0.0.1 public. */
const NAMES: Record<string, string[]> = {
  'news.test': ['127.0.0.1'],
  'rebind.test': ['127.0.0.2'],
  'mixed.test': ['127.0.0.2', '127.0.0.1'],
  localhost: ['127.0.0.1'],
};

describe('fetcher: private-network addresses', () => {
  let server: TestServer;
  let fetcher: ReturnType<typeof createTestFetcher>;
  let resolved: string[];

  const resolveHost = async (hostname: string): Promise<LookupAddress[]> => {
    resolved.push(hostname);
    const addresses = NAMES[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: 4 }));
  };
  const network = {
    resolveHost,
    isPublicAddress: (address: string) => address === '127.0.0.1' || isPublicAddress(address),
  };

  beforeEach(async () => {
    resolved = [];
    server = await startTestServer();
    fetcher = createTestFetcher({ fakeSleep: true, network });
  });
  afterEach(async () => {
    await fetcher.close();
    await server.close();
  });

  const at = (host: string, path: string) => `http://${host}:${new URL(server.origin).port}${path}`;

  it.each([
    ['a loopback address', '127.0.0.2', '127.0.0.2'],
    ['an IPv6 loopback address', '[::1]', '::1'],
    ['"this network" (0.0.0.0 reaches the local host)', '0.0.0.0', '0.0.0.0'],
    ['localhost', 'localhost', 'loopback'],
  ])('refuses a public source redirecting to %s, without sending the hop', async (_name, host, named) => {
    server.route('/go', redirectTo(at(host, '/admin')));
    server.route('/admin', serveBytes('<html><title>router admin</title></html>'));
    const error = await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/go`)));
    expect(error.code).toBe('FETCH_PRIVATE_ADDRESS');
    expect(error.retryable).toBe(false);
    expect(error.sourceId).toBe('test-source');
    expect(error.message).toContain(at(host, '/admin'));
    expect(error.message).toContain(named);
    expect(error.hint).toContain('privateNetwork: allow');
    expect(server.requests.map((request) => request.path)).toEqual(['/go']);
  });

  it('checks the addresses a name resolves to when it connects (DNS cannot point it inside)', async () => {
    server.route('/go', redirectTo(at('rebind.test', '/admin')));
    server.route('/admin', serveBytes('<html><title>router admin</title></html>'));
    const error = await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/go`)));
    expect(error.code).toBe('FETCH_PRIVATE_ADDRESS');
    expect(error.message).toContain('rebind.test is on a private network');
    expect(error.message).toContain('127.0.0.2');
    expect(resolved).toContain('rebind.test');
    expect(server.count('/admin')).toBe(0);
  });

  it('connects only to the public addresses of a name that has both', async () => {
    server.route('/go', redirectTo(at('mixed.test', '/list')));
    server.route('/list', serveBytes('<html><title>list</title></html>'));
    const result = await fetcher.fetch(pageRequest(`${server.origin}/go`));
    expect(result.kind).toBe('fetched');
    expect(result.finalUrl).toBe(at('mixed.test', '/list'));
  });

  it('follows a public source to another public host', async () => {
    server.route('/go', redirectTo(at('news.test', '/list')));
    server.route('/list', serveBytes('<html><title>list</title></html>'));
    const result = await fetcher.fetch(pageRequest(`${server.origin}/go`));
    expect(result.kind).toBe('fetched');
  });

  it('refuses a detail link to a private address, and allows one on the source host', async () => {
    server.route('/a/1.html', serveBytes('<html><title>one</title></html>'));
    const sourceUrl = `${server.origin}/list`;
    const inside = pageRequest(at('127.0.0.2', '/a/1.html'), {}, { purpose: 'detail', sourceUrl });
    expect((await captureFetchError(fetcher.fetch(inside))).code).toBe('FETCH_PRIVATE_ADDRESS');
    const own = pageRequest(`${server.origin}/a/1.html`, {}, { purpose: 'detail', sourceUrl });
    expect((await fetcher.fetch(own)).kind).toBe('fetched');
  });

  it('never asks a refused host for its robots.txt', async () => {
    server.route('/robots.txt', serveBytes('User-agent: *\nAllow: /\n', { 'content-type': 'text/plain' }));
    server.route('/go', redirectTo(at('localhost', '/admin')));
    const error = await captureFetchError(fetcher.fetch(pageRequest(`${server.origin}/go`, { robots: 'obey' })));
    expect(error.code).toBe('FETCH_PRIVATE_ADDRESS');
    expect(server.requests.map((request) => request.path)).toEqual(['/robots.txt', '/go']);
  });

  it('lets a source with `privateNetwork: allow` go there', async () => {
    server.route('/go', redirectTo(at('localhost', '/admin')));
    server.route('/admin', serveBytes('<html><title>intranet page</title></html>'));
    const result = await fetcher.fetch(pageRequest(`${server.origin}/go`, { privateNetwork: 'allow' }));
    expect(result.kind).toBe('fetched');
    expect(result.finalUrl).toBe(at('localhost', '/admin'));
  });

  it('lets a source on a private network reach other private hosts', async () => {
    // The real rule: 127.0.0.1 is loopback, so the source is private and the operator's intent.
    const plain = createTestFetcher({ fakeSleep: true });
    try {
      server.route('/go', redirectTo(at('localhost', '/admin')));
      server.route('/admin', serveBytes('<html><title>intranet page</title></html>'));
      expect((await plain.fetch(pageRequest(`${server.origin}/go`))).kind).toBe('fetched');
    } finally {
      await plain.close();
    }
  });

  it('judges a source by the addresses its name resolves to', async () => {
    // Here 127.0.0.1 is private, so news.test (which resolves to it) is an intranet source.
    const names = {
      ...network,
      isPublicAddress: (address: string) => address !== '127.0.0.1' && isPublicAddress(address),
    };
    const intranet = createTestFetcher({ fakeSleep: true, network: names });
    try {
      server.route('/go', redirectTo(at('localhost', '/admin')));
      server.route('/admin', serveBytes('<html><title>intranet page</title></html>'));
      const result = await intranet.fetch(pageRequest(at('news.test', '/go')));
      expect(result.finalUrl).toBe(at('localhost', '/admin'));
    } finally {
      await intranet.close();
    }
  });

  it('answers whether a client that connects by itself may reach a URL (the browser)', async () => {
    const sourceUrl = `${server.origin}/list`;
    const ask = (url: string) => fetcher.mayReach!(pageRequest(url, {}, { sourceUrl }));
    expect(await ask(at('news.test', '/app.js'))).toBe(true);
    expect(await ask(at('rebind.test', '/api'))).toBe(false);
    expect(await ask(at('mixed.test', '/api'))).toBe(false);
    expect(await ask('http://169.254.169.254/latest/meta-data/')).toBe(false);
    expect(await ask(`${server.origin}/api`)).toBe(true);
  });

  it('resolves and checks a hop before a proxy connects to it', async () => {
    const proxied = createTestFetcher({ fakeSleep: true, network, env: { HTTP_PROXY: 'http://127.0.0.1:9' } });
    try {
      // The source on 127.0.0.1 is never proxied; its hop would be, so it is resolved here first.
      server.route('/go', redirectTo(at('rebind.test', '/admin')));
      const error = await captureFetchError(proxied.fetch(pageRequest(`${server.origin}/go`)));
      expect(error.code).toBe('FETCH_PRIVATE_ADDRESS');
      expect(server.count('/admin')).toBe(0);
    } finally {
      await proxied.close();
    }
  });
});
