import { mkdtemp, mkdir, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildHealthSnapshot,
  createFeedServer,
  type FeedServer,
  type HealthSnapshot,
} from '../../../src/serve/index.js';
import { sendRawRequest } from '../../helpers/raw-http.js';

const SECRET = 'TOP-SECRET-OUTSIDE-OUTPUT';
const RSS = `<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>生态环境部</title>${'<item><title>生态环境部印发《关于进一步加强环境影响评价管理的通知》</title><link>https://www.mee.gov.cn/x</link></item>'.repeat(200)}</channel></rss>\n`;

let root: string;
let outputDir: string;
let server: FeedServer;
let origin: string;
let port: number;
let health: HealthSnapshot;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'feedwright-serve-'));
  outputDir = join(root, 'output');
  await mkdir(join(outputDir, 'sub'), { recursive: true });
  await writeFile(join(root, 'secret.xml'), SECRET);
  await writeFile(join(outputDir, 'air.rss.xml'), RSS);
  await writeFile(join(outputDir, 'air.atom.xml'), RSS.replace('rss', 'feed'));
  await writeFile(
    join(outputDir, 'air.feed.json'),
    JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', items: [] }),
  );
  await writeFile(join(outputDir, 'feeds.opml'), '<opml version="2.0"><body/></opml>');
  await writeFile(join(outputDir, 'index.html'), '<!doctype html><title>feeds</title>');
  await writeFile(join(outputDir, '环境.rss.xml'), RSS);
  await writeFile(join(outputDir, '.gitkeep'), '');
  await writeFile(join(outputDir, '.air.rss.xml.tmp-123'), 'half-written');
  await writeFile(join(outputDir, 'sub', 'inner.rss.xml'), SECRET);
  await symlink(join(root, 'secret.xml'), join(outputDir, 'passwd.rss.xml'));
  const lastModified = new Date('2024-05-01T08:00:00Z');
  await utimes(join(outputDir, 'air.rss.xml'), lastModified, lastModified);
  health = buildHealthSnapshot({
    sources: [],
    longestIntervalMs: 60_000,
    now: new Date(),
    lastCompletedAt: new Date(),
  });
  server = createFeedServer({
    outputDir,
    getHealth: async () => health,
    getMetrics: () => 'feedwright_source_runs_total{source="a",outcome="updated"} 1\n',
  });
  ({ port } = await server.listen('127.0.0.1', 0));
  origin = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

async function get(path: string, headers: Record<string, string> = {}, method: 'GET' | 'HEAD' | 'POST' = 'GET') {
  const response = await request(`${origin}${path}`, { method, headers });
  const body = Buffer.from(await response.body.arrayBuffer());
  return { status: response.statusCode, headers: response.headers as Record<string, string>, body };
}

describe('createFeedServer: files', () => {
  it.each([
    ['/air.rss.xml', 'application/rss+xml; charset=utf-8'],
    ['/air.atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/air.feed.json', 'application/feed+json; charset=utf-8'],
    ['/feeds.opml', 'text/x-opml; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/', 'text/html; charset=utf-8'],
    [`/${encodeURIComponent('环境')}.rss.xml`, 'application/rss+xml; charset=utf-8'],
  ])('serves %s as %s', async (path, type) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe(type);
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    expect(response.headers['etag']).toMatch(/^"[\w-]+"$/);
  });

  it('tells browsers the index page runs no script and loads nothing, and sends no referrer', async () => {
    const page = await get('/');
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await get('/air.rss.xml')).headers['content-security-policy']).toBeUndefined();
  });

  it('serves the file bytes with Last-Modified from the file', async () => {
    const response = await get('/air.rss.xml');
    expect(response.body.toString('utf8')).toBe(RSS);
    expect(response.headers['content-length']).toBe(String(Buffer.byteLength(RSS)));
    expect(response.headers['last-modified']).toBe('Wed, 01 May 2024 08:00:00 GMT');
  });

  it('answers 304 to a matching If-None-Match (also weak, listed, or *)', async () => {
    const { headers } = await get('/air.rss.xml');
    for (const value of [headers['etag'] ?? '', `W/${headers['etag']}`, `"nope", ${headers['etag']}`, '*']) {
      const response = await get('/air.rss.xml', { 'if-none-match': value });
      expect(response.status).toBe(304);
      expect(response.body).toHaveLength(0);
      expect(response.headers['etag']).toBe(headers['etag']);
    }
    expect((await get('/air.rss.xml', { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('answers 304 to If-Modified-Since at or after the file time, 200 before it', async () => {
    expect((await get('/air.rss.xml', { 'if-modified-since': 'Wed, 01 May 2024 08:00:00 GMT' })).status).toBe(304);
    expect((await get('/air.rss.xml', { 'if-modified-since': 'Thu, 02 May 2024 00:00:00 GMT' })).status).toBe(304);
    expect((await get('/air.rss.xml', { 'if-modified-since': 'Wed, 01 May 2024 07:59:59 GMT' })).status).toBe(200);
    expect((await get('/air.rss.xml', { 'if-modified-since': 'not a date' })).status).toBe(200);
  });

  it('lets If-None-Match win over If-Modified-Since', async () => {
    const response = await get('/air.rss.xml', {
      'if-none-match': '"stale"',
      'if-modified-since': 'Thu, 02 May 2030 00:00:00 GMT',
    });
    expect(response.status).toBe(200);
  });

  it('sees a rewritten file at once: new body, new ETag, old ETag no longer matches', async () => {
    const path = join(outputDir, 'changing.rss.xml');
    await writeFile(path, '<rss>one</rss>');
    const first = await get('/changing.rss.xml');
    await writeFile(`${path}.tmp`, '<rss>two!</rss>');
    const { rename } = await import('node:fs/promises');
    await rename(`${path}.tmp`, path);
    const second = await get('/changing.rss.xml', { 'if-none-match': first.headers['etag'] ?? '' });
    expect(second.status).toBe(200);
    expect(second.body.toString()).toBe('<rss>two!</rss>');
    expect(second.headers['etag']).not.toBe(first.headers['etag']);
  });

  it.each([
    ['gzip', 'gzip', gunzipSync],
    ['br', 'br', brotliDecompressSync],
    ['gzip, deflate, br', 'br', brotliDecompressSync],
    ['br;q=0, gzip', 'gzip', gunzipSync],
    ['gzip;q=1, br;q=0.5', 'gzip', gunzipSync],
    ['*', 'br', brotliDecompressSync],
  ])('compresses for Accept-Encoding "%s" with %s and Vary', async (accept, coding, decode) => {
    const response = await get('/air.rss.xml', { 'accept-encoding': accept });
    expect(response.status).toBe(200);
    expect(response.headers['content-encoding']).toBe(coding);
    expect(response.headers['vary']).toBe('Accept-Encoding');
    expect(Number(response.headers['content-length'])).toBe(response.body.length);
    expect(response.body.length).toBeLessThan(Buffer.byteLength(RSS) / 5);
    expect(decode(response.body).toString('utf8')).toBe(RSS);
  });

  it('sends identity without Accept-Encoding, still with Vary', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'br;q=0, gzip;q=0' },
    ]) {
      const response = await get('/air.rss.xml', headers);
      expect(response.headers['content-encoding']).toBeUndefined();
      expect(response.headers['vary']).toBe('Accept-Encoding');
      expect(response.body.toString('utf8')).toBe(RSS);
    }
  });

  it('gives a compressed representation its own ETag that still validates', async () => {
    const gz = await get('/air.rss.xml', { 'accept-encoding': 'gzip' });
    const plain = await get('/air.rss.xml');
    expect(gz.headers['etag']).not.toBe(plain.headers['etag']);
    expect(
      (await get('/air.rss.xml', { 'accept-encoding': 'gzip', 'if-none-match': gz.headers['etag'] ?? '' })).status,
    ).toBe(304);
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const full = await get('/air.rss.xml', { 'accept-encoding': 'gzip' });
    const head = await get('/air.rss.xml', { 'accept-encoding': 'gzip' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toHaveLength(0);
    for (const name of ['content-type', 'content-length', 'etag', 'last-modified', 'content-encoding', 'vary']) {
      expect(head.headers[name]).toBe(full.headers[name]);
    }
  });

  it('answers 405 with Allow to other methods', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      const response = await sendRawRequest(port, '/air.rss.xml', method, 'Content-Length: 0\r\n');
      expect(response.status).toBe(405);
      expect(response.headers['allow']).toBe('GET, HEAD');
    }
  });

  it('answers 404 for unknown files, hidden and temp files, folders, symlinks and unknown suffixes', async () => {
    for (const path of [
      '/missing.rss.xml',
      '/.gitkeep',
      '/.air.rss.xml.tmp-123',
      '/sub',
      '/sub/inner.rss.xml',
      '/passwd.rss.xml',
      '/secret.exe',
    ]) {
      const response = await sendRawRequest(port, path);
      expect(response.status, path).toBe(404);
      expect(response.body.toString()).not.toContain(SECRET);
    }
  });
});

describe('createFeedServer: path traversal', () => {
  it.each([
    '/../secret.xml',
    '/./../secret.xml',
    '/%2e%2e/secret.xml',
    '/%2E%2E%2Fsecret.xml',
    '/..%2fsecret.xml',
    '/..%5csecret.xml',
    '/..\\secret.xml',
    '/%5c..%5csecret.xml',
    '/air.rss.xml%00.html',
    '/air.rss.xml\0',
    '//etc/passwd',
    '/%2fetc%2fpasswd',
    `/${'..%2f'.repeat(8)}etc/passwd`,
    'http://127.0.0.1/../secret.xml',
    '/%E0%A4%A',
    '/sub/../../secret.xml',
  ])('refuses %s', async (target) => {
    const response = await sendRawRequest(port, target);
    expect([400, 404]).toContain(response.status);
    expect(response.body.toString()).not.toContain(SECRET);
    expect(response.body.toString()).not.toContain('root:');
  });
});

describe('createFeedServer: /healthz and /metrics', () => {
  it('answers /healthz 200 with the JSON snapshot when ok', async () => {
    const response = await get('/healthz');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(response.body.toString())).toMatchObject({ ok: true, worker: { staleAfterMs: 180_000 } });
  });

  it('answers /healthz 503 when the worker is stale', async () => {
    const previous = health;
    health = buildHealthSnapshot({
      sources: [],
      longestIntervalMs: 60_000,
      now: new Date(),
      lastCompletedAt: new Date(Date.now() - 181_000),
    });
    try {
      const response = await get('/healthz');
      expect(response.status).toBe(503);
      expect(JSON.parse(response.body.toString())).toMatchObject({ ok: false });
      expect((await get('/healthz', {}, 'HEAD')).status).toBe(503);
    } finally {
      health = previous;
    }
  });

  it('answers /healthz 503 when the health check itself fails', async () => {
    const failing = createFeedServer({
      outputDir,
      getHealth: async () => {
        throw new Error('store is down');
      },
    });
    const { url } = await failing.listen('127.0.0.1', 0);
    try {
      const response = await request(`${url}healthz`);
      expect(response.statusCode).toBe(503);
      expect(await response.body.json()).toMatchObject({ ok: false, reason: expect.stringContaining('store is down') });
    } finally {
      await failing.close();
    }
  });

  it('serves /metrics as Prometheus text, and 404 when no metrics are configured', async () => {
    const response = await get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(response.body.toString()).toContain('feedwright_source_runs_total{source="a",outcome="updated"} 1');
    const bare = createFeedServer({ outputDir, getHealth: async () => health });
    const { url } = await bare.listen('127.0.0.1', 0);
    try {
      expect((await request(`${url}metrics`)).statusCode).toBe(404);
    } finally {
      await bare.close();
    }
  });
});

describe('createFeedServer: listen and close', () => {
  it('reports a busy port as a ServeError with a hint', async () => {
    const other = createFeedServer({ outputDir, getHealth: async () => health });
    await expect(other.listen('127.0.0.1', port)).rejects.toMatchObject({
      name: 'ServeError',
      hint: expect.stringContaining('port'),
    });
  });

  it('close() returns even with an idle keep-alive connection open', async () => {
    const temp = createFeedServer({ outputDir, getHealth: async () => health });
    const { url } = await temp.listen('127.0.0.1', 0);
    await (await request(`${url}air.rss.xml`)).body.dump();
    const before = Date.now();
    await temp.close();
    expect(Date.now() - before).toBeLessThan(2000);
  });
});
