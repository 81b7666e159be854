/** seedHistory fills an empty history with the given ids, and never overwrites one that exists. */
import { describe, expect, it } from 'vitest';
import { fingerprintItem, openItemStore } from '../../../src/store/index.js';
import type { StoredItem } from '../../../src/model.js';

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
