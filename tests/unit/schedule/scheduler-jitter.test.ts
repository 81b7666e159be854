/**
 * Jitter against fast schedules, on fake time (vitest's fake timers drive node-cron's timers and
 * Date): a jitter longer than the interval must not starve the source, and a fire skipped while the
 * previous one only waits says so.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeSchedule } from '../../../src/time/describe-schedule.js';
import { createScheduler, type Scheduler, type ScheduledSource } from '../../../src/schedule/index.js';
import { createCapturingLogger, createFakeRunner } from '../../helpers/schedule-harness.js';

function source(id: string, schedule: string): ScheduledSource {
  return {
    id,
    schedule,
    timezone: 'UTC',
    intervalMs: describeSchedule(schedule).intervalMs ?? 60_000,
    host: `${id}.example.org`,
  };
}

let scheduler: Scheduler | undefined;
beforeEach(() => {
  vi.useFakeTimers({ now: Date.UTC(2026, 10, 30, 10, 0, 0, 100) });
});
afterEach(async () => {
  const stopping = scheduler?.stop(0);
  await vi.runOnlyPendingTimersAsync();
  await stopping;
  scheduler = undefined;
  vi.useRealTimers();
});

describe('createScheduler: jitter and the interval', () => {
  it('caps the default 30 s jitter at a quarter of a 2 s interval: the source runs on every fire', async () => {
    const fake = createFakeRunner(() => 10);
    const { logger, records } = createCapturingLogger();
    const delays: number[] = [];
    scheduler = createScheduler({
      sources: [source('fast', '*/2 * * * * *')],
      runSource: fake.runSource,
      jitterMs: 30_000,
      initialRun: false,
      logger,
      // The largest draw: the delay is the cap itself.
      random: () => 0.999,
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(9_000);
    const runs = fake.runsOf('fast');
    // Fires at :02, :04, :06, :08, each started within 500 ms of its fire.
    expect(runs).toHaveLength(4);
    for (const run of runs) delays.push(run.startedAt % 2_000);
    expect(delays.every((delay) => delay >= 450 && delay < 500)).toBe(true);
    expect(records.filter((r) => r.msg.includes('skipped a fire'))).toEqual([]);
  });

  it('keeps the full jitter for a source whose interval is long enough', async () => {
    const fake = createFakeRunner(() => 10);
    scheduler = createScheduler({
      sources: [source('hourly', '0 * * * *')],
      runSource: fake.runSource,
      jitterMs: 30_000,
      initialRun: true,
      logger: createCapturingLogger().logger,
      random: () => 0.5,
    });
    const startedAt = Date.now();
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(14_999);
    expect(fake.runsOf('hourly')).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(100);
    expect(fake.runsOf('hourly')[0]?.startedAt).toBe(startedAt + 15_000);
  });

  it('says "waiting", not "in progress", for a fire skipped while the previous one waits out its jitter', async () => {
    vi.setSystemTime(Date.UTC(2026, 10, 30, 10, 0, 1, 800));
    const fake = createFakeRunner(() => 10);
    const { logger, records } = createCapturingLogger();
    // The start-up fire at :01.800 waits 499 ms; the scheduled fire at :02.000 comes meanwhile.
    scheduler = createScheduler({
      sources: [source('s', '*/2 * * * * *')],
      runSource: fake.runSource,
      jitterMs: 30_000,
      initialRun: true,
      logger,
      random: () => 0.999,
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(600);
    const skipped = records.filter((r) => r.msg.includes('skipped a fire'));
    expect(skipped.map((r) => r.msg)).toEqual([
      'schedule: source "s": skipped a fire, its previous one is still waiting out its random start delay (worker.jitter)',
    ]);
    expect(fake.runsOf('s')).toHaveLength(1);
  });

  it('caps the delay a queued fire waits (shared mode) the same way', async () => {
    const fake = createFakeRunner(() => 10);
    const delays: number[] = [];
    scheduler = createScheduler({
      sources: [source('s', '*/2 * * * * *')],
      runSource: fake.runSource,
      jitterMs: 30_000,
      initialRun: false,
      logger: createCapturingLogger().logger,
      random: () => 0.999,
      dispatcher: { enqueue: async (fire) => void delays.push(fire.delayMs) },
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(4_100);
    expect(delays.length).toBeGreaterThanOrEqual(2);
    expect(delays.every((ms) => ms <= 500)).toBe(true);
    expect(fake.runs).toHaveLength(0);
  });
});
