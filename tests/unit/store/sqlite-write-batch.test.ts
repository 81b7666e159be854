import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openItemStore, type ItemStore } from '../../../src/store/index.js';
import { createWriteBatch, type BatchedWrite } from '../../../src/store/sqlite-write-batch.js';

let dir: string;
let db: Database.Database;
let batched: BatchedWrite;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feedwright-write-batch-'));
  db = new Database(join(dir, 'batch.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)');
  batched = createWriteBatch(db);
});

afterEach(async () => {
  if (db.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

const put = (k: string, v: number) => () => void db.prepare('INSERT OR REPLACE INTO t (k, v) VALUES (?, ?)').run(k, v);
const rows = () => db.prepare('SELECT k, v FROM t ORDER BY k').all();

describe('group commit of small writes', () => {
  it('commits the calls of one event-loop turn in one transaction, in the order made', async () => {
    const begins = countBegins();
    try {
      const results = await Promise.all([
        batched(() => (put('a', 1)(), 'first')),
        batched(() => (put('a', 2)(), 'second')),
        batched(() => (put('b', 3)(), 'third')),
      ]);
      expect(results).toEqual(['first', 'second', 'third']);
      expect(begins.count).toBe(1);
      expect(rows()).toEqual([
        { k: 'a', v: 2 },
        { k: 'b', v: 3 },
      ]);
    } finally {
      begins.restore();
    }
  });

  it('keeps each call atomic: one that throws leaves nothing of itself and fails alone', async () => {
    const failing = batched(() => {
      put('x', 1)();
      throw new Error('refused');
    });
    const fine = batched(() => (put('y', 2)(), 'done'));
    await expect(failing).rejects.toThrow('refused');
    await expect(fine).resolves.toBe('done');
    expect(rows()).toEqual([{ k: 'y', v: 2 }]);
  });

  it('undoes a call alone in its turn when it throws', async () => {
    await expect(
      batched(() => {
        put('alone', 1)();
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(rows()).toEqual([]);
  });

  it('resolves a call only once its write is committed (another connection sees it)', async () => {
    const other = new Database(join(dir, 'batch.sqlite'), { readonly: true });
    try {
      await batched(put('seen', 7));
      expect(other.prepare('SELECT v FROM t WHERE k = ?').get('seen')).toEqual({ v: 7 });
    } finally {
      other.close();
    }
  });

  it('fails every call of a transaction that cannot be taken, and writes none of them', async () => {
    db.pragma('busy_timeout = 10');
    const holder = new Database(join(dir, 'batch.sqlite'));
    holder.exec('BEGIN IMMEDIATE');
    try {
      const calls = [batched(put('a', 1)), batched(put('b', 2))];
      for (const call of calls) await expect(call).rejects.toThrow(/locked|busy/i);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
    }
    expect(rows()).toEqual([]);
    await batched(put('c', 3));
    expect(rows()).toEqual([{ k: 'c', v: 3 }]);
  });
});

describe('the SQLite store with group commit', () => {
  let store: ItemStore;
  beforeEach(async () => {
    store = await openItemStore(`sqlite://${join(dir, 'store.sqlite')}`);
  });
  afterEach(async () => {
    await store.close();
  });

  it("commits concurrent runs' claims and confirms together, each still fenced on its own", async () => {
    const ids = ['a', 'b', 'c', 'd'];
    const begins = countBegins();
    let states;
    try {
      states = await Promise.all(ids.map((id) => store.claimAndLoad(id)));
      expect(begins.count).toBe(1);
    } finally {
      begins.restore();
    }
    const stale = states[0]?.fence ?? 0;
    const newer = await store.claimAndLoad('a');
    const confirms = await Promise.allSettled([
      store.saveSourceState('a', { pendingOutput: true }, stale),
      store.saveSourceState('b', { pendingOutput: true }, states[1]?.fence),
      store.saveSourceState('a', { indexCheckedAt: '2024-05-01T08:00:00.000Z' }, newer.fence),
    ]);
    expect(confirms.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(confirms[0]).toMatchObject({ reason: { code: 'STORE_FENCED' } });
    const [a, b] = await Promise.all([store.loadSource('a'), store.loadSource('b')]);
    expect(a.pendingOutput).toBe(false);
    expect(a.indexCheckedAt).toBe('2024-05-01T08:00:00.000Z');
    expect(b.pendingOutput).toBe(true);
  });
});

// --- Internal helpers ---

/** Counts `BEGIN IMMEDIATE` statements run by better-sqlite3 until restored. */
function countBegins(): { count: number; restore(): void } {
  const probe = new Database(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as { run: (...args: unknown[]) => unknown };
  probe.close();
  const original = proto.run;
  const counter = {
    count: 0,
    restore: () => {
      proto.run = original;
    },
  };
  proto.run = function counted(this: Database.Statement, ...args: unknown[]) {
    if (/^BEGIN IMMEDIATE/i.test(this.source)) counter.count += 1;
    return original.apply(this, args);
  };
  return counter;
}
