import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@keyv/redis';
import { createRedisCoordinator, createScheduler, type RunCoordinator, type Scheduler } from '../../../src/schedule/index.js';
import { checkRedisForTests, REDIS_URL } from '../../helpers/redis-probe.js';
import { createCapturingLogger, createFakeRunner, sleep, sleepUntilNextSecond } from '../../helpers/schedule-harness.js';

const redisUp = await checkRedisForTests();

describe.skipIf(!redisUp)('createRedisCoordinator (Redis at 127.0.0.1:6379)', () => {
  const admin = createClient({ url: REDIS_URL });
  const opened: RunCoordinator[] = [];
  const schedulers: Scheduler[] = [];
  let namespace = '';

  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    await admin.close();
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop(3000)));
    await Promise.all(opened.splice(0).map((c) => c.close()));
    const keys = await admin.keys(`feedwright:${namespace}:*`);
    if (keys.length > 0) await admin.del(keys);
  });

  async function open(workerId: string, leaseMs?: number): Promise<RunCoordinator> {
    const coordinator = await createRedisCoordinator(REDIS_URL, { namespace, workerId, leaseMs });
    opened.push(coordinator);
    return coordinator;
  }

  function freshNamespace(): void {
    namespace = `test-${randomUUID()}`;
  }

  it('lets exactly one worker claim a fire, with the documented key', async () => {
    freshNamespace();
    const [a, b] = [await open('worker-a'), await open('worker-b')];
    const fireAt = new Date('2024-05-01T08:30:00.000Z');
    const answers = await Promise.all([a.claim('mee-news', fireAt, 60_000), b.claim('mee-news', fireAt, 60_000)]);
    expect(answers.filter(Boolean)).toHaveLength(1);
    const key = `feedwright:${namespace}:fire:mee-news:2024-05-01T08:30:00.000Z`;
    expect(['worker-a', 'worker-b']).toContain(await admin.get(key));
    const ttl = await admin.pTTL(key);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('refuses the next fire while the source still runs elsewhere, and allows it after release', async () => {
    freshNamespace();
    const [a, b] = [await open('worker-a'), await open('worker-b')];
    expect(await a.claim('src', new Date('2024-05-01T08:00:00Z'), 60_000)).toBe(true);
    expect(await b.claim('src', new Date('2024-05-01T08:30:00Z'), 60_000)).toBe(false);
    await a.release?.('src');
    expect(await b.claim('src', new Date('2024-05-01T09:00:00Z'), 60_000)).toBe(true);
    // Another source is independent.
    expect(await a.claim('other', new Date('2024-05-01T09:00:00Z'), 60_000)).toBe(true);
  });

  it('renews the running lease while the run lasts and frees it on close', async () => {
    freshNamespace();
    const a = await open('worker-a', 600);
    const b = await open('worker-b', 600);
    expect(await a.claim('src', new Date('2024-05-01T08:00:00Z'), 60_000)).toBe(true);
    await sleep(1300);
    // Twice the lease has passed: only renewal keeps it alive.
    expect(await admin.get(`feedwright:${namespace}:running:src`)).toBe('worker-a');
    expect(await b.claim('src', new Date('2024-05-01T08:30:00Z'), 60_000)).toBe(false);
    await a.close();
    expect(await admin.exists(`feedwright:${namespace}:running:src`)).toBe(0);
    expect(await b.claim('src', new Date('2024-05-01T09:00:00Z'), 60_000)).toBe(true);
  });

  it('rejects with COORDINATOR_UNAVAILABLE when Redis cannot be reached', async () => {
    await expect(createRedisCoordinator('redis://127.0.0.1:1', { commandTimeoutMs: 1000 })).rejects.toMatchObject({ code: 'COORDINATOR_UNAVAILABLE' });
  });

  it('two schedulers sharing Redis run each fire exactly once', async () => {
    freshNamespace();
    const fake = createFakeRunner(() => 30);
    const ids = ['mee-news', 'mee-notice', 'sepa-list'];
    const sources = ids.map((id) => ({ id, schedule: '*/1 * * * * *', timezone: 'Asia/Shanghai', host: 'www.mee.gov.cn' }));
    await sleepUntilNextSecond(100);
    for (const worker of ['worker-a', 'worker-b']) {
      const coordinator = await open(worker);
      const scheduler = createScheduler({ sources, runSource: fake.runSource, jitterMs: 200, initialRun: false, coordinator, logger: createCapturingLogger().logger });
      schedulers.push(scheduler);
      await scheduler.start();
    }
    await sleep(2200);
    await Promise.all(schedulers.splice(0).map((s) => s.stop(2000)));
    const fireKeys = await admin.keys(`feedwright:${namespace}:fire:*`);
    expect(fireKeys.length).toBeGreaterThanOrEqual(ids.length * 2);
    // One run per claimed fire, and never two runs of a source in one second.
    expect(fake.runs.length).toBe(fireKeys.length);
    for (const id of ids) {
      const seconds = fake.runsOf(id).map((r) => Math.floor(r.startedAt / 1000));
      expect(new Set(seconds).size).toBe(seconds.length);
    }
  });

  it('the worker with the shorter jitter wins the fire', async () => {
    freshNamespace();
    const runsBy = new Map<string, number>();
    const sources = [{ id: 'src', schedule: '*/1 * * * * *', timezone: 'UTC', host: 'example.org' }];
    await sleepUntilNextSecond(100);
    for (const [worker, draw] of [['late', 0.9], ['early', 0]] as const) {
      const scheduler = createScheduler({
        sources,
        runSource: async (sourceId) => {
          runsBy.set(worker, (runsBy.get(worker) ?? 0) + 1);
          return { sourceId, outcome: 'unchanged', found: 0, newItems: 0, durationMs: 1, warnings: [], written: [] };
        },
        jitterMs: 400,
        initialRun: false,
        coordinator: await open(worker),
        logger: createCapturingLogger().logger,
        random: () => draw,
      });
      schedulers.push(scheduler);
      await scheduler.start();
    }
    await sleep(1500);
    expect(runsBy.get('early')).toBeGreaterThanOrEqual(1);
    expect(runsBy.get('late') ?? 0).toBe(0);
  });

  it('a run longer than its interval never overlaps across workers', async () => {
    freshNamespace();
    const fake = createFakeRunner(() => 1200);
    const sources = [{ id: 'slow', schedule: '*/1 * * * * *', timezone: 'UTC', host: 'example.org' }];
    for (const worker of ['worker-a', 'worker-b']) {
      const scheduler = createScheduler({ sources, runSource: fake.runSource, jitterMs: 100, initialRun: false, coordinator: await open(worker), logger: createCapturingLogger().logger });
      schedulers.push(scheduler);
      await scheduler.start();
    }
    await sleep(2200);
    expect(fake.runs.length).toBeGreaterThanOrEqual(1);
    expect(fake.maxConcurrent.get('slow')).toBe(1);
  });
});
