/**
 * Store size after a simulated year: 100 sources × 30 new items a day (one run per source per day,
 * the page showing its 60 newest items), the default historySize (200) and retainDays (180), and
 * the worker's prune once a day. Prints the SQLite file size (with its WAL) and Redis' memory for
 * the namespace (MEMORY USAGE … SAMPLES 0, exact, summed over its keys) at 3, 6, 9 and 12 months,
 * with the bytes per item the store must remember (the items seen within retainDays: 30 a day per
 * source) and the time the simulated days took: with pruning the store stops growing once items
 * outlive retainDays. `npm run bench -- store-size` runs both backends one after the other;
 * `npx tsx bench/store-size.bench.ts sqlite` (or `redis`) one; `BENCH_STORE_DAYS` shortens the year.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { openItemStore, type ItemStore } from '../src/store/index.js';

const SOURCES = 100;
const PER_DAY = 30;
const DAYS = Number(process.env.BENCH_STORE_DAYS ?? 365);
const DAY_MS = 86_400_000;
const RETAIN_DAYS = 180;
const CHECKPOINTS = new Set([90, 180, 270, 365, DAYS]);

async function simulate(label: string, store: ItemStore, size: () => Promise<number>): Promise<void> {
  const start = Date.parse('2025-01-01T08:00:00Z');
  const started = performance.now();
  for (let day = 1; day <= DAYS; day += 1) {
    const now = new Date(start + day * DAY_MS);
    for (let s = 0; s < SOURCES; s += 1) {
      const newest = day * PER_DAY;
      const items = Array.from({ length: 2 * PER_DAY }, (_, k) => {
        const n = newest - k;
        return {
          title: `源 ${s} 通知 ${n}：关于开展大气污染防治专项检查的通知`,
          link: `https://www.example.gov.cn/s${s}/${n}.html`,
        };
      });
      await store.commitItems(`s${s}`, items, {
        now,
        timezone: 'Asia/Shanghai',
        historySize: 200,
        retainDays: RETAIN_DAYS,
      });
    }
    await store.prune(now);
    if (CHECKPOINTS.has(day)) {
      const bytes = await size();
      const remembered = SOURCES * PER_DAY * Math.min(day, RETAIN_DAYS);
      console.log(
        `${label}: day ${day}: ${(bytes / 1024 / 1024).toFixed(1)} MB, ${Math.round(bytes / remembered)} bytes per remembered item (${remembered} items), ${((performance.now() - started) / 1000).toFixed(0)} s so far`,
      );
    }
  }
}

const dir = await mkdtemp(join(tmpdir(), 'feedwright-store-size-'));
const which = process.argv.slice(2);
try {
  if (which.length === 0 || which.includes('sqlite')) {
    const file = join(dir, 'year.sqlite');
    const sqlite = await openItemStore(`sqlite://${file}`);
    await simulate('SQLite', sqlite, async () => {
      let bytes = 0;
      for (const suffix of ['', '-wal'])
        bytes += await stat(`${file}${suffix}`).then(
          (s) => s.size,
          () => 0,
        );
      return bytes;
    });
    await sqlite.close();
  }
  if (which.length === 0 || which.includes('redis')) {
    const namespace = `fwbench-size-${process.pid}`;
    const redis = await openItemStore(`redis://127.0.0.1:6379?namespace=${namespace}`);
    const admin = createClient({ url: 'redis://127.0.0.1:6379' });
    await admin.connect();
    await simulate('Redis', redis, async () => {
      let bytes = 0;
      for await (const keys of admin.scanIterator({ MATCH: `${namespace}*`, COUNT: 1000 })) {
        for (const key of keys) bytes += (await admin.memoryUsage(key, { SAMPLES: 0 })) ?? 0;
      }
      return bytes;
    });
    await redis.clear?.();
    await redis.close();
    await admin.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
