/**
 * Redis connections share one node-redis command class (building one per client cost 40-100 ms of
 * CPU each from node_modules, ~5 ms from the bundle), and a client built from the shared class
 * behaves as createClient's would.
 * Compiled code loads the libraries from the one-file bundle the build writes beside it.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRedisClient, loadRedisLibrary } from '../../../src/store/redis-library.js';
import { compiledModule, runCompiledScript } from '../../helpers/compiled-module-script.js';
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

describe('the Redis libraries in compiled code', () => {
  it('load from the bundle beside it (vendor/redis-libraries.cjs) through its code cache, not from node_modules, and work', () => {
    const result = runCompiledScript([
      `import { createRequire } from 'node:module';`,
      `import { createRedisClient, loadBullMQ, loadRedisLibrary, redisLibraryOrigin } from ${compiledModule('store/redis-library.js')};`,
      `const { Queue, Worker } = loadBullMQ();`,
      `const { createKeyv } = loadRedisLibrary();`,
      `const classOf = (client) => Object.getPrototypeOf(Object.getPrototypeOf(client)).constructor;`,
      `const a = createRedisClient({ url: 'redis://127.0.0.1:6379', name: 'a' });`,
      `const b = createRedisClient({ url: 'redis://127.0.0.1:6379', name: 'b' });`,
      `const files = Object.keys(createRequire(import.meta.url).cache);`,
      `console.log(JSON.stringify({`,
      `  origin: redisLibraryOrigin(),`,
      `  fromPackages: files.filter((file) => /node_modules[\\/](bullmq|@keyv|@redis)[\\/]/.test(file)),`,
      `  kinds: [typeof Queue, typeof Worker, typeof createKeyv],`,
      `  sharedClass: classOf(a) === classOf(b),`,
      `}));`,
    ]);
    expect(result).toEqual({
      origin: 'bundle, code cache',
      fromPackages: [],
      kinds: ['function', 'function', 'function'],
      sharedClass: true,
    });
  });
});

// --- Internal helpers ---

function commandClassOf(client: object): unknown {
  return (Object.getPrototypeOf(Object.getPrototypeOf(client)) as { constructor: unknown }).constructor;
}
