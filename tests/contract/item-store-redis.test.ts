import { randomBytes } from 'node:crypto';
import { createClient } from '@keyv/redis';
import { describe, expect, it } from 'vitest';
import { openItemStore } from '../../src/store/index.js';
import { isRedisReachable, REDIS_URL } from '../helpers/redis-probe.js';
import { describeItemStoreContract } from './item-store.js';

const reachable = await isRedisReachable();
const namespace = `feedwright-test-${process.pid}-${randomBytes(4).toString('hex')}`;

if (reachable) {
  let n = 0;
  let current = '';
  describeItemStoreContract(REDIS_URL, {
    open: () => {
      n += 1;
      current = `${namespace}-${n}`;
      return openItemStore(REDIS_URL, { namespace: current });
    },
    reopen: () => openItemStore(REDIS_URL, { namespace: current }),
  });

  describe('ItemStore on Redis: clear', () => {
    it('leaves no key of its namespace behind (keyv strings, seen hashes and expiry sets)', async () => {
      const own = `${namespace}-clear`;
      const store = await openItemStore(REDIS_URL, { namespace: own });
      const now = new Date('2024-03-01T02:00:00Z');
      const ctx = { now, timezone: 'Asia/Shanghai', historySize: 200, retainDays: 180 };
      for (const source of ['a', 'b*[x]']) {
        await store.commitItems(source, [{ title: 't', link: `https://example.org/${source}` }], ctx);
      }
      await store.clear?.();
      await store.close();
      const client = createClient({ url: REDIS_URL });
      await client.connect();
      try {
        expect(await client.keys(`${own}::*`)).toEqual([]);
      } finally {
        await client.close();
      }
    });
  });
} else if (process.env.CI) {
  describe('ItemStore contract: redis', () => {
    it('needs Redis at 127.0.0.1:6379 in CI', () => {
      throw new Error(`Redis is not reachable at ${REDIS_URL}; CI must start it before the tests`);
    });
  });
} else {
  describe.skip('ItemStore contract: redis (Redis not reachable at 127.0.0.1:6379; skipped outside CI)', () => {
    it('skipped', () => undefined);
  });
}
