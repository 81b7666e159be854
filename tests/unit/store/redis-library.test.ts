/**
 * Redis connections share one node-redis command class (building one per client cost ~35 ms of CPU
 * each at start-up), and a client built from the shared class behaves as createClient's would.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRedisClient, loadRedisLibrary } from '../../../src/store/redis-library.js';
import { checkRedisForTests, REDIS_URL } from '../../helpers/redis-probe.js';

const redisUp = await checkRedisForTests();
const prefix = `fwtest-redis-library-${randomBytes(4).toString('hex')}`;

describe('createRedisClient', () => {
  it('gives clients without modules, functions, scripts or RESP one command class; others their own', () => {
    createRedisClient({ url: REDIS_URL, name: 'a' }); // the first may build the shared class
    const second = createRedisClient({ url: REDIS_URL, name: 'b', socket: { connectTimeout: 1_000 } });
    const third = createRedisClient({ url: REDIS_URL, name: 'c', disableOfflineQueue: true });
    expect(commandClassOf(second)).toBe(commandClassOf(third));
    const resp3 = createRedisClient({ url: REDIS_URL, RESP: 3 });
    expect(commandClassOf(resp3)).not.toBe(commandClassOf(second));
    // Plain createClient builds a class per call: what the shared class saves.
    const { createClient } = loadRedisLibrary();
    expect(commandClassOf(createClient({ url: REDIS_URL, name: 'x' }))).not.toBe(
      commandClassOf(createClient({ url: REDIS_URL, name: 'y' })),
    );
  });

  it.skipIf(!redisUp)(
    'gives a client that connects under its name, runs commands, scripts and MULTI, and duplicates',
    async () => {
      createRedisClient({ url: REDIS_URL }); // so the next one comes from the shared class
      const client = createRedisClient({ url: REDIS_URL, name: `${prefix}-client`, disableOfflineQueue: true });
      await client.connect();
      try {
        expect(await client.clientGetName()).toBe(`${prefix}-client`);
        await client.set(`${prefix}:k`, 'v', { PX: 10_000 });
        expect(await client.get(`${prefix}:k`)).toBe('v');
        expect(await client.eval('return redis.call("GET", KEYS[1])', { keys: [`${prefix}:k`] })).toBe('v');
        expect(await client.multi().incr(`${prefix}:n`).incr(`${prefix}:n`).exec()).toEqual([1, 2]);
        const copy = client.duplicate();
        await copy.connect();
        expect(await copy.get(`${prefix}:n`)).toBe('2');
        copy.destroy();
      } finally {
        await client.del([`${prefix}:k`, `${prefix}:n`]);
        client.destroy();
      }
    },
  );
});

// --- Internal helpers ---

function commandClassOf(client: object): unknown {
  return (Object.getPrototypeOf(Object.getPrototypeOf(client)) as { constructor: unknown }).constructor;
}
