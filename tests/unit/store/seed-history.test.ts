/**
 * seedHistory fills an empty history with the given ids, and never overwrites one that exists, not
 * even one a run commits while it rebuilds.
 */
import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { fingerprintItem, openItemStore } from '../../../src/store/index.js';
import type { StoredItem } from '../../../src/model.js';
import { createKeyvEngine } from '../../../src/store/keyv-engine.js';
import { seedHistory } from '../../../src/store/seed-history.js';
import { historyKey } from '../../../src/store/store-keys.js';

const now = new Date('2026-11-30T00:00:00Z');
const ctx = { now, timezone: 'UTC', historySize: 3, retainDays: 30 };

function item(n: number): StoredItem {
  const published = new Date(Date.UTC(2026, 10, n));
  const link = `https://e.org/${n}`;
  const id = fingerprintItem('a', { title: `t${n}`, link, canonicalLink: link });
  return {
    id,
    sourceId: 'a',
    title: `t${n}`,
    link,
    publishedAt: published,
    updatedAt: published,
    firstSeenAt: published,
  };
}

describe('seedHistory', () => {
  it('stores the items newest first, up to historySize, with their ids, and dedupes them afterwards', async () => {
    const store = await openItemStore('memory://');
    expect(await store.seedHistory('a', [item(1), item(4), item(2), item(3), item(4)], ctx)).toBe(4);
    expect((await store.listHistory('a')).map((i) => i.title)).toEqual(['t4', 't3', 't2']);
    expect((await store.listHistory('a'))[0]).toMatchObject({ id: item(4).id, firstSeenAt: item(4).firstSeenAt });
    // The oldest fell out of the history but its record still keeps it from being announced again.
    const state = await store.loadSource('a');
    expect(
      await store.findNew(state, [{ title: 't1', link: 'https://e.org/1', canonicalLink: 'https://e.org/1' }], now),
    ).toEqual([]);
    await store.close();
  });

  it('leaves an existing history alone', async () => {
    const store = await openItemStore('memory://');
    await store.seedHistory('a', [item(1)], ctx);
    expect(await store.seedHistory('a', [item(2), item(3)], ctx)).toBe(0);
    expect((await store.listHistory('a')).map((i) => i.title)).toEqual(['t1']);
    await store.close();
  });
});

describe('seedHistory racing a run of the same source', () => {
  it('never overwrites a history a run committed between its read and its write', async () => {
    const keyv = new Keyv();
    const engine = createKeyvEngine(keyv);
    const getMany = keyv.getMany.bind(keyv);
    let ranBetween = false;
    // Another worker's run commits its history right after the rebuild has read the empty one.
    keyv.getMany = (async (keys: string[]) => {
      const values = await getMany(keys);
      if (!ranBetween) {
        ranBetween = true;
        const fence = await engine.claim('a');
        expect(await engine.write('a', fence, [{ key: historyKey('a'), value: { items: ['the run'] } }])).toBe(true);
      }
      return values;
    }) as typeof keyv.getMany;
    expect(await seedHistory(keyv, engine, 'a', [item(1), item(2)], ctx)).toBe(0);
    expect(ranBetween).toBe(true);
    expect(await keyv.get(historyKey('a'))).toEqual({ items: ['the run'] });
  });

  it('makes a run that claimed the source before it discard its commit (STORE_FENCED)', async () => {
    const store = await openItemStore('memory://');
    const fence = await store.claimSource('a');
    const state = await store.loadSource('a');
    state.fence = fence;
    expect(await store.seedHistory('a', [item(1), item(2)], ctx)).toBe(2);
    await expect(
      store.commitRun(state, [{ title: 't9', link: 'https://e.org/9', canonicalLink: 'https://e.org/9' }], {}, ctx),
    ).rejects.toMatchObject({ code: 'STORE_FENCED' });
    expect((await store.listHistory('a')).map((i) => i.title)).toEqual(['t2', 't1']);
    await store.close();
  });
});
