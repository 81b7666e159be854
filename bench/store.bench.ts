/**
 * Store benchmark: commitItems for 5,000 items (100 sources × 50 items) on SQLite, Redis and memory.
 * Three phases per backend: a first run (all items new: one getMany + one batched write per source),
 * a repeat run (nothing new: reads only), and a rotating run (10 new items per source).
 * Run with `npx tsx bench/store.bench.ts`. Redis must be at 127.0.0.1:6379 (skipped otherwise).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExtractedItem } from '../src/model.js';
import { openItemStore, SqliteKeyvStore, type ItemStore } from '../src/store/index.js';

const SOURCES = 100;
const ITEMS_PER_SOURCE = 50;
const REPEATS = 3;
const BASE = Date.parse('2024-06-01T00:00:00Z');

interface PhaseTimes {
  first: number;
  repeat: number;
  rotate: number;
}

function pageOf(source: number, offset: number): ExtractedItem[] {
  return Array.from({ length: ITEMS_PER_SOURCE }, (_, i) => {
    const n = offset + ITEMS_PER_SOURCE - i;
    const link = `https://www.example.gov.cn/s${source}/notice/${n}.html`;
    return {
      title: `生态环境部关于第 ${n} 号通知的公告 (source ${source})`,
      link,
      canonicalLink: link,
      published: { date: new Date(BASE - (ITEMS_PER_SOURCE - i) * 3_600_000), precision: 'time' as const },
      summary: '为深入贯彻落实大气污染防治行动计划，现将有关事项通知如下。'.repeat(2),
    };
  });
}

async function runAll(store: ItemStore, offset: number, nowMs: number): Promise<number> {
  const started = performance.now();
  for (let s = 0; s < SOURCES; s += 1) {
    await store.commitItems(`source-${s}`, pageOf(s, offset), {
      now: new Date(nowMs),
      timezone: 'Asia/Shanghai',
      historySize: 200,
      retainDays: 180,
    });
  }
  return performance.now() - started;
}

async function measure(open: () => Promise<ItemStore>): Promise<PhaseTimes> {
  const samples: PhaseTimes[] = [];
  for (let r = 0; r < REPEATS; r += 1) {
    const store = await open();
    const first = await runAll(store, 0, BASE);
    const repeat = await runAll(store, 0, BASE + 1_800_000);
    const rotate = await runAll(store, 10, BASE + 3_600_000);
    await store.clear?.();
    await store.close();
    samples.push({ first, repeat, rotate });
  }
  const median = (pick: (p: PhaseTimes) => number) =>
    samples.map(pick).sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? 0;
  return { first: median((p) => p.first), repeat: median((p) => p.repeat), rotate: median((p) => p.rotate) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'feedwright-bench-store-'));
  const results = new Map<string, PhaseTimes>();
  try {
    let n = 0;
    results.set('sqlite', await measure(() => openItemStore(`sqlite://${join(dir, `bench-${(n += 1)}.sqlite`)}`)));
    const sqliteBytes = statSync(join(dir, `bench-${n}.sqlite`)).size;
    results.set('memory', await measure(() => openItemStore('memory://')));
    const namespace = `feedwright-bench-${randomBytes(4).toString('hex')}`;
    try {
      results.set(
        'redis',
        await measure(() => openItemStore('redis://127.0.0.1:6379', { namespace, connectTimeoutMs: 2_000 })),
      );
    } catch (error) {
      console.log(`redis: skipped (${error instanceof Error ? error.message : String(error)})`);
    }
    printTable(results);
    await printRawSqlite(join(dir, 'raw.sqlite'));
    console.log(
      `\nSQLite file after one cycle (cleared keys leave pages allocated): ${(sqliteBytes / 1024).toFixed(0)} KiB`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The adapter alone (the figure /work/shared/dependencies.md quotes: ~0.08 s for 5,000 batched sets). */
async function printRawSqlite(file: string): Promise<void> {
  const adapter = new SqliteKeyvStore(file);
  const entries = Array.from({ length: SOURCES * ITEMS_PER_SOURCE }, (_, i) => ({
    key: `k${i}`,
    value: JSON.stringify({ value: pageOf(i % SOURCES, i)[0], expires: null }),
    ttl: 86_400_000,
  }));
  const writeStarted = performance.now();
  await adapter.setMany(entries);
  const writeMs = performance.now() - writeStarted;
  const readStarted = performance.now();
  await adapter.getMany(entries.map((e) => e.key));
  const readMs = performance.now() - readStarted;
  await adapter.disconnect();
  console.log(
    `\nSqliteKeyvStore alone, ${entries.length} entries: setMany ${writeMs.toFixed(0)} ms (one transaction), getMany ${readMs.toFixed(0)} ms`,
  );
  console.log(
    'commitItems adds per item: identity hash, date rule, JSON of the item record and of the history copy, validation on read.',
  );
}

function printTable(results: Map<string, PhaseTimes>): void {
  const total = SOURCES * ITEMS_PER_SOURCE;
  console.log(
    `store.bench: commitItems for ${total} items (${SOURCES} sources × ${ITEMS_PER_SOURCE}), median of ${REPEATS}`,
  );
  console.log('backend  first run (all new)        repeat run (none new)      rotate run (10 new/source)');
  for (const [name, t] of results) {
    const cell = (ms: number) => `${ms.toFixed(0).padStart(6)} ms  ${(ms / SOURCES).toFixed(2).padStart(6)} ms/source`;
    console.log(`${name.padEnd(8)} ${cell(t.first)}   ${cell(t.repeat)}   ${cell(t.rotate)}`);
  }
  const memory = results.get('memory');
  if (memory) {
    for (const [name, t] of results) {
      if (name === 'memory') continue;
      console.log(`ratio ${name}/memory (first run): ${(t.first / memory.first).toFixed(2)}×`);
    }
  }
  const sqlite = results.get('sqlite');
  const redis = results.get('redis');
  if (sqlite && redis) console.log(`ratio redis/sqlite (first run): ${(redis.first / sqlite.first).toFixed(2)}×`);
}

await main();
