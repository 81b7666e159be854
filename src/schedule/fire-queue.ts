/**
 * Shared mode: every fire becomes a BullMQ job that any worker may run.
 *
 * node-cron stays the clock on every worker; at each fire every worker enqueues the same job id
 * (source + scheduled slot), so the fire is queued once however many workers see it. Workers pull
 * jobs (a busy worker takes fewer), a job whose worker died is found stalled and run again by
 * another one within its lock time, and a run that failed because Redis or the network failed is
 * retried with backoff while its slot lasts. BullMQ and the Redis client are loaded only here, and
 * this module only when the store is Redis, so the single-process mode never loads them.
 */
import { hostname } from 'node:os';
import type { Job, Queue, Worker } from 'bullmq';
import { describeError, formatErrorMessage } from '../errors.js';
import { ScheduleError } from './schedule-error.js';
import type { Logger } from '../log.js';
import type { RunReport } from '../model.js';
import { redactUrl } from '../redact/redact-url.js';
import { createRedisClient, loadBullMQ } from '../store/redis-library.js';

/** One fire as the scheduler hands it over. */
export interface Fire {
  sourceId: string;
  /** The scheduled time (the slot); the same on every worker. */
  fireAt: Date;
  /** How long the slot lasts (the source's interval): retries and duplicate protection end with it. */
  slotMs: number;
  /** Jitter: the job waits this long in the queue before a worker may take it. */
  delayMs: number;
}

/** Hands fires to whichever worker is free; see the module comment. */
export interface FireDispatcher {
  /** Enqueues a fire (a no-op when another worker already queued the same slot). Rejects when Redis fails. */
  enqueue(fire: Fire): Promise<void>;
}

/** A connected fire queue with this process's worker attached. */
export interface FireQueue extends FireDispatcher {
  /** Sources whose job this worker is running now. */
  inFlight(): string[];
  /** When this worker last finished a job. */
  lastCompletedAt(): Date | undefined;
  /** Stops taking jobs and waits (up to timeoutMs) for the jobs in flight; closes the connections. */
  close(timeoutMs: number): Promise<{ finished: boolean; inFlight: string[] }>;
}

/** Options for {@link openFireQueue}. */
export interface FireQueueOptions {
  /** redis:// URL (without the namespace parameter). */
  url: string;
  /** Store namespace: the queue's keys live under `<namespace>:queue:`. */
  namespace: string;
  /** Runs one source; never throws for a source failure. */
  runSource: (sourceId: string) => Promise<RunReport>;
  /** Jobs this worker runs at once. */
  concurrency: number;
  logger: Logger;
  onReport?: (report: RunReport) => void;
  /**
   * How long a job's lock lives without renewal: a killed worker's job is run again after at most
   * this plus two stall checks (half of it each). Default 10 s.
   */
  lockMs?: number;
  /** Attempts per fire when runs fail on Redis or the network (default 3), backoff base (default 2 s). */
  attempts?: number;
  backoffMs?: number;
  /** Upper bound for one enqueue; default 5 s. */
  commandTimeoutMs?: number;
  /** Shown in logs and in Redis' client list; default `<hostname>:<pid>`. */
  workerName?: string;
}

/** Connects to Redis, starts this worker's share of the queue; rejects with QUEUE_UNAVAILABLE when Redis cannot be reached. */
export async function openFireQueue(options: FireQueueOptions): Promise<FireQueue> {
  const { Queue: QueueClass, Worker: WorkerClass } = loadBullMQ();
  const log = options.logger;
  const lockMs = options.lockMs ?? 10_000;
  const timeoutMs = options.commandTimeoutMs ?? 5_000;
  const attempts = options.attempts ?? 3;
  const backoffMs = options.backoffMs ?? 2_000;
  const prefix = `${options.namespace}:queue`;
  const name = options.workerName ?? `${hostname()}:${process.pid}`;
  let connected = false;
  const connect = () => {
    const client = createRedisClient({
      url: options.url,
      name: `feedwright:${name}`,
      socket: {
        connectTimeout: timeoutMs,
        // Refuse to start without Redis; once running, ride out an outage with a capped backoff.
        reconnectStrategy: (retries: number, cause: Error) => (connected ? Math.min(100 * 2 ** retries, 5_000) : cause),
      },
    });
    client.on('error', () => undefined);
    return client;
  };
  const queueClient = connect();
  const workerClient = connect();
  try {
    await withTimeout(Promise.all([queueClient.connect(), workerClient.connect()]), timeoutMs, 'connect');
    connected = true;
  } catch (error) {
    destroyClients(queueClient, workerClient);
    throw new ScheduleError(
      'QUEUE_UNAVAILABLE',
      formatErrorMessage('schedule', `cannot connect to the fire queue at ${redactUrl(options.url)}`, {
        detail: describeError(error),
      }),
      {
        cause: error,
        hint: 'Start Redis or fix `store:`; workers sharing a Redis store take their fires from a queue in it.',
      },
    );
  }

  const running = new Map<string, number>();
  let lastCompleted: Date | undefined;
  const trouble = createThrottledLog(log);

  const queue: Queue = new QueueClass(QUEUE_NAME, { connection: queueClient as never, prefix });
  queue.on('error', (error: Error) => trouble(error));

  const processJob = async (job: Job<FireData>): Promise<JobResult> => {
    const { sourceId } = job.data;
    const fields = {
      sourceId,
      fireAt: new Date(job.data.fireAt).toISOString(),
      jobId: job.id,
      attempt: job.attemptsMade + 1,
    };
    // Every run of a job after its first says so, on the worker that runs it (the 'stalled' event is
    // only seen by the worker whose check found the job): one line per extra run, with the job id.
    const rerun = describeRerun(job.attemptsMade, job.stalledCounter ?? 0);
    if (rerun)
      log.info(
        { ...fields, stalledCount: job.stalledCounter ?? 0 },
        `schedule: job ${job.id} runs again (source "${sourceId}": ${rerun})`,
      );
    running.set(sourceId, (running.get(sourceId) ?? 0) + 1);
    let report: RunReport;
    try {
      report = await options.runSource(sourceId);
    } finally {
      const left = (running.get(sourceId) ?? 1) - 1;
      if (left > 0) running.set(sourceId, left);
      else running.delete(sourceId);
      lastCompleted = new Date();
    }
    deliver(report);
    const slotEnd = job.data.fireAt + job.data.slotMs;
    const retryAt = Date.now() + backoffMs * 2 ** job.attemptsMade;
    if (isRetryable(report) && job.attemptsMade + 1 < attempts && retryAt < slotEnd) {
      log.warn(
        fields,
        `schedule: source "${sourceId}": run failed (${report.error?.message}); retrying in ${retryAt - Date.now()} ms`,
      );
      throw new Error(`retryable failure: ${report.error?.code ?? 'unknown'}`);
    }
    return { outcome: report.outcome, newItems: report.newItems };
  };

  const worker: Worker = new WorkerClass(QUEUE_NAME, processJob as never, {
    connection: workerClient as never,
    prefix,
    concurrency: Math.max(1, options.concurrency),
    lockDuration: lockMs,
    stalledInterval: Math.max(1_000, Math.floor(lockMs / 2)),
    maxStalledCount: 2,
    name,
  });
  // BullMQ also reports each lock it could not renew as an 'error': that is no connection trouble,
  // and 'lockRenewalFailed' below says it once, with the job ids.
  worker.on('error', (error: Error) => {
    if (!error.message.startsWith(LOCK_RENEWAL_ERROR)) trouble(error);
  });
  worker.on('lockRenewalFailed', (jobIds: string[]) =>
    log.warn(
      { jobIds },
      `schedule: lost the lock of job(s) ${jobIds.join(', ')} while running them (this process was blocked longer ` +
        `than the lock, or another worker found them stalled); another worker may run them again`,
    ),
  );
  worker.on('stalled', (jobId: string) =>
    log.warn({ jobId }, `schedule: job ${jobId} stalled (its worker stopped answering); it runs again`),
  );
  worker.on('failed', (job: Job<FireData> | undefined, error: Error) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      log.error(
        { sourceId: job.data.sourceId, jobId: job.id, err: error },
        `schedule: source "${job.data.sourceId}": fire given up after ${job.attemptsMade} attempts (${error.message})`,
      );
    }
  });

  function deliver(report: RunReport): void {
    try {
      options.onReport?.(report);
    } catch (error) {
      log.error(
        { sourceId: report.sourceId, err: error },
        `schedule: source "${report.sourceId}": onReport handler failed (${describeError(error)})`,
      );
    }
  }

  return {
    async enqueue(fire) {
      const jobId = fireJobId(fire.sourceId, fire.fireAt);
      const data: FireData = { sourceId: fire.sourceId, fireAt: fire.fireAt.getTime(), slotMs: fire.slotMs };
      // A finished job is kept for the rest of its slot (plus skew between hosts): a worker whose
      // clock fires late then finds it and does not queue the slot a second time.
      const keepSeconds = Math.ceil((fire.slotMs + fire.delayMs + SKEW_MARGIN_MS) / 1000);
      // Adding an id that exists is a no-op in BullMQ: the first worker's job stands.
      await withTimeout(
        queue.add(JOB_NAME, data, {
          jobId,
          delay: Math.max(0, fire.delayMs),
          attempts,
          backoff: { type: 'exponential', delay: backoffMs },
          removeOnComplete: { age: keepSeconds },
          removeOnFail: { age: Math.max(keepSeconds, 86_400), count: 1_000 },
        }),
        timeoutMs,
        'enqueue',
      );
    },
    inFlight: () => [...running.keys()],
    lastCompletedAt: () => lastCompleted,
    async close(closeTimeoutMs) {
      const closing = worker.close();
      const finished = await Promise.race([closing.then(() => true), sleep(closeTimeoutMs).then(() => false)]);
      const inFlight = [...running.keys()];
      if (!finished) await worker.close(true).catch(() => undefined);
      await queue.close().catch(() => undefined);
      destroyClients(queueClient, workerClient);
      return { finished, inFlight };
    },
  };
}

/** The job id of one fire: the same on every worker (BullMQ refuses ':' in custom ids). */
export function fireJobId(sourceId: string, fireAt: Date): string {
  return `${encodeURIComponent(sourceId).replaceAll(':', '%3A')}@${fireAt.getTime()}`;
}

// --- Internal helpers ---

const QUEUE_NAME = 'fires';
/** How BullMQ 6 words the 'error' it emits for each lock it could not renew. */
const LOCK_RENEWAL_ERROR = 'could not renew lock for job';
const JOB_NAME = 'run-source';
/** Clock skew between hosts tolerated when deciding that two enqueues are the same fire. */
const SKEW_MARGIN_MS = 60_000;

interface FireData {
  sourceId: string;
  fireAt: number;
  slotMs: number;
}

interface JobResult {
  outcome: RunReport['outcome'];
  newItems: number;
}

/**
 * Why a job runs again, or undefined on its first run: BullMQ counts failed attempts (retries with
 * backoff) and stalls (its worker stopped renewing the lock) apart.
 */
function describeRerun(attemptsMade: number, stalledCount: number): string | undefined {
  const why: string[] = [];
  if (stalledCount > 0) why.push(`stalled ${stalledCount} time(s): a worker stopped answering while it ran the job`);
  if (attemptsMade > 0) why.push(`retry after ${attemptsMade} failed attempt(s)`);
  return why.length > 0 ? why.join('; ') : undefined;
}

/** Failures another attempt may cure: the store (Redis) or the network, not the page or the config. */
function isRetryable(report: RunReport): boolean {
  if (report.outcome !== 'failed' || !report.error) return false;
  return RETRYABLE.has(report.error.code);
}

const RETRYABLE = new Set(['STORE_UNAVAILABLE', 'FETCH_TIMEOUT', 'FETCH_CONNECTION', 'FETCH_DNS']);

/** Queue connection errors repeat on every reconnect attempt: log the first, then at most once a minute. */
function createThrottledLog(log: Logger): (error: Error) => void {
  let loggedAt = 0;
  let unlogged = 0;
  return (error) => {
    const now = Date.now();
    if (now - loggedAt < 60_000) {
      unlogged += 1;
      return;
    }
    const again = unlogged > 0 ? `; ${unlogged} more in the last minute` : '';
    log.error(
      { code: 'QUEUE_UNAVAILABLE', err: error },
      `schedule: fire queue connection error (${error.message})${again}`,
    );
    loggedAt = now;
    unlogged = 0;
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis ${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Drops both connections at once (node-redis `destroy()` is synchronous and never throws on a closed client). */
function destroyClients(...clients: Array<{ destroy(): void }>): void {
  for (const client of clients) client.destroy();
}
