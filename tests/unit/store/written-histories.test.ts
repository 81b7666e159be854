import { describe, expect, it } from 'vitest';
import type { StoredItem } from '../../../src/model.js';
import { createWrittenHistories } from '../../../src/store/written-histories.js';

function items(n: number, title = 't'): StoredItem[] {
  const at = new Date('2024-03-01T00:00:00Z');
  return Array.from({ length: n }, (_, i) => ({
    id: `id${i}`,
    sourceId: 's',
    title: `${title}${i}`,
    link: `https://e.org/${i}`,
    publishedAt: at,
    updatedAt: at,
    firstSeenAt: at,
  }));
}

describe('written histories', () => {
  it('serves a kept history only for the stamp it was written with, as a new array of equal items', () => {
    const kept = createWrittenHistories();
    const history = items(3);
    kept.remember('a', 'stamp-1', history);
    const read = kept.read('a', 'stamp-1');
    expect(read).toEqual(history);
    expect(read).not.toBe(kept.read('a', 'stamp-1'));
    expect(kept.read('a', 'stamp-2')).toBeUndefined();
    expect(kept.read('a', undefined)).toBeUndefined();
    expect(kept.read('b', 'stamp-1')).toBeUndefined();
    // A commit that left the history as it was (no stamp) keeps what is kept.
    kept.remember('a', undefined, items(1));
    expect(kept.read('a', 'stamp-1')).toEqual(history);
    kept.forget('a');
    expect(kept.read('a', 'stamp-1')).toBeUndefined();
  });

  it('keeps at most its item budget, dropping the histories written first', () => {
    const kept = createWrittenHistories(10);
    kept.remember('a', 'a1', items(4));
    kept.remember('b', 'b1', items(4));
    kept.remember('a', 'a2', items(4, 'u')); // rewritten: now the newest
    kept.remember('c', 'c1', items(4));
    expect(kept.read('b', 'b1')).toBeUndefined();
    expect(kept.read('a', 'a2')?.map((item) => item.title)).toEqual(['u0', 'u1', 'u2', 'u3']);
    expect(kept.read('c', 'c1')).toHaveLength(4);
    kept.remember('d', 'd1', items(11));
    expect(kept.read('d', 'd1')).toBeUndefined();
    expect(kept.read('c', 'c1')).toHaveLength(4);
    kept.forget();
    expect(kept.read('c', 'c1')).toBeUndefined();
  });
});
