/**
 * The worker and a Redis store that comes and goes, as a container meets it: `start` before Redis is
 * up waits (one log line, /healthz 503) and starts once it answers; an outage while running logs
 * one line a minute per concern instead of one per fire and reconnect attempt. Redis is cut with a
 * TCP proxy in front of the shared test Redis (its data is only touched under a unique namespace).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { checkRedisForTests, REDIS_URL } from '../helpers/redis-probe.js';
import { spawnCli } from '../helpers/run-cli.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const redisUp = await checkRedisForTests();
const namespace = `outage-e2e-${process.pid}-${Date.now()}`;
let server: TestServer;
let dir: string;
const children: ChildProcess[] = [];
const proxies: TcpProxy[] = [];

const PAGE =
  '<html><head><meta charset="utf-8"></head><body><ul class="list"><li><a href="/n/1.html">通知一</a></li></ul></body></html>';

function config(proxyPort: number, sources: string[]): string {
  return [
    `store: redis://127.0.0.1:${proxyPort}?namespace=${namespace}`,
    'output: out',
    'worker:',
    '  jitter: 0ms',
    '  shutdownTimeout: 5s',
    'defaults:',
    '  schedule: "* * * * * *"',
    '  minDelay: 0ms',
    '  retries: 0',
    'sources:',
    ...sources.flatMap((id) => [`  - id: ${id}`, `    url: ${server.origin}/${id}/`, '    items: ul.list > li']),
  ].join('\n');
}

/** Every JSON log line the child writes, as it comes. */
function collectLogs(child: ChildProcess): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline: number;
    while ((newline = buffer.indexOf('\n')) !== -1) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      try {
        lines.push(JSON.parse(text) as Record<string, unknown>);
      } catch {
        // not a log line (a config warning or a Node notice)
      }
    }
  });
  return lines;
}

async function until<T>(find: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** A completed run of an unchanged page (the store must answer for any of these). */
const isRun = (line: Record<string, unknown>) =>
  ['not-modified', 'unchanged', 'same-body'].includes(String(line.outcome));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  server = await startTestServer({
    '/robots.txt': (_req, res) => void res.writeHead(404).end(),
    '/a/': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE),
    '/b/': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE),
  });
  dir = await mkdtemp(join(tmpdir(), 'feedwright-outage-'));
});

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const proxy of proxies.splice(0)) await proxy.close();
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  if (!redisUp) return;
  const admin = createClient({ url: REDIS_URL });
  await admin.connect();
  const keys = await admin.keys(`*${namespace}*`);
  if (keys.length > 0) await admin.del(keys);
  await admin.close();
});

describe.skipIf(!redisUp)('feedwright start with Redis trouble', () => {
  it('waits for a Redis that is down at start-up: one log line, /healthz 503, then runs and 200', async () => {
    const proxy = await startTcpProxy(6379);
    proxies.push(proxy);
    await proxy.cut();
    await writeFile(join(dir, 'late.yaml'), config(proxy.port, ['a']));
    const child = spawnCli(dir, ['start', '-c', 'late.yaml', '--serve', '127.0.0.1:0']);
    children.push(child);
    const logs = collectLogs(child);
    const base = String((await until(() => logs.find((line) => typeof line.url === 'string'))).url).replace(/\/$/, '');
    const waiting = await fetch(`${base}/healthz`);
    expect(waiting.status).toBe(503);
    expect(((await waiting.json()) as { reason: string }).reason).toMatch(/^waiting for the store \(.*ECONNREFUSED/);
    // Backoff 1 s, 2 s: three attempts at least in 3.5 s, and still one line.
    await sleep(3_500);
    expect(child.exitCode).toBeNull();
    expect(logs.filter((line) => Number(line.level) >= 40).map((line) => line.msg)).toEqual([
      expect.stringMatching(
        /^the store \(redis:\/\/127\.0\.0\.1:\d+\) is unavailable at start-up \(.*\); retrying with backoff/,
      ),
    ]);

    await proxy.restore();
    await until(() => logs.find((line) => String(line.msg).startsWith('worker started')));
    await until(() => logs.find((line) => line.sourceId === 'a' && line.outcome === 'updated'));
    const healthy = await until(async () => (await fetch(`${base}/healthz`)).status === 200 || undefined, 10_000).catch(
      () => false,
    );
    expect(healthy).toBe(true);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  }, 60_000);

  it('a SIGTERM while waiting for Redis stops at once with exit 0', async () => {
    const proxy = await startTcpProxy(6379);
    proxies.push(proxy);
    await proxy.cut();
    await writeFile(join(dir, 'never.yaml'), config(proxy.port, ['a']));
    const child = spawnCli(dir, ['start', '-c', 'never.yaml']);
    children.push(child);
    const logs = collectLogs(child);
    await until(() => logs.find((line) => String(line.msg).includes('unavailable at start-up')));
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
    expect(logs.at(-1)?.msg).toBe('SIGTERM received while waiting for the store: stopped');
  }, 30_000);

  it('an outage while running logs each concern once, not once per fire and reconnect attempt', async () => {
    const proxy = await startTcpProxy(6379);
    proxies.push(proxy);
    await writeFile(join(dir, 'outage.yaml'), config(proxy.port, ['a', 'b']));
    const child = spawnCli(dir, ['start', '-c', 'outage.yaml', '--serve', '127.0.0.1:0']);
    children.push(child);
    const logs = collectLogs(child);
    const base = String((await until(() => logs.find((line) => typeof line.url === 'string'))).url).replace(/\/$/, '');
    await until(() => logs.filter((line) => line.outcome !== undefined).length >= 4 || undefined);
    const before = logs.length;
    await proxy.cut();
    // Six seconds of outage: 12 fires, reconnect attempts, and a health probe each second.
    for (let i = 0; i < 6; i += 1) {
      expect((await fetch(`${base}/healthz`)).status).toBe(503);
      await sleep(1_000);
    }
    const trouble = logs.slice(before).filter((line) => Number(line.level) >= 40);
    const kinds = trouble.map((line) => String(line.msg).replace(/ \(.*$/, ''));
    // One line per concern: the store, the queue's connection, /healthz, the site rebuild that was
    // pending when Redis went away, and per source the fires it could not queue or had to skip.
    expect(kinds.length - new Set(kinds).size).toBe(0);
    expect(trouble.length).toBeLessThanOrEqual(4 + 2 * 2);

    await proxy.restore();
    const runsBefore = logs.filter((line) => isRun(line)).length;
    await until(() => logs.filter((line) => isRun(line)).length > runsBefore || undefined);
    expect(logs.some((line) => String(line.msg).includes('answers again after'))).toBe(true);
    child.kill('SIGTERM');
    expect(await exitOf(child)).toBe(0);
  }, 60_000);
});
