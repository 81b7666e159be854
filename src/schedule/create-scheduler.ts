/**
 * The worker's clock: one node-cron task per distinct schedule and time zone, firing each of its
 * sources (every source keeps its own overlap guard), a random delay before each run, an optional
 * pass at start-up, and a shutdown that waits for in-flight runs. One task per source cost ~0.35 ms
 * of CPU each to create and start (node-cron looks up the next match in the zone), 0.1 s of a
 * 300-source worker's start-up, though most sources share one schedule.
 *
 * One process: local overlap guard → jitter → runSource. Shared mode (a dispatcher is given): the
 * fire goes to the queue with the jitter as its delay, and whichever worker is free runs it; an
 * enqueue that fails (Redis away) is retried with backoff until the fire's slot ends.
 */
import { createTask, type ScheduledTask, type Logger as CronLogger } from 'node-cron';
import { describeError, formatErrorMessage, INTERNAL_HINT, toAppError } from '../errors.js';
import type { Logger } from '../log.js';
import type { RunReport } from '../model.js';
import type { FireDispatcher } from './fire-queue.js';
import { ScheduleError } from './schedule-error.js';
import { createOutageLog, type OutageLog } from '../outage/outage-log.js';

/** One source as the scheduler sees it. */
export interface ScheduledSource {
  id: string;
  /** Validated by config (the scheduler trusts it and does not check it again). */
  schedule: string;
  /** An IANA zone config validated. */
  timezone: string;
  /** Shortest gap between two fires of `schedule` (SourceConfig.intervalMs). */
  intervalMs: number;
  host: string;
}

/** Everything the scheduler needs; the pipeline comes in as `runSource`. */
export interface SchedulerOptions {
  sources: ScheduledSource[];
  /** Runs one source (the pipeline); never throws for a source failure, it returns a failed RunReport. */
  runSource: (sourceId: string) => Promise<RunReport>;
  /**
   * Random delay (0..jitterMs) before each run so sources on one schedule do not fire at once; capped
   * per source at a quarter of its shortest interval, so a fast schedule is not starved by its own jitter.
   */
  jitterMs: number;
  /** Run every source once at start-up (and sources added later by reload). */
  initialRun: boolean;
  /** Shared mode: fires are queued (once across workers) instead of run here. */
  dispatcher?: FireDispatcher;
  logger: Logger;
  random?: () => number;
  /**
   * Clock and timers for jitter delays, the shutdown timeout and timestamps (default: Date.now and
   * the global timers, as the fetcher takes them). node-cron reads the global clock itself, so tests
   * drive fires with vitest's fake timers, which replace both.
   */
  clock?: SchedulerClock;
  onReport?: (report: RunReport) => void;
}

/** The scheduler's time source and timers. */
export interface SchedulerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** A running schedule of sources. */
export interface Scheduler {
  /** Starts one task per source and launches the start-up pass (without waiting for it). */
  start(): Promise<void>;
  /** Stops scheduling and waits for in-flight runs up to timeoutMs. */
  stop(timeoutMs: number): Promise<{ finished: boolean; inFlight: string[] }>;
  /** Replaces the tasks with a new source list; runs in flight carry on. */
  reload(sources: ScheduledSource[]): void;
  /** Ids of sources whose run is executing now. */
  inFlight(): string[];
  /** Last time this worker finished handling a fire: its own run ended, or the fire was queued. */
  lastCompletedAt(): Date | undefined;
}

/** Creates a scheduler; nothing runs until start(). */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const log = options.logger;
  const random = options.random ?? Math.random;
  const clock = options.clock ?? SYSTEM_CLOCK;
  /** The timing group of each scheduled source (the group holds the source), and the groups by timing key. */
  const tasks = new Map<string, TimingGroup>();
  const groups = new Map<string, TimingGroup>();
  /** Sources with a fire between its guard and the end of its run, and where that fire is now. */
  const reserved = new Map<string, FirePhase>();
  const running = new Map<string, Promise<void>>();
  const delays = createDelays(clock);
  /** While Redis is away every fire of every source fails to queue: a line a minute of each kind, not two per fire. */
  const queueOutage = createOutageLog(log, { level: 'warn' });
  const lostFires = createOutageLog(log);
  const skipLogs = new Map<string, OutageLog>();
  let sources = options.sources;
  let state: 'new' | 'started' | 'stopped' = 'new';
  let lastCompleted: Date | undefined;

  async function handleFire(source: ScheduledSource, fireAt: Date, trigger: 'scheduled' | 'initial'): Promise<void> {
    const fields = { sourceId: source.id, host: source.host, fireAt: fireAt.toISOString(), trigger };
    if (state !== 'started') return;
    if (reserved.has(source.id)) {
      logSkippedFire(source.id, fields);
      return;
    }
    if (options.dispatcher) {
      reserved.set(source.id, 'queueing');
      return dispatchFire(options.dispatcher, source, fireAt, fields).finally(() => reserved.delete(source.id));
    }
    reserved.set(source.id, 'waiting');
    try {
      const delayMs = Math.floor(random() * capJitter(options.jitterMs, source.intervalMs));
      if (delayMs > 0 && !(await delays.wait(delayMs))) return;
      if (state !== 'started' || !tasks.has(source.id)) return;
      reserved.set(source.id, 'running');
      const done = executeRun(source.id).finally(() => running.delete(source.id));
      running.set(source.id, done);
      await done;
    } finally {
      reserved.delete(source.id);
    }
  }

  /**
   * A fire that comes while the previous one is still pending says where that one is; once a minute
   * per source with a count, since a stuck run or queue skips every fire until it ends.
   */
  function logSkippedFire(sourceId: string, fields: Record<string, unknown>): void {
    const why = SKIP_REASONS[reserved.get(sourceId) ?? 'running'];
    skipLogFor(sourceId).failed(
      fields,
      `schedule: source "${sourceId}": skipped a fire, its previous one is still ${why}`,
    );
  }

  function skipLogFor(sourceId: string): OutageLog {
    let skips = skipLogs.get(sourceId);
    if (!skips) skipLogs.set(sourceId, (skips = createOutageLog(log, { level: 'warn' })));
    return skips;
  }

  async function dispatchFire(
    dispatcher: FireDispatcher,
    source: ScheduledSource,
    fireAt: Date,
    fields: Record<string, unknown>,
  ): Promise<void> {
    const slotMs = source.intervalMs;
    const jitterMs = Math.floor(random() * capJitter(options.jitterMs, source.intervalMs));
    const slotEnd = fireAt.getTime() + slotMs;
    for (let attempt = 0; state === 'started'; attempt += 1) {
      try {
        const delayMs = Math.max(0, fireAt.getTime() + jitterMs - clock.now());
        await dispatcher.enqueue({ sourceId: source.id, fireAt, slotMs, delayMs });
        lastCompleted = new Date(clock.now());
        log.debug(fields, `schedule: source "${source.id}": fire queued`);
        queueOutage.recovered(
          {},
          (failures) => `schedule: the fire queue takes fires again after ${failures} failed attempt(s)`,
        );
        lostFires.recovered({}, (lost) => `schedule: ${lost} fire(s) were lost while the queue was unreachable`);
        return;
      } catch (error) {
        const waitMs = Math.min(ENQUEUE_RETRY_BASE_MS * 2 ** attempt, ENQUEUE_RETRY_MAX_MS);
        if (clock.now() + waitMs >= slotEnd) {
          lostFires.failed(
            { ...fields, err: error },
            `schedule: source "${source.id}": fire lost, the queue was unreachable for its whole slot (${describeError(error)})`,
          );
          return;
        }
        if (attempt === 0)
          queueOutage.failed(
            { ...fields, err: error },
            `schedule: source "${source.id}": could not queue the fire (${describeError(error)}); retrying until its slot ends`,
          );
        if (!(await delays.wait(waitMs))) return;
      }
    }
  }

  async function executeRun(sourceId: string): Promise<void> {
    const startedAt = clock.now();
    let report: RunReport;
    try {
      report = await options.runSource(sourceId);
    } catch (error) {
      // runSource promises to return a failed report; a throw is a bug, reported like a failure.
      const appError = toAppError(error, sourceId);
      log.error(
        { sourceId, err: appError },
        `schedule: source "${sourceId}": runSource threw instead of reporting (${appError.message})`,
      );
      report = {
        sourceId,
        outcome: 'failed',
        found: 0,
        newItems: 0,
        durationMs: clock.now() - startedAt,
        warnings: [],
        error: appError,
        written: [],
      };
    }
    lastCompleted = new Date(clock.now());
    // The pipeline logs each report; the scheduler only hands it on.
    deliverReport(report);
  }

  function deliverReport(report: RunReport): void {
    try {
      options.onReport?.(report);
    } catch (error) {
      log.error(
        { sourceId: report.sourceId, err: error },
        `schedule: source "${report.sourceId}": onReport handler failed (${describeError(error)})`,
      );
    }
  }

  function scheduleSource(source: ScheduledSource): boolean {
    try {
      const key = timingKey(source);
      let group = groups.get(key);
      if (!group) {
        const members = new Map<string, ScheduledSource>();
        group = { key, members, task: startTask(source, members) };
        groups.set(key, group);
      }
      group.members.set(source.id, source);
      tasks.set(source.id, group);
      return true;
    } catch (cause) {
      // Schedules and zones come validated by config; node-cron refusing one is a bug, not a config problem.
      const error = new ScheduleError(
        'INTERNAL',
        formatErrorMessage('schedule', 'cannot be scheduled', {
          sourceId: source.id,
          detail: `node-cron refused "${source.schedule}" in ${source.timezone}: ${describeError(cause)}`,
        }),
        { sourceId: source.id, cause, hint: INTERNAL_HINT },
      );
      log.error({ sourceId: source.id, code: error.code, err: error }, error.message);
      return false;
    }
  }

  /**
   * The task of one schedule + zone (`timing` is its first source). It fires every member without
   * waiting for their runs: a member whose previous fire is still pending is skipped by handleFire's
   * own guard, not the whole group.
   */
  function startTask(timing: ScheduledSource, members: ReadonlyMap<string, ScheduledSource>): ScheduledTask {
    const fireAll = (date: Date) => {
      for (const source of members.values()) void handleFire(source, date, 'scheduled');
    };
    const task = createTask(timing.schedule, (context) => fireAll(context.date), {
      name: `feedwright:${timing.schedule}@${timing.timezone}`,
      timezone: timing.timezone,
      missedExecutionTolerance: MISSED_TOLERANCE_MS,
      suppressMissedWarning: true,
      logger: createCronLogger(log.child({ schedule: timing.schedule, timezone: timing.timezone })),
    });
    task.on('execution:missed', (context) => {
      for (const source of members.values())
        log.warn(
          { sourceId: source.id, fireAt: context.date.toISOString() },
          `schedule: source "${source.id}": missed a fire (the process was blocked)`,
        );
    });
    try {
      void task.start();
    } catch (error) {
      void task.destroy();
      throw error;
    }
    return task;
  }

  function unscheduleSource(sourceId: string): void {
    const group = tasks.get(sourceId);
    if (!group) return;
    tasks.delete(sourceId);
    group.members.delete(sourceId);
    if (group.members.size > 0) return;
    groups.delete(group.key);
    void group.task.destroy();
  }

  function runInitial(source: ScheduledSource): void {
    void handleFire(source, findInitialFireAt(source, new Date(clock.now())), 'initial');
  }

  return {
    async start() {
      if (state === 'started') return;
      if (state === 'stopped')
        throw new ScheduleError(
          'INTERNAL',
          formatErrorMessage('schedule', 'the scheduler was stopped and cannot start again', {
            detail: 'create a new one',
          }),
        );
      state = 'started';
      const scheduled = sources.filter((source) => scheduleSource(source));
      log.info(
        { sources: scheduled.length, initialRun: options.initialRun, jitterMs: options.jitterMs },
        'schedule: started',
      );
      if (options.initialRun) scheduled.forEach(runInitial);
    },
    async stop(timeoutMs) {
      state = 'stopped';
      for (const sourceId of [...tasks.keys()]) unscheduleSource(sourceId);
      delays.cancelAll();
      const finished = await waitForAll([...running.values()], timeoutMs, clock);
      const inFlight = [...running.keys()];
      if (!finished)
        log.warn({ inFlight, timeoutMs }, `schedule: stopped while ${inFlight.length} run(s) were still in flight`);
      return { finished, inFlight };
    },
    reload(next) {
      const previous = new Map(sources.map((source) => [source.id, source]));
      sources = next;
      if (state !== 'started') return;
      const nextIds = new Set(next.map((source) => source.id));
      for (const sourceId of [...tasks.keys()]) if (!nextIds.has(sourceId)) unscheduleSource(sourceId);
      for (const source of next) {
        const current = tasks.get(source.id);
        if (current?.key === timingKey(source)) {
          current.members.set(source.id, source);
          continue;
        }
        unscheduleSource(source.id);
        if (scheduleSource(source) && options.initialRun && !previous.has(source.id)) runInitial(source);
      }
      log.info({ sources: tasks.size }, 'schedule: reloaded');
    },
    inFlight: () => [...running.keys()],
    lastCompletedAt: () => lastCompleted,
  };
}

// --- Internal helpers ---

/** The real clock; read through globals at call time, so vitest's fake timers replace it too. */
const SYSTEM_CLOCK: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Where a fire is between the overlap guard and the end of its run. */
type FirePhase = 'waiting' | 'queueing' | 'running';

const SKIP_REASONS: Record<FirePhase, string> = {
  waiting: 'waiting out its random start delay (worker.jitter)',
  queueing: 'being handed to the fire queue (Redis)',
  running: 'in progress',
};

/** The jitter never exceeds this share of a source's shortest interval: its fire must start before the next one. */
const JITTER_INTERVAL_FRACTION = 0.25;

/** The random start delay's upper bound for one source: worker.jitter, capped by the source's interval. */
function capJitter(jitterMs: number, intervalMs: number): number {
  return Math.max(0, Math.min(jitterMs, Math.floor(intervalMs * JITTER_INTERVAL_FRACTION)));
}

/** Backoff between attempts to queue a fire while Redis is away. */
const ENQUEUE_RETRY_BASE_MS = 500;
const ENQUEUE_RETRY_MAX_MS = 5_000;
/** node-cron drops a fire that is more than 1 s late; a GC pause must not cost a 30-minute run. */
const MISSED_TOLERANCE_MS = 60_000;

/**
 * The start-up run's fire time: the start of the current interval bucket. Workers started within
 * one interval compute the same key, so a rolling restart runs each source once, not once per worker.
 */
function findInitialFireAt(source: ScheduledSource, now: Date): Date {
  return new Date(Math.floor(now.getTime() / source.intervalMs) * source.intervalMs);
}

/** The sources one node-cron task fires: those with the same schedule and time zone. */
interface TimingGroup {
  key: string;
  task: ScheduledTask;
  members: Map<string, ScheduledSource>;
}

function timingKey(source: ScheduledSource): string {
  return `${source.schedule}\u0000${source.timezone}`;
}

/** Resolves true when every promise settled within timeoutMs, false otherwise. */
async function waitForAll(promises: Array<Promise<void>>, timeoutMs: number, clock: SchedulerClock): Promise<boolean> {
  if (promises.length === 0) return true;
  let timer: unknown;
  const timedOut = new Promise<false>((resolve) => {
    timer = clock.setTimeout(() => resolve(false), Math.max(0, timeoutMs));
  });
  const settled = Promise.allSettled(promises).then(() => true as const);
  try {
    return await Promise.race([settled, timedOut]);
  } finally {
    clock.clearTimeout(timer);
  }
}

/** Sleeps that stop() can cancel: a fire still waiting out its jitter never starts after shutdown. */
function createDelays(clock: SchedulerClock): { wait(ms: number): Promise<boolean>; cancelAll(): void } {
  const pending = new Map<unknown, (completed: boolean) => void>();
  return {
    wait(ms) {
      return new Promise<boolean>((resolve) => {
        const timer = clock.setTimeout(() => {
          pending.delete(timer);
          resolve(true);
        }, ms);
        pending.set(timer, resolve);
      });
    },
    cancelAll() {
      for (const [timer, resolve] of pending) {
        clock.clearTimeout(timer);
        resolve(false);
      }
      pending.clear();
    },
  };
}

/** Routes node-cron's own messages to pino; its warnings are re-emitted by our event handlers, so they go to debug. */
function createCronLogger(log: Logger): CronLogger {
  return {
    info: (message) => log.debug(`node-cron: ${message}`),
    warn: (message) => log.debug(`node-cron: ${message}`),
    error: (message, err) =>
      log.error({ err: err ?? message }, `node-cron: ${message instanceof Error ? message.message : message}`),
    debug: (message) => log.debug(`node-cron: ${message instanceof Error ? message.message : message}`),
  };
}
