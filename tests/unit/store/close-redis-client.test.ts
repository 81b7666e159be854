/**
 * Closing Redis connections when Redis has gone away or stopped answering: node-redis' close() waits
 * for every queued command to be answered, which a silent Redis never does; closeRedisClient bounds
 * it, and the store and the politeness connection close through it. CI once saw `feedwright run` hang
 * past a minute after a cut: the politeness connection's close waited for ever, so the store's client
 * was never closed and its reconnect timers kept the finished run alive.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { closeRedisClient } from '../../../src/store/close-redis-client.js';
import { createRedisClient } from '../../../src/store/redis-library.js';
import { openItemStore, openRedisScripts } from '../../../src/store/index.js';
import { checkRedisForTests } from '../../helpers/redis-probe.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';

const redisUp = await checkRedisForTests();

describe.skipIf(!redisUp)('closing Redis connections (Redis at 127.0.0.1:6379)', () => {
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  async function connectedClient(port: number) {
    const client = createRedisClient({
      url: `redis://127.0.0.1:${port}`,
      disableOfflineQueue: true,
      socket: { reconnectStrategy: (retries: number) => Math.min(100 * 2 ** retries, 5_000) },
    });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }

  it('a healthy connection closes gracefully: a command in flight is answered first', async () => {
    proxy = await startTcpProxy(6379);
    const client = await connectedClient(proxy.port);
    const answer = client.ping();
    await closeRedisClient(client, 2_000);
    await expect(answer).resolves.toBe('PONG');
    expect(client.isOpen).toBe(false);
  });

  it('a Redis that stopped answering: the close gives up after its grace and fails what is queued', async () => {
    proxy = await startTcpProxy(6379);
    const client = await connectedClient(proxy.port);
    proxy.silence();
    const queued = client.get(`fwtest-${randomUUID()}`).then(
      () => 'answered',
      (error: Error) => `failed: ${error.message}`,
    );
    const started = Date.now();
    await closeRedisClient(client, 300);
    expect(Date.now() - started).toBeLessThan(1_500);
    // node-redis' own close() would still be waiting here, with the command queued.
    await expect(queued).resolves.toMatch(/^failed: /);
  });

  it('a connection whose Redis went away closes at once and stops reconnecting', async () => {
    proxy = await startTcpProxy(6379);
    const client = await connectedClient(proxy.port);
    await proxy.cut();
    const started = Date.now();
    await closeRedisClient(client, 5_000);
    expect(Date.now() - started).toBeLessThan(500);
    expect(client.isOpen).toBe(false);
  });

  it('the store and the politeness connection close within the grace when Redis goes silent mid-command', async () => {
    proxy = await startTcpProxy(6379);
    const namespace = `fwtest-close-${randomUUID()}`;
    const store = await openItemStore(`redis://127.0.0.1:${proxy.port}?namespace=${namespace}`, {
      callTimeoutMs: 3_000,
    });
    const scripts = await openRedisScripts(`redis://127.0.0.1:${proxy.port}`, 3_000);
    proxy.silence();
    const pending = [scripts.eval('return 1', [], []), store.listHistory('a')].map((call) =>
      call.catch(() => 'failed'),
    );
    const started = Date.now();
    await scripts.close();
    await store.close();
    // Each within CLOSE_GRACE_MS (2 s); node-redis' close() alone never returned.
    expect(Date.now() - started).toBeLessThan(5_000);
    await expect(Promise.all(pending)).resolves.toEqual(['failed', 'failed']);
  });

  it('opening and closing a store leaves no timer behind (a finished run exits at once)', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const store = await openItemStore(`redis://127.0.0.1:6379?namespace=fwtest-close-${randomUUID()}`);
    await store.close();
    // @keyv/redis' own connect left a 5 s connection-timeout timer running: the count was one higher.
    expect(timers()).toBe(before);
  });
});
