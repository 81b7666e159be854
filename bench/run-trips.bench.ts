/**
 * Store round trips and time of one source run (runSource: claim + load → fetch → extract → commit →
 * publish → confirm) on SQLite and Redis. A local server serves a 40-row list page; three kinds of
 * run are measured: the page gained one headline, the page is byte-identical (same-body), and a
 * failing page (HTTP 500) — each for a source that has just started and for one that remembers a
 * half year of items (5,400 seen, as after 180 days at 30 a day).
 *
 * What is counted, at the backend, whatever the store code does above it:
 * - Redis: round trips through a counting TCP proxy in front of 127.0.0.1:6379 (a burst of
 *   commands sent before the answer comes back — a pipeline — is one), and the bytes sent.
 * - SQLite: statements run by better-sqlite3 and commits (write transactions, explicit or implicit).
 * - both: calls into the ItemStore, the time spent in them (store ms) and the whole run's time.
 * Redis must be at 127.0.0.1:6379 (skipped otherwise). Run with `npx tsx bench/run-trips.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseConfigText } from '../src/config/index.js';
import { createFetcher } from '../src/fetch/index.js';
import { createSilentLogger } from '../src/log.js';
import { runSource, type PipelineDeps } from '../src/pipeline/index.js';
import { openItemStore, type ItemStore } from '../src/store/index.js';
import { startTestServer } from '../tests/helpers/http-server.js';
import { isRedisReachable } from '../tests/helpers/redis-probe.js';
import { median } from './measure.js';

const RUNS = 25;
const ROWS = 40;
const REMEMBERED_DAYS = 180;
const PER_DAY = 30;
const DAY_MS = 86_400_000;

const counters = { statements: 0, commits: 0, trips: 0, bytes: 0, storeCalls: 0, storeMs: 0 };
countSqlite();

let headlines = 100;
let status = 200;
const page = () => {
  const rows = Array.from({ length: ROWS }, (_, i) => {
    const n = headlines - i;
    return `<li><a href="/n/${n}.html">关于第${n}号大气污染防治专项检查的通知</a><span>2026-11-${String(1 + (n % 27)).padStart(2, '0')}</span></li>`;
  });
  return `<html><head><meta charset="utf-8"><title>通知公告</title></head><body><ul class="list">${rows.join('')}</ul></body></html>`;
};
const server = await startTestServer({
  '/robots.txt': (_req, res) => void res.writeHead(404).end(),
  '/list/': (_req, res) =>
    void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(status === 200 ? page() : 'down'),
});
const yaml = `defaults:\n  retries: 0\n  minDelay: 0ms\nsources:\n  - id: notices\n    url: ${server.origin}/list/\n    items: ul.list > li\n    date: span\n`;
const source = parseConfigText(yaml, 'bench.yaml').config.sources[0]!;

const proxy = (await isRedisReachable()) ? await startCountingProxy(6379) : undefined;
const backends: Array<[string, string]> = [['SQLite', 'sqlite://']];
if (proxy)
  backends.push(['Redis', `redis://127.0.0.1:${proxy.port}?namespace=bench-trips-${randomBytes(4).toString('hex')}`]);
else console.log('Redis not reachable at 127.0.0.1:6379: Redis skipped');

console.log(`run-trips.bench: one source, ${ROWS}-row page, median of ${RUNS} runs per kind`);
console.log(
  'backend  remembered  kind          store calls  SQLite stmts  commits  Redis trips  bytes sent  store ms  run ms',
);
for (const [label, url] of backends) {
  for (const remembered of [0, REMEMBERED_DAYS * PER_DAY]) {
    const dir = mkdtempSync(join(tmpdir(), 'feedwright-trips-'));
    const storeUrl = url === 'sqlite://' ? `sqlite://${join(dir, 'bench.sqlite')}` : url;
    const store = await openItemStore(storeUrl);
    await remember(store, remembered);
    const deps: PipelineDeps = {
      fetcher: createFetcher({ logger: createSilentLogger() }),
      store: countCalls(store),
      outputDir: dir,
      site: { title: 'bench', timezone: 'Asia/Shanghai' },
      now: () => new Date(),
      logger: createSilentLogger(),
    };
    await runSource(source, deps);
    const kinds: Array<[string, () => void]> = [
      ['one new item', () => (headlines += 1)],
      ['same body', () => undefined],
      ['HTTP 500', () => (status = 500)],
    ];
    for (const [kind, prepare] of kinds) {
      const samples: Array<typeof counters & { ms: number }> = [];
      for (let r = 0; r < RUNS; r += 1) {
        prepare();
        for (const key of Object.keys(counters) as Array<keyof typeof counters>) counters[key] = 0;
        const started = performance.now();
        await runSource(source, deps);
        samples.push({ ...counters, ms: performance.now() - started });
      }
      const m = (key: keyof (typeof samples)[number]) => median(samples.map((sample) => sample[key]));
      const sqlite = label === 'SQLite';
      console.log(
        [
          label.padEnd(8),
          String(remembered).padStart(10),
          ` ${kind.padEnd(13)}`,
          String(m('storeCalls')).padStart(11),
          (sqlite ? String(m('statements')) : '-').padStart(13),
          (sqlite ? String(m('commits')) : '-').padStart(8),
          (sqlite ? '-' : String(m('trips'))).padStart(12),
          (sqlite ? '-' : String(m('bytes'))).padStart(11),
          m('storeMs').toFixed(2).padStart(9),
          m('ms').toFixed(2).padStart(7),
        ].join(' '),
      );
    }
    status = 200;
    await store.clear?.();
    await store.close();
    await deps.fetcher.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
await proxy?.close();
await server.close();

// --- Internal helpers ---

/**
 * Fills the source's seen index with `count` items first seen a month to seven months ago (none on
 * the page, all older than its items, kept for 365 days so they are all still remembered).
 */
async function remember(store: ItemStore, count: number): Promise<void> {
  const days = Math.ceil(count / PER_DAY);
  for (let d = 0; d < days; d += 1) {
    const items = Array.from({ length: PER_DAY }, (_, k) => {
      const link = `${server.origin}/old/${d}-${k}.html`;
      return { title: `旧通知 ${d}-${k}：关于大气污染防治的通知`, link, canonicalLink: link };
    });
    const now = new Date(Date.now() - (days - d + 30) * DAY_MS);
    await store.commitItems(source.id, items, { now, timezone: 'Asia/Shanghai', historySize: 200, retainDays: 365 });
  }
}

/** Wraps every ItemStore method to count its calls and the time spent in them. */
function countCalls(store: ItemStore): ItemStore {
  const wrapped = { ...store } as Record<string, unknown>;
  for (const [name, fn] of Object.entries(store)) {
    if (typeof fn !== 'function') continue;
    wrapped[name] = (...args: unknown[]) => {
      counters.storeCalls += 1;
      const started = performance.now();
      const result = (fn as (...a: unknown[]) => unknown)(...args);
      if (result instanceof Promise) return result.finally(() => (counters.storeMs += performance.now() - started));
      counters.storeMs += performance.now() - started;
      return result;
    };
  }
  return wrapped as unknown as ItemStore;
}

/**
 * Counts better-sqlite3 statements and commits: a writing statement run outside a transaction is a
 * commit of its own, and so is a transaction (better-sqlite3 runs its BEGIN as such a statement;
 * BEGIN and COMMIT count as statements too).
 */
function countSqlite(): void {
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as Record<string, unknown>;
  for (const name of ['run', 'get', 'all', 'iterate']) {
    const original = statementProto[name] as (...args: unknown[]) => unknown;
    statementProto[name] = function counted(this: Database.Statement, ...args: unknown[]) {
      counters.statements += 1;
      if (name === 'run' && !this.database.inTransaction && !this.reader && !/^\s*COMMIT/i.test(this.source))
        counters.commits += 1;
      return original.apply(this, args);
    };
  }
  probe.close();
}

/** A TCP proxy that counts round trips (client bursts answered by the server) and bytes sent. */
async function startCountingProxy(targetPort: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const proxyServer = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    let awaitingAnswer = false;
    client.on('data', (chunk: Buffer) => {
      counters.bytes += chunk.length;
      if (!awaitingAnswer) counters.trips += 1;
      awaitingAnswer = true;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      awaitingAnswer = false;
      client.write(chunk);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxyServer.address() as AddressInfo).port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => proxyServer.close(() => resolve()));
    },
  };
}
