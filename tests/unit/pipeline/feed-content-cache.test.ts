/** Servers' per-version source contents: reused at the same stamp, read again at another, bounded by items held. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedContentCache } from '../../../src/pipeline/feed-content-cache.js';
import { openItemStore, type ItemStore } from '../../../src/store/index.js';

let store: ItemStore;
let reads: string[];
const counting = () => ({
  readFeedContent: (id: string) => (reads.push(id), store.readFeedContent(id)),
});
const ctx = { now: new Date('2026-11-30T08:00:00Z'), timezone: 'UTC', historySize: 50, retainDays: 30 };
const items = (id: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ title: `${id} ${i}`, link: `http://127.0.0.1:9/${id}/${i}` }));

beforeEach(async () => {
  store = await openItemStore('memory://');
  reads = [];
  for (const id of ['a', 'b', 'c']) {
    await store.commitItems(id, items(id, 3), ctx);
    await store.saveSourceState(id, { feedVersion: { n: 1, hash: id } });
  }
});
afterEach(() => store.close());

describe('feed content cache', () => {
  it('reuses a content at the stamp it was read with and reads again at another', async () => {
    const cache = createFeedContentCache(counting(), 100, () => undefined);
    const first = await cache.get('a', undefined);
    expect(first.token).toBe('1');
    expect(await cache.get('a', '1')).toBe(first);
    await store.commitItems('a', items('a', 4), ctx);
    await store.saveSourceState('a', { feedVersion: { n: 2, hash: 'a2' } });
    const next = await cache.get('a', '2');
    expect([next.token, next.content.history.length]).toEqual(['2', 4]);
    expect(reads).toEqual(['a', 'a']);
  });

  it('holds at most maxItems history items, dropping the least recently used source first', async () => {
    const cache = createFeedContentCache(counting(), 6, () => undefined);
    await cache.get('a', undefined);
    await cache.get('b', undefined);
    await cache.get('a', '1'); // a is now the most recently used
    await cache.get('c', undefined); // 9 items: b goes
    expect(reads).toEqual(['a', 'b', 'c']);
    await cache.get('a', '1');
    await cache.get('b', '1');
    expect(reads).toEqual(['a', 'b', 'c', 'b']);
  });
});
