/**
 * `feedwright run` when the output folder cannot be written or the store goes away mid-run: the
 * summary table is still printed, with the failed sources and why, and the exit code is 1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { checkRedisForTests, REDIS_URL } from '../helpers/redis-probe.js';
import { runCli } from '../helpers/run-cli.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const redisUp = await checkRedisForTests();
const namespace = `run-errors-${process.pid}-${Date.now()}`;
const PAGE =
  '<html><head><meta charset="utf-8"></head><body><ul class="list"><li><a href="/n/1.html">通知一</a></li></ul></body></html>';
let server: TestServer;
let dir: string;
/** Cut when the page of source "cut" is requested: Redis goes away in the middle of the run. */
let proxy: TcpProxy | undefined;

function config(store: string, output: string): string {
  return [
    `store: ${store}`,
    `output: ${output}`,
    'defaults:',
    '  minDelay: 0ms',
    '  retries: 0',
    'sources:',
    ...['a', 'cut'].flatMap((id) => [`  - id: ${id}`, `    url: ${server.origin}/${id}/`, '    items: ul.list > li']),
    'feeds:',
    '  - id: topic',
    '    title: Topic',
    '    sources: [a, cut]',
  ].join('\n');
}

beforeAll(async () => {
  server = await startTestServer({
    '/robots.txt': (_req, res) => void res.writeHead(404).end(),
    '/a/': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE),
    '/cut/': async (_req, res) => {
      await proxy?.cut();
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
    },
  });
  dir = await mkdtemp(join(tmpdir(), 'feedwright-run-errors-'));
});

afterAll(async () => {
  await server?.close();
  await proxy?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (!redisUp) return;
  const admin = createClient({ url: REDIS_URL });
  await admin.connect();
  const keys = await admin.keys(`*${namespace}*`);
  if (keys.length > 0) await admin.del(keys);
  await admin.close();
});

describe('feedwright run with store or output trouble', () => {
  it('an output folder that cannot be written: the table with every source failed, the site error, exit 1', async () => {
    await writeFile(join(dir, 'not-a-folder'), 'a file where the output folder should be');
    await writeFile(join(dir, 'output.yaml'), config('memory://', 'not-a-folder'));
    const result = await runCli(dir, ['run', '-c', 'output.yaml', '--log-level', 'silent']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^SOURCE +STATUS/m);
    expect(result.stdout).toMatch(/^a +failed .*output: feed "a": could not write/m);
    expect(result.stdout).toMatch(/^cut +failed /m);
    expect(result.stdout).toContain('✗ topic feeds, OPML and index not rebuilt: output: feed "topic": could not write');
    expect(result.stdout).toContain('0/2 sources ok');
    expect(result.stderr).not.toMatch(/^error:/m);
  }, 60_000);

  it.skipIf(!redisUp)(
    'Redis going away mid-run: the table with the source that failed on the store, exit 1',
    async () => {
      proxy = await startTcpProxy(6379);
      await writeFile(join(dir, 'redis.yaml'), config(`redis://127.0.0.1:${proxy.port}?namespace=${namespace}`, 'out'));
      const result = await runCli(dir, ['run', '-c', 'redis.yaml', '--log-level', 'silent']);
      expect(result.code).toBe(1);
      expect(result.stdout).toMatch(/^SOURCE +STATUS/m);
      expect(result.stdout).toMatch(/^cut +failed .*store: /m);
      expect(result.stdout).toMatch(/sources ok/);
    },
    60_000,
  );
});
