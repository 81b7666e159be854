import { afterEach, describe, expect, it } from 'vitest';
import { createScheduler, type Scheduler, type ScheduledSource } from '../../../src/schedule/index.js';
import type { RunReport } from '../../../src/model.js';
import { createCapturingLogger, createFakeRunner, sleep, sleepUntilNextSecond } from '../../helpers/schedule-harness.js';

const EVERY_SECOND = '*/1 * * * * *';
const YEARLY = '0 0 0 1 1 *';

function source(id: string, schedule = EVERY_SECOND, timezone = 'Asia/Shanghai'): ScheduledSource {
  return { id, schedule, timezone, host: `${id}.example.org` };
}

let scheduler: Scheduler | undefined;
afterEach(async () => {
  await scheduler?.stop(2000);
  scheduler = undefined;
});

describe('createScheduler: timing', () => {
  it('runs each source on its schedule, right after each fire', async () => {
    const fake = createFakeRunner();
    const { logger } = createCapturingLogger();
    await sleepUntilNextSecond(100);
    scheduler = createScheduler({ sources: [source('a'), source('b', EVERY_SECOND, 'Europe/Paris')], runSource: fake.runSource, jitterMs: 0, initialRun: false, logger });
    await scheduler.start();
    await sleep(2200);
    await scheduler.stop(1000);
    for (const id of ['a', 'b']) {
      const runs = fake.runsOf(id);
      expect(runs.length).toBeGreaterThanOrEqual(2);
      expect(runs.length).toBeLessThanOrEqual(3);
      // No jitter: each run starts just after a second boundary.
      for (const run of runs) expect(run.startedAt % 1000).toBeLessThan(250);
      // One run per fire: start times fall in distinct seconds.
      expect(new Set(runs.map((r) => Math.floor(r.startedAt / 1000))).size).toBe(runs.length);
    }
  });

  it('never overlaps a source with itself and warns about the skipped fire', async () => {
    const fake = createFakeRunner(() => 1200);
    const { logger, records } = createCapturingLogger();
    scheduler = createScheduler({ sources: [source('slow')], runSource: fake.runSource, jitterMs: 0, initialRun: true, logger });
    await scheduler.start();
    await sleep(2600);
    await scheduler.stop(0);
    scheduler = undefined;
    expect(fake.maxConcurrent.get('slow')).toBe(1);
    expect(fake.runsOf('slow').length).toBeGreaterThanOrEqual(2);
    const skips = records.filter((r) => r.level === 40 && r.sourceId === 'slow' && r.msg.includes('still in progress'));
    expect(skips.length).toBeGreaterThanOrEqual(1);
  });

  it('runs every source once at start-up when initialRun is set, and reports it', async () => {
    const fake = createFakeRunner();
    const reports: RunReport[] = [];
    const logger = createCapturingLogger().logger;
    scheduler = createScheduler({
      sources: [source('x', YEARLY), source('y', YEARLY)],
      runSource: fake.runSource,
      jitterMs: 0,
      initialRun: true,
      logger,
      onReport: (report) => reports.push(report),
    });
    expect(scheduler.lastCompletedAt()).toBeUndefined();
    await scheduler.start();
    await sleep(200);
    expect(reports.map((r) => r.sourceId).sort()).toEqual(['x', 'y']);
    expect(scheduler.lastCompletedAt()).toBeInstanceOf(Date);
  });

  it('does not run at start-up when initialRun is off', async () => {
    const fake = createFakeRunner();
    scheduler = createScheduler({ sources: [source('x', YEARLY)], runSource: fake.runSource, jitterMs: 0, initialRun: false, logger: createCapturingLogger().logger });
    await scheduler.start();
    await sleep(300);
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
    const startedAt = Date.now();
    await scheduler.start();
    await sleep(1100);
    const offsets = ids.map((id) => (fake.runsOf(id)[0]?.startedAt ?? Number.NaN) - startedAt);
    const expected = [0, 200, 400, 600, 792];
    offsets.forEach((offset, i) => {
      expect(offset).toBeGreaterThanOrEqual((expected[i] ?? 0) - 5);
      expect(offset).toBeLessThan((expected[i] ?? 0) + 150);
    });
  });

  it('spreads scheduled fires of sources sharing one schedule', async () => {
    const fake = createFakeRunner(() => 5);
    const ids = ['p', 'q', 'r', 's'];
    await sleepUntilNextSecond(100);
    scheduler = createScheduler({ sources: ids.map((id) => source(id)), runSource: fake.runSource, jitterMs: 600, initialRun: false, logger: createCapturingLogger().logger });
    await scheduler.start();
    // Stop at ~900 ms past the next second: every jittered start of that fire has happened.
    await sleep(1800);
    await scheduler.stop(1000);
    const starts = fake.runs.map((r) => r.startedAt % 1000).sort((a, b) => a - b);
    expect(starts.length).toBeGreaterThanOrEqual(4);
    // With Math.random over 0..600 ms, four sources landing within 20 ms of each other is ~1e-5 likely.
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThan(20);
    expect(starts.every((offset) => offset < 750)).toBe(true);
  });
});
