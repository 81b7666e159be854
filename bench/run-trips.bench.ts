/**
 * Store round trips and time of one source run (runSource: load → fetch → extract → commit →
 * publish → confirm) on SQLite and Redis. A local server serves a 40-row list page; three kinds of
 * run are measured: the page gained one headline, the page is byte-identical (same-body), and a
 * failing page (HTTP 500). Round trips are counted as keyv calls (get, getMany, set, setMany,
 * delete, deleteMany), each one request to the backend. Not counted: the fencing calls
 * (store/fencing.ts), which on Redis go to the server as INCR and EVAL on their own client (a run
 * adds one INCR, in parallel with loadSource, and its commit and confirm are one EVAL each instead
 * of a setMany), and on SQLite and memory are local keyv get/set (counted). Redis must be at
 * 127.0.0.1:6379 (skipped otherwise).
 * Run with `npx tsx bench/run-trips.bench.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Keyv } from 'keyv';
import { parseConfigText } from '../src/config/index.js';
import { createFetcher } from '../src/fetch/index.js';
import { createSilentLogger } from '../src/log.js';
import { runSource, type PipelineDeps } from '../src/pipeline/index.js';
import { openItemStore } from '../src/store/index.js';
import { startTestServer } from '../tests/helpers/http-server.js';
import { isRedisReachable } from '../tests/helpers/redis-probe.js';
import { median } from './measure.js';

const RUNS = 25;
const ROWS = 40;
const COUNTED = ['get', 'getMany', 'set', 'setMany', 'delete', 'deleteMany'] as const;

let trips = 0;
for (const name of COUNTED) {
  const original = Keyv.prototype[name] as (...args: unknown[]) => unknown;
  (Keyv.prototype as unknown as Record<string, unknown>)[name] = function counted(this: Keyv, ...args: unknown[]) {
    trips += 1;
    return original.apply(this, args);
  };
}

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

const backends: Array<[string, string]> = [['SQLite', 'sqlite://']];
if (await isRedisReachable())
  backends.push(['Redis', `redis://127.0.0.1:6379?namespace=bench-trips-${randomBytes(4).toString('hex')}`]);
else console.log('Redis not reachable at 127.0.0.1:6379: Redis skipped');

console.log(`run-trips.bench: one source, ${ROWS}-row page, median of ${RUNS} runs per kind`);
console.log('backend  kind          trips/run  ms/run');
for (const [label, url] of backends) {
  const dir = mkdtempSync(join(tmpdir(), 'feedwright-trips-'));
  const storeUrl = url === 'sqlite://' ? `sqlite://${join(dir, 'bench.sqlite')}` : url;
  const deps: PipelineDeps = {
    fetcher: createFetcher({ logger: createSilentLogger() }),
    store: await openItemStore(storeUrl),
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
    const tripCounts: number[] = [];
    const times: number[] = [];
    for (let r = 0; r < RUNS; r += 1) {
      prepare();
      trips = 0;
      const started = performance.now();
      await runSource(source, deps);
      times.push(performance.now() - started);
      tripCounts.push(trips);
    }
    console.log(
      `${label.padEnd(8)} ${kind.padEnd(13)} ${String(median(tripCounts)).padStart(9)}  ${median(times).toFixed(2).padStart(6)}`,
    );
  }
  status = 200;
  await deps.store.clear?.();
  await deps.store.close();
  await deps.fetcher.close();
  rmSync(dir, { recursive: true, force: true });
}
await server.close();
