import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
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
