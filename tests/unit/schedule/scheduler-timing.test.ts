/**
 * When sources run, on fake time: vitest's fake timers replace the clock and the timers node-cron and
 * the scheduler read, so fires, jitter and overlaps are exact and no test waits on the wall clock.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeSchedule } from '../../../src/time/describe-schedule.js';
import { createScheduler, type Scheduler, type ScheduledSource } from '../../../src/schedule/index.js';
import type { RunReport } from '../../../src/model.js';
import { createCapturingLogger, createFakeRunner } from '../../helpers/schedule-harness.js';

const EVERY_SECOND = '*/1 * * * * *';
const YEARLY = '0 0 0 1 1 *';
/** 100 ms past a second boundary. */
const START = Date.UTC(2026, 10, 30, 10, 0, 0, 100);

function source(id: string, schedule = EVERY_SECOND, timezone = 'Asia/Shanghai'): ScheduledSource {
  return {
    id,
    schedule,
    timezone,
    intervalMs: describeSchedule(schedule).intervalMs ?? 60_000,
    host: `${id}.example.org`,
  };
}

let scheduler: Scheduler | undefined;
beforeEach(() => {
  vi.useFakeTimers({ now: START });
});
afterEach(async () => {
  const stopping = scheduler?.stop(0);
  await vi.runOnlyPendingTimersAsync();
  await stopping;
  scheduler = undefined;
  vi.useRealTimers();
});

describe('createScheduler: timing', () => {
  it('runs each source on its schedule, right after each fire', async () => {
    const fake = createFakeRunner();
    const { logger } = createCapturingLogger();
    scheduler = createScheduler({
      sources: [source('a'), source('b', EVERY_SECOND, 'Europe/Paris')],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: false,
      logger,
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(2_200);
    for (const id of ['a', 'b']) {
      // Fires at :01 and :02, each run starting on its second (no jitter), one run per fire.
      expect(fake.runsOf(id).map((run) => run.startedAt - START)).toEqual([900, 1_900]);
    }
  });

  it('never overlaps a source with itself and warns about the skipped fire', async () => {
    const fake = createFakeRunner(() => 1_200);
    const { logger, records } = createCapturingLogger();
    scheduler = createScheduler({
      sources: [source('slow')],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: true,
      logger,
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(2_600);
    expect(fake.maxConcurrent.get('slow')).toBe(1);
    // The start-up run (0–1200 ms) covers the fire at 900 ms; the fire at 1900 ms runs.
    expect(fake.runsOf('slow').map((run) => run.startedAt - START)).toEqual([0, 1_900]);
    const skips = records.filter((r) => r.level === 40 && r.sourceId === 'slow' && r.msg.includes('still in progress'));
    expect(skips).toHaveLength(1);
  });

  it('one task fires every source of a schedule: a slow one skips its fire, the others on it still run', async () => {
    // Sources sharing a schedule and zone share one node-cron task; the overlap guard stays per source.
    const fake = createFakeRunner((id) => (id === 'slow' ? 1_200 : 50));
    const { logger, records } = createCapturingLogger();
    scheduler = createScheduler({
      sources: [source('slow'), source('quick')],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: false,
      logger,
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(2_950);
    // Fires at 900, 1900 and 2900 ms: slow runs at 900 and skips 1900 (still running until 2100).
    expect(fake.runsOf('slow').map((run) => run.startedAt - START)).toEqual([900, 2_900]);
    expect(fake.runsOf('quick').map((run) => run.startedAt - START)).toEqual([900, 1_900, 2_900]);
    const skips = records.filter((r) => r.msg.includes('skipped a fire'));
    expect(skips.map((r) => r.sourceId)).toEqual(['slow']);
  });

  it('runs every source once at start-up when initialRun is set, and reports it', async () => {
    const fake = createFakeRunner();
    const reports: RunReport[] = [];
    scheduler = createScheduler({
      sources: [source('x', YEARLY), source('y', YEARLY)],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: true,
      logger: createCapturingLogger().logger,
      onReport: (report) => reports.push(report),
    });
    expect(scheduler.lastCompletedAt()).toBeUndefined();
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(200);
    expect(reports.map((r) => r.sourceId).sort()).toEqual(['x', 'y']);
    expect(scheduler.lastCompletedAt()?.getTime()).toBe(START + 20);
  });

  it('does not run at start-up when initialRun is off', async () => {
    const fake = createFakeRunner();
    scheduler = createScheduler({
      sources: [source('x', YEARLY)],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: false,
      logger: createCapturingLogger().logger,
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fake.runs).toHaveLength(0);
  });

  it('spreads starts by the jitter drawn from random()', async () => {
    const fake = createFakeRunner();
    const draws = [0, 0.25, 0.5, 0.75, 0.99];
    let next = 0;
    const ids = ['s0', 's1', 's2', 's3', 's4'];
    scheduler = createScheduler({
      sources: ids.map((id) => source(id, YEARLY)),
      runSource: fake.runSource,
      jitterMs: 800,
      initialRun: true,
      logger: createCapturingLogger().logger,
      random: () => draws[next++ % draws.length] ?? 0,
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(1_100);
    expect(ids.map((id) => (fake.runsOf(id)[0]?.startedAt ?? Number.NaN) - START)).toEqual([0, 200, 400, 600, 792]);
  });

  it('spreads scheduled fires of sources sharing one schedule', async () => {
    const fake = createFakeRunner(() => 5);
    const ids = ['p', 'q', 'r', 's'];
    const draws = [0.1, 0.4, 0.7, 0.95];
    let next = 0;
    scheduler = createScheduler({
      sources: ids.map((id) => source(id)),
      runSource: fake.runSource,
      jitterMs: 600,
      initialRun: false,
      logger: createCapturingLogger().logger,
      random: () => draws[next++ % draws.length] ?? 0,
    });
    await scheduler.start();
    await vi.advanceTimersByTimeAsync(1_800);
    // The fire at :01 (900 ms after the start); the jitter is capped at a quarter of the 1 s interval.
    expect(fake.runs.map((r) => r.startedAt - START).sort((a, b) => a - b)).toEqual([925, 1_000, 1_075, 1_137]);
  });
});
