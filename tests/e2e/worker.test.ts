/**
 * The worker as an operator runs it: `feedwright start --serve` in a child process on a
 * every-second schedule against a local server. Sources run on time and never overlap themselves,
 * /healthz and /metrics answer, SIGHUP reloads (and rejects a broken config), SIGTERM waits for the
 * run in flight and exits 0; two workers sharing Redis run each fire once.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { isRedisReachable } from '../helpers/redis-probe.js';
import { spawnCli } from '../helpers/run-cli.js';

const redisUp = await isRedisReachable();
let server: TestServer;
let dir: string;
const children: ChildProcess[] = [];
/** Requests in flight per path, and the most seen at once. */
const inFlight = new Map<string, number>();
const maxInFlight = new Map<string, number>();
/** Completed responses per path. */
const completed = new Map<string, number>();

function page(name: string): string {
  return `<html><head><meta charset="utf-8"></head><body><ul class="list"><li><a href="/${name}/1.html">${name} 通知一</a><span>2026-11-27</span></li><li><a href="/${name}/2.html">${name} 通知二</a><span>2026-11-26</span></li></ul></body></html>`;
}

function route(name: string, delayMs: number) {
  return async (_req: unknown, res: import('node:http').ServerResponse) => {
    const path = `/${name}/`;
    inFlight.set(path, (inFlight.get(path) ?? 0) + 1);
    maxInFlight.set(path, Math.max(maxInFlight.get(path) ?? 0, inFlight.get(path)!));
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page(name));
    inFlight.set(path, inFlight.get(path)! - 1);
    completed.set(path, (completed.get(path) ?? 0) + 1);
  };
}

function config(sources: string[], extra: string[] = [], store = 'sqlite://data/worker.sqlite'): string {
  return [
    `store: ${store}`,
    'output: out',
    'worker:',
    '  jitter: 0ms',
    '  shutdownTimeout: 10s',
    'defaults:',
    '  schedule: "* * * * * *"',
    '  minDelay: 0ms',
    '  retries: 0',
    ...extra,
    'sources:',
    ...sources.flatMap((name) => [`  - id: ${name}`, `    url: ${server.origin}/${name}/`, '    items: ul.list > li']),
  ].join('\n');
}

/** Collects the child's JSON log lines; resolves when a line matches. */
function waitForLog(
  child: ChildProcess,
  match: (line: Record<string, unknown>) => boolean,
  timeoutMs = 15_000,
): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const timer = setTimeout(() => reject(new Error('timed out waiting for a log line')), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let newline: number;
      while ((newline = buffer.indexOf('\n')) !== -1) {
        const text = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        let line: Record<string, unknown>;
        try {
          line = JSON.parse(text) as Record<string, unknown>;
        } catch {
          continue; // not a log line (e.g. a Node warning)
        }
        if (match(line)) {
          clearTimeout(timer);
          resolve(line);
        }
      }
    });
  });
}

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null) return Promise.resolve({ code: child.exitCode, signal: null });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

beforeAll(async () => {
  server = await startTestServer({
    '/robots.txt': (_req, res) => void res.writeHead(404).end(),
    '/fast/': route('fast', 10),
    '/slow/': route('slow', 2_500),
    '/added/': route('added', 10),
    '/shared/': route('shared', 50),
  });
  dir = await mkdtemp(join(tmpdir(), 'feedwright-worker-'));
});

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('feedwright start', () => {
  it('runs each source on schedule without overlap, serves health and metrics, reloads on SIGHUP and stops gracefully', async () => {
    await writeFile(join(dir, 'feedwright.yaml'), config(['fast', 'slow']));
    const child = spawnCli(dir, ['start', '-c', 'feedwright.yaml', '--serve', '127.0.0.1:0']);
    children.push(child);
    const serving = await waitForLog(child, (line) => typeof line.url === 'string');
    const base = String(serving.url).replace(/\/$/, '');

    await new Promise((resolve) => setTimeout(resolve, 5_000));
    // Every second for the fast source (minus start-up), and the slow one never twice at once.
    expect(server.count('/fast/')).toBeGreaterThanOrEqual(3);
    expect(maxInFlight.get('/slow/')).toBe(1);
    expect(server.count('/slow/')).toBeLessThanOrEqual(3);

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { ok: boolean; sources: Array<{ sourceId: string; status: string }> };
    expect(body.ok).toBe(true);
    expect(body.sources.find((source) => source.sourceId === 'fast')?.status).toMatch(/ok|not-modified/);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(
      /feedwright_source_runs_total\{source="fast",outcome="(updated|unchanged|same-body)"\} \d+/,
    );
    const rss = await fetch(`${base}/fast.rss.xml`);
    expect(rss.status).toBe(200);
    expect(rss.headers.get('content-type')).toContain('application/rss+xml');
    expect(await rss.text()).toContain('fast 通知一');

    // A broken config is rejected and the worker keeps going with the old one.
    await writeFile(join(dir, 'feedwright.yaml'), 'sources: [oops');
    const rejected = waitForLog(child, (line) => String(line.msg).includes('config reload rejected'));
    child.kill('SIGHUP');
    await rejected;
    // A valid new config adds a source.
    await writeFile(join(dir, 'feedwright.yaml'), config(['fast', 'slow', 'added']));
    const reloaded = waitForLog(child, (line) => String(line.msg).startsWith('config reloaded'));
    child.kill('SIGHUP');
    await reloaded;
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(server.count('/added/')).toBeGreaterThanOrEqual(1);

    // SIGTERM while the slow source is in flight: the worker waits for it, then exits 0.
    const slowDone = completed.get('/slow/') ?? 0;
    while ((inFlight.get('/slow/') ?? 0) === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const stoppedAt = performance.now();
    child.kill('SIGTERM');
    const exit = await exitOf(child);
    expect(exit.code).toBe(0);
    expect(performance.now() - stoppedAt).toBeLessThan(8_000);
    expect(completed.get('/slow/')).toBe(slowDone + 1);
    expect(await readFile(join(dir, 'out/slow.rss.xml'), 'utf8')).toContain('slow 通知一');
  }, 60_000);

  it.skipIf(!redisUp && !process.env.CI)(
    'two workers sharing a Redis store run each fire of a source once',
    async () => {
      expect(redisUp, 'Redis must run on 127.0.0.1:6379 in CI (.ci/run starts it)').toBe(true);
      const namespace = `worker-e2e-${process.pid}-${Date.now()}`;
      await writeFile(
        join(dir, 'shared.yaml'),
        config(['shared'], [], `redis://127.0.0.1:6379?namespace=${namespace}`),
      );
      const workers = [0, 1].map(() => spawnCli(dir, ['start', '-c', 'shared.yaml', '--no-initial-run']));
      children.push(...workers);
      // Counted once each worker has run the source: a worker imports the run path (fetch, extract,
      // feed) at its first run, which on a loaded machine can end in the same second as the next fire.
      // Two workers starting at once on a loaded 2-core machine have taken over 15 s.
      await Promise.all(
        workers.map((worker) =>
          waitForLog(
            worker,
            (line) => line.sourceId === 'shared' && String(line.msg).startsWith('source "shared"'),
            40_000,
          ),
        ),
      );
      const startedAt = Date.now();
      const before = server.requests.filter((r) => r.path === '/shared/' && r.at < startedAt).length;
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      for (const worker of workers) worker.kill('SIGTERM');
      const exits = await Promise.all(workers.map(exitOf));
      // Fires keep coming until both workers have stopped, however long a loaded machine takes for that.
      const windowSeconds = Math.ceil((Date.now() - startedAt) / 1_000);
      expect(exits.map((exit) => exit.code)).toEqual([0, 0]);
      const fetched = server.count('/shared/') - before;
      // About one fire per second while the workers ran, each on exactly one worker: never two per second.
      const seconds = new Map<number, number>();
      for (const request of server.requests.filter((r) => r.path === '/shared/').slice(before)) {
        const second = Math.floor(request.at / 1_000);
        seconds.set(second, (seconds.get(second) ?? 0) + 1);
      }
      expect(fetched).toBeGreaterThanOrEqual(3);
      expect(fetched).toBeLessThanOrEqual(windowSeconds + 1);
      expect(Math.max(...seconds.values())).toBe(1);
      // Only this test's keys (store and fire queue) are deleted; the Redis is shared.
      const { createClient } = await import('@keyv/redis');
      const admin = createClient({ url: 'redis://127.0.0.1:6379' });
      await admin.connect();
      const keys = await admin.keys(`${namespace}*`);
      if (keys.length > 0) await admin.del(keys);
      await admin.close();
    },
    60_000,
  );

  it('--watch reloads the config when the file changes', async () => {
    await writeFile(join(dir, 'watched.yaml'), config(['fast'], [], 'sqlite://data/watched.sqlite'));
    const child = spawnCli(dir, ['start', '-c', 'watched.yaml', '--watch', '--no-initial-run']);
    children.push(child);
    await waitForLog(child, (line) => String(line.msg).startsWith('worker started'));
    const reloaded = waitForLog(child, (line) => String(line.msg).includes('config reloaded (file changed)'));
    await writeFile(join(dir, 'watched.yaml'), config(['fast', 'added'], [], 'sqlite://data/watched.sqlite'));
    const line = await reloaded;
    expect(line.itemCount).toBe(2);
    child.kill('SIGTERM');
    expect((await exitOf(child)).code).toBe(0);
  }, 30_000);

  it('`feedwright serve` serves the output with feed content types and reports health from the store', async () => {
    const child = spawnCli(dir, ['serve', '-c', 'feedwright.yaml', '--port', '0']);
    children.push(child);
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString('utf8');
        const match = /at (http:\/\/127\.0\.0\.1:\d+\/?)/.exec(out);
        if (match) resolve(match[1]!.replace(/\/$/, ''));
      });
      child.once('exit', () => reject(new Error(`serve exited: ${out}`)));
    });
    const atom = await fetch(`${url}/fast.atom.xml`, { headers: { 'accept-encoding': 'gzip' } });
    expect(atom.status).toBe(200);
    expect(atom.headers.get('content-type')).toContain('application/atom+xml');
    const etag = atom.headers.get('etag');
    expect(etag).toBeTruthy();
    expect((await fetch(`${url}/fast.atom.xml`, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    expect((await fetch(`${url}/feeds.opml`)).headers.get('content-type')).toContain('text/x-opml');
    expect((await fetch(`${url}/index.html`)).status).toBe(200);
    const health = (await (await fetch(`${url}/healthz`)).json()) as { sources: Array<{ sourceId: string }> };
    expect(health.sources.map((source) => source.sourceId).sort()).toEqual(['added', 'fast', 'slow']);
    child.kill('SIGINT');
    expect((await exitOf(child)).code).toBe(0);
  }, 30_000);
});
