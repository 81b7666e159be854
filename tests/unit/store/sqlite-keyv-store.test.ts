import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { SqliteKeyvStore } from '../../../src/store/index.js';
import { JSON_CODEC } from '../../../src/store/json-codec.js';
import { createSqliteEngine } from '../../../src/store/sqlite-engine.js';

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

describe('the SQLite engine reading keyv values', () => {
  it('reads what keyv reads, in order, with missing, expired and other-namespace values as undefined', async () => {
    const adapter = new SqliteKeyvStore(':memory:');
    const keyv = new Keyv({ store: adapter, namespace: 'ns', ...JSON_CODEC });
    const engine = createSqliteEngine(adapter, 'ns');
    await keyv.set('health:a', { status: 'ok', lastFound: 3 });
    await keyv.set('page:a', { title: '要闻' });
    // Long enough to outlive the reads below on a loaded machine (20 ms did not, in a full parallel run).
    await keyv.set('retry:a', '2030-01-01T00:00:00.000Z', 400);
    await keyv.set('nothing:a', null);
    await adapter.set('other:health:a', JSON.stringify({ value: 'not this namespace' }));
    const keys = ['page:a', 'missing:a', 'health:a', 'retry:a', 'nothing:a'];
    expect(await engine.readValues?.(keys)).toEqual(await keyv.getMany(keys));
    expect(await engine.readValues?.(keys)).toEqual([
      { title: '要闻' },
      undefined,
      { status: 'ok', lastFound: 3 },
      '2030-01-01T00:00:00.000Z',
      null,
    ]);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect((await engine.readValues?.(['retry:a', 'page:a']))?.[0]).toBeUndefined();
    expect(await engine.readValues?.([])).toEqual([]);
    await adapter.set('ns:broken', 'not json');
    await expect(engine.readValues?.(['broken'])).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
    await adapter.disconnect();
  });
});
