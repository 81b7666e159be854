import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '@keyv/redis';
import { openFireQueue, fireJobId, type FireQueue } from '../../../src/schedule/fire-queue.js';
import type { RunReport } from '../../../src/model.js';
import type { Logger } from '../../../src/log.js';
import { AppError } from '../../../src/errors.js';
import { checkRedisForTests, REDIS_URL } from '../../helpers/redis-probe.js';
import { createCapturingLogger, sleep } from '../../helpers/schedule-harness.js';

const redisUp = await checkRedisForTests();
const CHILD = new URL('../../helpers/fire-queue-child.ts', import.meta.url).pathname;
const TSX = import.meta.resolve('tsx');

function report(sourceId: string, outcome: RunReport['outcome'] = 'unchanged', error?: AppError): RunReport {
  return {
    sourceId,
    outcome,
    found: 1,
    newItems: 0,
    durationMs: 1,
    warnings: [],
    written: [],
    ...(error ? { error } : {}),
  };
}

/** The 'runs again' lines of a capturing logger. */
function rerunLines(records: Array<{ msg?: unknown }>): string[] {
  return records.map((record) => String(record.msg)).filter((msg) => / runs again \(/.test(msg));
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (check()) return true;
    await sleep(50);
  }
  return check();
}

describe.skipIf(!redisUp)('openFireQueue (Redis at 127.0.0.1:6379)', () => {
  const admin = createClient({ url: REDIS_URL });
  const opened: FireQueue[] = [];
  let namespace = '';

  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    await admin.close();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((queue) => queue.close(2000)));
    const keys = await admin.keys(`${namespace}:*`);
    if (keys.length > 0) await admin.del(keys);
  });

  async function open(
    runSource: (sourceId: string) => Promise<RunReport>,
    extra: { lockMs?: number; backoffMs?: number; logger?: Logger } = {},
  ): Promise<FireQueue> {
    const queue = await openFireQueue({
      url: REDIS_URL,
      namespace,
      runSource,
      concurrency: 2,
      logger: createCapturingLogger().logger,
      ...extra,
    });
    opened.push(queue);
    return queue;
  }

  it('runs a fire queued by three workers exactly once, on one of them', async () => {
    namespace = `fwtest-${randomUUID()}`;
    const runs: string[] = [];
    const queues = await Promise.all([0, 1, 2].map((n) => open(async (id) => (runs.push(`${n}:${id}`), report(id)))));
    const fireAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    for (let slot = 0; slot < 5; slot += 1) {
      const at = new Date(fireAt.getTime() + slot * 10_000);
      await Promise.all(
        queues.map((queue) => queue.enqueue({ sourceId: 'mee:news', fireAt: at, slotMs: 10_000, delayMs: 0 })),
      );
    }
    expect(await waitFor(() => runs.length >= 5, 5000)).toBe(true);
    await sleep(300);
    expect(runs).toHaveLength(5);
    expect(runs.every((run) => run.endsWith(':mee:news'))).toBe(true);
    // Every slot keeps its own id, ':' escaped (BullMQ refuses it in custom ids).
    expect(fireJobId('mee:news', fireAt)).toBe(`mee%3Anews@${fireAt.getTime()}`);
  });

  it('retries a run that failed on the store, with backoff, within its slot', async () => {
    namespace = `fwtest-${randomUUID()}`;
    const attempts: number[] = [];
    const { logger, records } = createCapturingLogger();
    const queue = await open(
      async (id) => {
        attempts.push(Date.now());
        if (attempts.length < 3) return report(id, 'failed', new AppError('STORE_UNAVAILABLE', 'store down'));
        return report(id);
      },
      { backoffMs: 200, logger },
    );
    const fireAt = new Date();
    await queue.enqueue({ sourceId: 'a', fireAt, slotMs: 60_000, delayMs: 0 });
    expect(await waitFor(() => attempts.length >= 3, 5000)).toBe(true);
    await sleep(500);
    expect(attempts).toHaveLength(3);
    // Exponential backoff: 200 ms, then 400 ms. Load only lengthens a gap, so the bounds are lower ones
    // (comparing the two gaps failed under load: 629 ms, then 502). 20 ms for Redis' clock granularity.
    expect((attempts[1] ?? 0) - (attempts[0] ?? 0)).toBeGreaterThanOrEqual(200 - 20);
    expect((attempts[2] ?? 0) - (attempts[1] ?? 0)).toBeGreaterThanOrEqual(400 - 20);
    // Each extra run names its job and why it runs again (what the scale-out scenario counts).
    expect(rerunLines(records)).toEqual([
      `schedule: job ${fireJobId('a', fireAt)} runs again (source "a": retry after 1 failed attempt(s))`,
      `schedule: job ${fireJobId('a', fireAt)} runs again (source "a": retry after 2 failed attempt(s))`,
    ]);
  });

  it('does not retry a failure that another attempt cannot cure (the page)', async () => {
    namespace = `fwtest-${randomUUID()}`;
    let runs = 0;
    const queue = await open(
      async (id) => (runs++, report(id, 'failed', new AppError('EXTRACT_NO_ITEMS', 'no items'))),
      { backoffMs: 100 },
    );
    await queue.enqueue({ sourceId: 'a', fireAt: new Date(), slotMs: 60_000, delayMs: 0 });
    await sleep(1200);
    expect(runs).toBe(1);
  });

  it('says so when it loses the lock of a job it runs (another worker may run it again)', async () => {
    namespace = `fwtest-${randomUUID()}`;
    const { logger, records } = createCapturingLogger();
    let release: (() => void) | undefined;
    const started = new Promise<void>((resolve) => {
      void open(
        (id) =>
          new Promise<RunReport>((done) => {
            release = () => done(report(id));
            resolve();
          }),
        { lockMs: 2000, logger },
      ).then((queue) => queue.enqueue({ sourceId: 'held', fireAt: new Date(), slotMs: 60_000, delayMs: 0 }));
    });
    await started;
    const lockKeys = await admin.keys(`${namespace}:queue:fires:*:lock`);
    expect(lockKeys).toHaveLength(1);
    // What a long pause does: the lock lapses (here: is taken away) before this worker renews it.
    await admin.del(lockKeys);
    const lost = () => records.some((record) => /lost the lock of job\(s\) held@\d+/.test(String(record.msg)));
    expect(await waitFor(lost, 5_000)).toBe(true);
    // Reported as what it is, not as a connection error.
    expect(records.some((record) => /connection error/.test(String(record.msg)))).toBe(false);
    release?.();
  });

  it('runs again, on another worker, a fire whose worker was killed mid-run', async () => {
    namespace = `fwtest-${randomUUID()}`;
    const fireAt = new Date();
    const child = spawn(process.execPath, ['--import', TSX, CHILD, namespace, '2000', String(fireAt.getTime())], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    try {
      expect(await waitFor(() => out.includes('start killed'), 20_000)).toBe(true);
    } finally {
      child.kill('SIGKILL');
    }
    const killedAt = Date.now();
    const runs: string[] = [];
    const { logger, records } = createCapturingLogger();
    const queue = await open(async (id) => (runs.push(id), report(id)), { lockMs: 2000, logger });
    // Lock 2 s, stall check every 1 s (a job is stalled on its second check): the fire runs again well within its 60 s slot.
    expect(await waitFor(() => runs.length > 0, 10_000)).toBe(true);
    expect(runs).toEqual(['killed']);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    // The worker that runs it again says so, whichever worker's stall check found it.
    expect(rerunLines(records)).toEqual([
      `schedule: job ${fireJobId('killed', fireAt)} runs again (source "killed": stalled 1 time(s): a worker stopped answering while it ran the job)`,
    ]);
    // The same slot queued again (a late worker) does not run a second time.
    await queue.enqueue({ sourceId: 'killed', fireAt, slotMs: 60_000, delayMs: 0 });
    await sleep(500);
    expect(runs).toEqual(['killed']);
  }, 40_000);
});
