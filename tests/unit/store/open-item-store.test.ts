import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { createClient } from '@keyv/redis';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.js';
import { openItemStore, StoreError } from '../../../src/store/index.js';
import { checkRedisForTests, REDIS_URL } from '../../helpers/redis-probe.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';

const dir = mkdtempSync(join(tmpdir(), 'feedwright-open-store-'));
const redisUp = await checkRedisForTests();
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openItemStore', () => {
  it('creates the SQLite folder, relative to the working directory, in WAL mode', async () => {
    const file = join(dir, 'deep/er/feedwright.sqlite');
    const store = await openItemStore(`sqlite://${relative(process.cwd(), file)}`);
    await store.close();
    expect(existsSync(file)).toBe(true);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('refuses a file that is not a SQLite database with STORE_CORRUPT', async () => {
    const file = join(dir, 'not-a-db.sqlite');
    writeFileSync(file, 'this is a text file, not a database; '.repeat(50));
    const error = await openItemStore(`sqlite://${file}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'STORE_CORRUPT' });
    expect((error as StoreError).hint).toContain('Move it away');
  });

  it('refuses a store written with another key layout', async () => {
    const file = join(dir, 'future.sqlite');
    const first = await openItemStore(`sqlite://${file}`);
    await first.close();
    const db = new Database(file);
    db.prepare("UPDATE keyv SET value = ? WHERE key = 'feedwright:meta'").run(
      JSON.stringify({ value: { schema: 99 } }),
    );
    db.close();
    await expect(openItemStore(`sqlite://${file}`)).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('opens a layout-2 store as layout 3: its items stay known', async () => {
    const file = join(dir, 'layout-2.sqlite');
    const ctx = (now: string) => ({ now: new Date(now), timezone: 'UTC', historySize: 1, retainDays: 30 });
    const item = (n: number) => ({ title: `t${n}`, link: `https://e.org/${n}`, canonicalLink: `https://e.org/${n}` });
    const first = await openItemStore(`sqlite://${file}`);
    await first.commitItems('s', [item(1)], ctx('2024-03-01T00:00:00Z'));
    await first.close();
    const db = new Database(file);
    db.prepare("UPDATE keyv SET value = ? WHERE key = 'feedwright:meta'").run(JSON.stringify({ value: { schema: 2 } }));
    db.close();
    const store = await openItemStore(`sqlite://${file}`);
    expect(
      (await store.commitItems('s', [item(2), item(1)], ctx('2024-03-02T00:00:00Z'))).newItems.map((i) => i.title),
    ).toEqual(['t2']);
    expect((await store.commitItems('s', [item(1)], ctx('2024-03-03T00:00:00Z'))).newItems).toEqual([]);
    await store.close();
    const check = new Database(file);
    expect(check.prepare("SELECT value FROM keyv WHERE key = 'feedwright:meta'").get()).toEqual({
      value: JSON.stringify({ value: { schema: 3 } }),
    });
    check.close();
  });

  it('fails fast with STORE_UNAVAILABLE and a hint when Redis is not there', async () => {
    const started = Date.now();
    const error = await openItemStore('redis://127.0.0.1:1', { connectTimeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
    expect((error as StoreError).hint).toContain('Is Redis running at redis://127.0.0.1:1');
    expect((error as StoreError).message).toMatch(/^store: cannot open Redis at redis:\/\/127\.0\.0\.1:1 \(/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('says at once why Redis cannot be opened, without logging every reconnect attempt', async () => {
    const { logger, lines } = captureLogger();
    const started = Date.now();
    const error = await openItemStore('redis://127.0.0.1:1', { connectTimeoutMs: 5_000, logger }).catch(
      (e: unknown) => e,
    );
    expect((error as StoreError).message).toBe(
      'store: cannot open Redis at redis://127.0.0.1:1 (connect ECONNREFUSED 127.0.0.1:1)',
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(lines).toEqual([]);
  });

  it.skipIf(!redisUp)(
    'rides out a Redis outage once open: commands fail at once, one error line, reconnects and says so',
    async () => {
      const proxy = await startTcpProxy(6379);
      const namespace = `test-outage-${randomUUID().slice(0, 8)}`;
      const { logger, lines } = captureLogger();
      const store = await openItemStore(`redis://127.0.0.1:${proxy.port}?namespace=${namespace}`, {
        connectTimeoutMs: 1_000,
        logger,
      });
      try {
        await store.saveSourceState('src', { validators: { etag: '"v1"' } });
        await proxy.cut();
        for (let i = 0; i < 3; i += 1) await expect(store.loadSource('src')).rejects.toThrow();
        // Reconnect attempts back off 100, 200, 400, 800 ms…: several of them fail meanwhile.
        await new Promise((resolve) => setTimeout(resolve, 1_600));
        const errorLines = lines.filter((line) => line.includes('store: backend error'));
        // Failed commands and reconnect attempts each raise an error: only the first is logged.
        expect(errorLines).toHaveLength(1);
        await proxy.restore();
        expect((await eventually(() => store.loadSource('src'), 8_000)).validators).toEqual({ etag: '"v1"' });
        expect(lines.filter((line) => line.includes('answers again after'))).toHaveLength(1);
      } finally {
        await store.close().catch(() => undefined);
        await proxy.close();
        const admin = createClient({ url: REDIS_URL });
        await admin.connect();
        const keys = await admin.keys(`${namespace}*`);
        if (keys.length > 0) await admin.del(keys);
        await admin.close();
      }
    },
  );

  it('rejects unknown URL schemes and says which ones exist', async () => {
    await expect(openItemStore('mongodb://x')).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      hint: expect.stringContaining('sqlite://'),
    });
    await expect(openItemStore('sqlite://')).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
  });
});

// --- Internal helpers ---

function captureLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write: (chunk, _enc, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger({ level: 'info', pretty: false, destination }), lines };
}

/** Retries `attempt` until it resolves or `withinMs` has passed (then its last rejection). */
async function eventually<T>(attempt: () => Promise<T>, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
