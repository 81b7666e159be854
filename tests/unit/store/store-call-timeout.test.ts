/** A Redis that accepts connections but never answers must fail store calls within their timeout, not hang a run. */
import { afterEach, describe, expect, it } from 'vitest';
import { openItemStore, type ItemStore } from '../../../src/store/index.js';
import { checkRedisForTests } from '../../helpers/redis-probe.js';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy.js';

const redisUp = await checkRedisForTests();

describe.skipIf(!redisUp)('store calls on a silent Redis', () => {
  let proxy: TcpProxy | undefined;
  let store: ItemStore | undefined;
  const namespace = `fwtest-timeout-${process.pid}-${Date.now()}`;
  afterEach(async () => {
    await proxy?.restore();
    await store?.close().catch(() => undefined);
    await proxy?.close();
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Cleaned through a direct connection: the proxied one may still be draining what it queued.
    const direct = await openItemStore(`redis://127.0.0.1:6379?namespace=${namespace}`);
    await direct.clear?.();
    await direct.close();
  });

  it('fail with STORE_UNAVAILABLE after the call timeout', async () => {
    proxy = await startTcpProxy(6379);
    store = await openItemStore(`redis://127.0.0.1:${proxy.port}?namespace=${namespace}`, { callTimeoutMs: 400 });
    await store.saveSourceState('a', {
      health: { sourceId: 'a', status: 'ok', consecutiveFailures: 0, lastFound: 0, lastNew: 0 },
    });
    proxy.silence();
    const started = Date.now();
    await expect(store.listHistory('a')).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
      message: expect.stringContaining('no answer within 400 ms'),
    });
    await expect(store.saveSourceState('a', { pendingOutput: true })).rejects.toMatchObject({
      code: 'STORE_UNAVAILABLE',
    });
    expect(Date.now() - started).toBeLessThan(3_000);
  });
});
