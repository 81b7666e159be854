import { describe, expect, it } from 'vitest';
import { SqliteKeyvStore } from '../../../src/store/index.js';

describe('SqliteKeyvStore', () => {
  it('reads many keys in order, with misses as undefined', async () => {
    const store = new SqliteKeyvStore(':memory:');
    await store.setMany([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);
    expect(await store.getMany(['b', 'x', 'a'])).toEqual(['2', undefined, '1']);
    expect(await store.hasMany(['a', 'x'])).toEqual([true, false]);
    await store.disconnect();
  });

  it('hides expired rows and sweeps them', async () => {
    const store = new SqliteKeyvStore(':memory:');
    await store.set('short', 'x', 20);
    await store.set('long', 'y');
    expect(await store.get('short')).toBe('x');
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await store.get('short')).toBeUndefined();
    expect(store.sweepExpired()).toBe(1);
    expect(await store.get('long')).toBe('y');
    await store.disconnect();
  });

  it('clears only its namespace, treating LIKE wildcards literally', async () => {
    const store = new SqliteKeyvStore(':memory:');
    await store.setMany([
      { key: 'a_b:1', value: '1' },
      { key: 'axb:1', value: '2' },
    ]);
    store.namespace = 'a_b';
    await store.clear();
    expect(await store.getMany(['a_b:1', 'axb:1'])).toEqual([undefined, '2']);
    expect(await store.deleteMany(['axb:1'])).toBe(true);
    expect(await store.delete('axb:1')).toBe(false);
    await store.disconnect();
  });

  it('writes 5,000 entries in one transaction quickly', async () => {
    const store = new SqliteKeyvStore(':memory:');
    const started = performance.now();
    await store.setMany(Array.from({ length: 5_000 }, (_, i) => ({ key: `k${i}`, value: `v${i}`, ttl: 60_000 })));
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await store.get('k4999')).toBe('v4999');
    await store.disconnect();
  });
});
