/**
 * Shutdown, reload, failures and shared-mode queueing, on fake time: vitest's fake timers replace
 * the clock and timers node-cron and the scheduler read, so no test waits on the wall clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeSchedule } from '../../../src/time/describe-schedule.js';
import {
  createScheduler,
  type Fire,
  type FireDispatcher,
  type Scheduler,
  type ScheduledSource,
} from '../../../src/schedule/index.js';
import type { RunReport } from '../../../src/model.js';
import { createCapturingLogger, createFakeRunner } from '../../helpers/schedule-harness.js';

/** Moves fake time forward, running every timer (and node-cron fire) due meanwhile. */
const sleep = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** stop() while fake time moves on, so its wait for runs in flight can end. */
async function stopWithin(
  target: Scheduler,
  timeoutMs: number,
  advanceMs = timeoutMs,
): Promise<{ finished: boolean; inFlight: string[] }> {
  const stopping = target.stop(timeoutMs);
  await sleep(advanceMs);
  return stopping;
}

const EVERY_SECOND = '*/1 * * * * *';
const YEARLY = '0 0 0 1 1 *';

function source(id: string, schedule = YEARLY): ScheduledSource {
  const intervalMs = describeSchedule(schedule).intervalMs ?? 60_000;
  return { id, schedule, timezone: 'Asia/Shanghai', intervalMs, host: 'www.mee.gov.cn' };
}

let scheduler: Scheduler | undefined;
beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 30, 10, 0, 0, 100) });
});
afterEach(async () => {
  const stopping = scheduler?.stop(2000);
  await vi.runOnlyPendingTimersAsync();
  await stopping;
  scheduler = undefined;
  vi.useRealTimers();
});

describe('createScheduler: shutdown', () => {
  it('stop() waits for an in-flight run to finish', async () => {
    const fake = createFakeRunner(() => 700);
    const reports: RunReport[] = [];
    scheduler = createScheduler({
      sources: [source('a')],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: true,
      logger: createCapturingLogger().logger,
      onReport: (r) => reports.push(r),
    });
    await scheduler.start();
    await sleep(100);
    expect(scheduler.inFlight()).toEqual(['a']);
    const before = Date.now();
    const result = await stopWithin(scheduler, 5000, 600);
    expect(result).toEqual({ finished: true, inFlight: [] });
    // The run started at 0 and lasts 700 ms: stop() called at 100 ms waits its last 600 ms.
    expect(fake.runsOf('a')[0]?.endedAt).toBe(before + 600);
    expect(reports).toHaveLength(1);
    expect(fake.runsOf('a')[0]?.endedAt).toBeDefined();
  });

  it('stop() gives up after its timeout and names the runs still in flight', async () => {
    const fake = createFakeRunner(() => 3000);
    const { logger, records } = createCapturingLogger();
    scheduler = createScheduler({
      sources: [source('slow'), source('quick')],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: true,
      logger,
    });
    await scheduler.start();
    await sleep(100);
    const result = await stopWithin(scheduler, 300);
    scheduler = undefined;
    expect(result.finished).toBe(false);
    expect(result.inFlight.sort()).toEqual(['quick', 'slow']);
    expect(records.some((r) => r.level === 40 && r.msg.includes('still in flight'))).toBe(true);
  });

  it('stop() cancels fires still waiting out their jitter and stops scheduling', async () => {
    const fake = createFakeRunner();
    scheduler = createScheduler({
      sources: [source('a', EVERY_SECOND)],
      runSource: fake.runSource,
      jitterMs: 10_000,
      initialRun: true,
      logger: createCapturingLogger().logger,
      random: () => 0.5,
    });
    await scheduler.start();
    await sleep(100);
    const result = await stopWithin(scheduler, 1000, 0);
    expect(result).toEqual({ finished: true, inFlight: [] });
    await sleep(10_000);
    expect(fake.runs).toHaveLength(0);
  });

  it('refuses to start again after stop()', async () => {
    scheduler = createScheduler({
      sources: [],
      runSource: createFakeRunner().runSource,
      jitterMs: 0,
      initialRun: false,
      logger: createCapturingLogger().logger,
    });
    await scheduler.start();
    await scheduler.stop(100);
    await expect(scheduler.start()).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});

describe('createScheduler: reload and failures', () => {
  it('reload() replaces the tasks and lets an in-flight run finish', async () => {
    const fake = createFakeRunner((id) => (id === 'old' ? 900 : 10));
    const reports: RunReport[] = [];
    scheduler = createScheduler({
      sources: [source('old')],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: true,
      logger: createCapturingLogger().logger,
      onReport: (r) => reports.push(r),
    });
    await scheduler.start();
    await sleep(100);
    scheduler.reload([source('new', EVERY_SECOND)]);
    expect(scheduler.inFlight()).toContain('old');
    await sleep(2200);
    expect(reports.filter((r) => r.sourceId === 'old')).toHaveLength(1);
    expect(fake.runsOf('old')).toHaveLength(1);
    // The new source runs at start-up (it was added) and then every second.
    expect(fake.runsOf('new').length).toBeGreaterThanOrEqual(2);
  });

  it('reload() keeps an unchanged task and its overlap guard', async () => {
    const fake = createFakeRunner(() => 1200);
    scheduler = createScheduler({
      sources: [source('a', EVERY_SECOND)],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: true,
      logger: createCapturingLogger().logger,
    });
    await scheduler.start();
    await sleep(200);
    scheduler.reload([source('a', EVERY_SECOND)]);
    await sleep(1500);
    scheduler.reload([{ ...source('a', EVERY_SECOND), host: 'mirror.example.org' }]);
    await sleep(600);
    await stopWithin(scheduler, 0);
    scheduler = undefined;
    expect(fake.maxConcurrent.get('a')).toBe(1);
  });

  it('turns a throwing runSource into a failed report and keeps scheduling', async () => {
    const reports: RunReport[] = [];
    const { logger, records } = createCapturingLogger();
    let calls = 0;
    scheduler = createScheduler({
      sources: [source('boom', EVERY_SECOND)],
      runSource: async () => {
        calls += 1;
        throw new Error('kaboom');
      },
      jitterMs: 0,
      initialRun: true,
      logger,
      onReport: (r) => reports.push(r),
    });
    await scheduler.start();
    await sleep(1300);
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(reports[0]).toMatchObject({ sourceId: 'boom', outcome: 'failed', error: { code: 'INTERNAL' } });
    expect(records.some((r) => r.level === 50 && r.sourceId === 'boom' && r.msg.includes('kaboom'))).toBe(true);
  });

  it('logs a source node-cron refuses as an INTERNAL ScheduleError (config lets none through) and runs the others', async () => {
    const fake = createFakeRunner();
    const { logger, records } = createCapturingLogger();
    const badZone: ScheduledSource = { ...source('bad-zone'), timezone: 'Mars/Olympus' };
    scheduler = createScheduler({
      sources: [source('bad-cron', '61 * * * *'), badZone, source('good')],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: true,
      logger,
    });
    await scheduler.start();
    await sleep(200);
    expect(fake.runs.map((r) => r.sourceId)).toEqual(['good']);
    // CONFIG_INVALID belongs to config alone; the scheduler trusts validated values and does not check them again.
    const errors = records.filter((r) => r.level === 50 && r.code === 'INTERNAL');
    expect(errors.map((r) => r.sourceId).sort()).toEqual(['bad-cron', 'bad-zone']);
    expect(errors.every((r) => r.msg.includes('node-cron refused'))).toBe(true);
    expect(records.some((r) => r.code === 'CONFIG_INVALID')).toBe(false);
  });

  it('a thrown onReport handler is logged and does not stop the scheduler', async () => {
    const fake = createFakeRunner();
    const { logger, records } = createCapturingLogger();
    scheduler = createScheduler({
      sources: [source('a', EVERY_SECOND)],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: true,
      logger,
      onReport: () => {
        throw new Error('handler broke');
      },
    });
    await scheduler.start();
    await sleep(1300);
    expect(fake.runs.length).toBeGreaterThanOrEqual(2);
    expect(records.some((r) => r.level === 50 && r.msg.includes('handler broke'))).toBe(true);
  });
});

describe('createScheduler: dispatcher (shared mode)', () => {
  function fakeDispatcher(answer: (fire: Fire) => Promise<void>) {
    const fires: Fire[] = [];
    const dispatcher: FireDispatcher = { enqueue: async (fire) => (fires.push(fire), answer(fire)) };
    return { dispatcher, fires };
  }

  it('queues each fire with its scheduled slot and a jitter delay, and runs nothing itself', async () => {
    const fake = createFakeRunner();
    const { dispatcher, fires } = fakeDispatcher(async () => undefined);
    scheduler = createScheduler({
      sources: [source('a', EVERY_SECOND)],
      runSource: fake.runSource,
      jitterMs: 300,
      initialRun: false,
      dispatcher,
      logger: createCapturingLogger().logger,
    });
    await scheduler.start();
    await sleep(1500);
    await stopWithin(scheduler, 1000);
    expect(fires).toHaveLength(1);
    for (const fire of fires) {
      expect(fire.sourceId).toBe('a');
      expect(fire.fireAt.getTime() % 1000).toBe(0);
      expect(fire.slotMs).toBe(1000);
      // The jitter is capped at half the slot so a queued fire still starts within it.
      expect(fire.delayMs).toBeLessThanOrEqual(500);
    }
    expect(fake.runs).toHaveLength(0);
    expect(scheduler.lastCompletedAt()).toBeInstanceOf(Date);
  });

  it('retries a fire the queue refused until it is queued', async () => {
    const fake = createFakeRunner();
    let refusals = 2;
    const { dispatcher, fires } = fakeDispatcher(async () => {
      if (refusals-- > 0) throw new Error('ECONNREFUSED');
    });
    const { logger, records } = createCapturingLogger();
    scheduler = createScheduler({
      sources: [source('a')],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: true,
      dispatcher,
      logger,
    });
    await scheduler.start();
    await sleep(2500);
    expect(fires).toHaveLength(3);
    expect(new Set(fires.map((fire) => fire.fireAt.getTime())).size).toBe(1);
    expect(fake.runs).toHaveLength(0);
    expect(records.some((r) => r.level === 40 && r.sourceId === 'a' && r.msg.includes('ECONNREFUSED'))).toBe(true);
    expect(scheduler.lastCompletedAt()).toBeInstanceOf(Date);
  });

  it('gives a fire up, loudly, when the queue stays unreachable for its whole slot', async () => {
    const fake = createFakeRunner();
    const { dispatcher } = fakeDispatcher(async () => {
      throw new Error('ECONNREFUSED');
    });
    const { logger, records } = createCapturingLogger();
    scheduler = createScheduler({
      sources: [source('a', EVERY_SECOND)],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: false,
      dispatcher,
      logger,
    });
    await scheduler.start();
    await sleep(2300);
    expect(fake.runs).toHaveLength(0);
    expect(records.some((r) => r.level === 50 && r.sourceId === 'a' && r.msg.includes('fire lost'))).toBe(true);
  });
});
