/**
 * The scheduled worker, wired: one scheduler over the config's sources, the pipeline as its run
 * function, a debounced site publisher, metrics, an optional feed server with /healthz and
 * /metrics, and the fire queue when several workers share a store. The CLI loads the config,
 * opens the services and handles signals; everything between lives here.
 */
import { formatErrorMessage, INTERNAL_HINT } from '../errors.js';
import { hostname } from 'node:os';
import { describeError } from '../errors.js';
import type { AppConfig, RunReport, SourceConfig } from '../model.js';
import {
  announceWorker,
  createSitePublisher,
  describeDrift,
  hashConfig,
  readAllHealth,
  type PipelineDeps,
} from '../pipeline/start-up.js';
import type { SiteReader } from '../pipeline/index.js';
import type { FeedServer } from '../serve/index.js';
import { isSharedStore } from '../store/index.js';
import { createMetrics } from './metrics.js';
import { openDefaultQueue, type QueueHooks } from './open-default-queue.js';
import type { FireQueue } from './fire-queue.js';
import { createScheduler, type ScheduledSource, type SchedulerOptions } from './create-scheduler.js';
import { loadPipelineStage, loadServeStage } from './load-stages.js';
import { ScheduleError } from './schedule-error.js';
import { openSiteElection, type OpenedElection, type SiteElection, type SiteElectionHooks } from './site-election.js';

/** What the worker is given rather than building itself, so tests and other engines can slot in. */
export interface WorkerDeps {
  /** The pipeline's services (fetcher, store, output folder, clock, logger). */
  pipeline: PipelineDeps;
  /**
   * Opens the queue that hands each fire to one of the workers. Default: a BullMQ queue when the
   * store is Redis, none (the scheduler runs sources itself) for a store only this process uses.
   */
  openQueue?: (config: AppConfig, hooks: QueueHooks) => Promise<FireQueue | undefined>;
  /** Scheduler knobs a test controls (random jitter, clock, timers). */
  scheduler?: Pick<SchedulerOptions, 'random' | 'clock'>;
  /**
   * Opens the election of the one worker that writes the site files. Default: a lease in Redis when
   * the store is Redis and the config exports `output:`, none otherwise (this worker writes them).
   */
  openSiteElection?: (config: AppConfig, hooks: SiteElectionHooks) => Promise<OpenedElection | undefined>;
}

/** How the worker runs. */
export interface WorkerOptions {
  /** Run every source once at start-up; default `config.worker.initialRun`. */
  initialRun?: boolean;
  /** Also serve the output folder on this address. */
  serve?: { host: string; port: number };
  /** How often the worker drops seen-item records past retainDays (every store); default 6 h, the first a minute after start. */
  pruneIntervalMs?: number;
  /** Site rebuild debounce; default 2 s after the last run, at most 30 s after the first. */
  publishDelayMs?: number;
  publishMaxDelayMs?: number;
  /** Shared mode, elected site writer: how often it looks for other workers' changes to the site; default 5 s. */
  sitePollMs?: number;
}

/** A worker: start it, reload it with a new config, stop it. */
export interface Worker {
  /** Starts the schedule (and the server); resolves with the server's URL when serving. */
  start(): Promise<{ url?: string }>;
  /** Uses a new config: sources are rescheduled, the site rebuilt. `store` and `output` stay as started. */
  reload(config: AppConfig, reason?: string): void;
  /** Stops scheduling, waits for runs in flight (up to `worker.shutdownTimeout`), flushes the site, closes what it opened. */
  stop(): Promise<{ finished: boolean; inFlight: string[] }>;
  /** The config in use. */
  config(): AppConfig;
}

/** Creates a worker; nothing runs until start(). The pipeline's services stay open: the caller closes them. */
export function createWorker(initialConfig: AppConfig, deps: WorkerDeps, options: WorkerOptions = {}): Worker {
  const { pipeline } = deps;
  const logger = pipeline.logger;
  const openQueue = deps.openQueue ?? openDefaultQueue;
  const metrics = createMetrics({ browser: () => pipeline.renderer?.stats() });
  let election: SiteElection | undefined;
  const publisher = createSitePublisher(initialConfig, pipeline, {
    delayMs: options.publishDelayMs ?? 2_000,
    maxDelayMs: options.publishMaxDelayMs ?? 30_000,
    guard: {
      allow: (versions) =>
        siteWrites !== 'open' ? Promise.resolve(false) : election ? election.allow(versions) : Promise.resolve(true),
    },
  });
  /** Site files: 'pending' until the election (if any) is open, 'off' when it could not be opened. */
  let siteWrites: 'open' | 'pending' | 'off' = 'open';
  let electionOpening: Promise<void> | undefined;
  let stopping = false;
  let missedRequest = false;
  const writesSite = () => siteWrites === 'open' && (!election || election.isLeader());
  let openedElection: OpenedElection | undefined;
  const siteWatch = createSiteWatch(
    () => config,
    pipeline,
    () => election?.isLeader() === true,
    () => publisher.request(),
    options.sitePollMs ?? 5_000,
  );
  let config = initialConfig;
  let queue: FireQueue | undefined;
  let server: FeedServer | undefined;
  let started = false;
  const startedAt = pipeline.now();
  const drift = createDriftWatch(pipeline, () => config);
  const pruner = createPruner(pipeline, options.pruneIntervalMs ?? PRUNE_INTERVAL_MS);

  const runById = async (sourceId: string): Promise<RunReport> => {
    const source = config.sources.find((candidate) => candidate.id === sourceId);
    if (!source) {
      throw new ScheduleError('INTERNAL', formatErrorMessage('schedule', 'no longer in the config', { sourceId }), {
        sourceId,
        hint: INTERNAL_HINT,
      });
    }
    const { runSource } = await loadPipelineStage();
    const report = await runSource(source, pipeline);
    // Shared mode: only the elected worker rebuilds the site (it also sees other workers' runs).
    if (writesSite()) publisher.request();
    else if (siteWrites === 'pending') missedRequest = true;
    return report;
  };

  let scheduler: ReturnType<typeof createScheduler> | undefined;

  return {
    async start() {
      if (started)
        throw new ScheduleError('INTERNAL', formatErrorMessage('schedule', 'the worker was already started'));
      started = true;
      const onReport = (report: RunReport) => metrics.observe(report);
      queue = await openQueue(config, { runSource: runById, onReport, logger });
      // Opened beside the start-up, not in its way; no site file is written until it is open.
      siteWrites = 'pending';
      electionOpening = (deps.openSiteElection ?? openSiteElection)(config, {
        logger,
        onElected: () => publisher.request(),
      }).then(
        (opened) => {
          openedElection = opened;
          election = opened?.election;
          siteWrites = 'open';
          if (stopping) return;
          // Runs that ended while it opened asked for no rebuild.
          if (missedRequest && writesSite()) publisher.request();
          election?.start();
          if (election) siteWatch.start();
        },
        (error: unknown) => {
          siteWrites = 'off';
          logger.error(
            { err: error },
            `site election: could not open it (${describeError(error)}); this worker writes no site files until restarted`,
          );
        },
      );
      const active = createScheduler({
        sources: toScheduled(config.sources),
        runSource: runById,
        jitterMs: config.worker.jitterMs,
        initialRun: options.initialRun ?? config.worker.initialRun,
        dispatcher: queue,
        logger,
        onReport,
        ...deps.scheduler,
      });
      scheduler = active;
      let url: string | undefined;
      if (options.serve) {
        const { createFeedServer, createHealthReader, createRenderedCache } = await loadServeStage();
        const { createSiteReader, SERVER_STAMP_TTL_MS } = await loadPipelineStage();
        // Shared store: serve every source's feed from the store, not only the ones this worker wrote.
        const documents = isSharedStore(config.store)
          ? createRenderedCache(
              createSiteReader(() => config, pipeline, { stampTtlMs: SERVER_STAMP_TTL_MS }),
              64 * 1024 * 1024,
            )
          : undefined;
        server = createFeedServer({
          outputDir: pipeline.outputDir,
          documents,
          getHealth: createHealthReader({
            sources: () => config.sources,
            readHealth: (ids) => readAllHealth(pipeline.store, ids),
            lastCompletedAt: () => newest(active.lastCompletedAt(), queue?.lastCompletedAt()),
            startedAt,
            now: pipeline.now,
            warnings: async () => drift.warnings(),
          }),
          getMetrics: () => metrics.renderPrometheus(),
          logger,
        });
        ({ url } = await server.listen(options.serve.host, options.serve.port));
        const what = documents ? 'feeds from the store' : (pipeline.outputDir ?? 'no files');
        logger.info({ url }, `serving ${what} at ${url}`);
      }
      await active.start();
      if (isSharedStore(config.store)) drift.start();
      pruner.start();
      logger.info(
        { itemCount: config.sources.length },
        `worker started: ${config.sources.length} sources (${config.file})`,
      );
      return { url };
    },
    reload(next, reason = 'reload requested') {
      if (next.store !== config.store || next.output !== config.output) {
        logger.warn({}, 'config reload: `store` and `output` changes take effect only after a restart');
      }
      config = { ...next, store: config.store, output: config.output };
      pipeline.site = config.site;
      publisher.setConfig(config);
      scheduler?.reload(toScheduled(config.sources));
      publisher.request();
      drift.announce();
      logger.info(
        { itemCount: config.sources.length },
        `config reloaded (${reason}): ${config.sources.length} sources`,
      );
    },
    async stop() {
      drift.stop();
      pruner.stop();
      siteWatch.stop();
      const stopped = scheduler
        ? await scheduler.stop(config.worker.shutdownTimeoutMs)
        : { finished: true, inFlight: [] };
      if (!stopped.finished) logger.warn({}, `shutdown timeout: gave up waiting for ${stopped.inFlight.join(', ')}`);
      const queued = queue ? await queue.close(config.worker.shutdownTimeoutMs) : { finished: true, inFlight: [] };
      if (!queued.finished) {
        logger.warn(
          {},
          `shutdown timeout: gave up waiting for ${queued.inFlight.join(', ')}; another worker runs them again`,
        );
      }
      stopping = true;
      await electionOpening;
      if (writesSite()) await publisher.flush();
      await election?.stop();
      await openedElection?.close();
      await server?.close();
      return { finished: stopped.finished && queued.finished, inFlight: [...stopped.inFlight, ...queued.inFlight] };
    },
    config: () => config,
  };
}

// --- Internal helpers ---

/**
 * The elected site writer rebuilds the site when any worker's run changed it: it polls the site's
 * version key (every source's feed version and health, one store read each) and asks for a rebuild
 * when it moved and then held still for one poll.
 */
function createSiteWatch(
  config: () => AppConfig,
  pipeline: PipelineDeps,
  isLeader: () => boolean,
  request: () => void,
  intervalMs: number,
) {
  // Created at the first poll: the reader renders with the pipeline, which a worker loads only when needed.
  let reader: SiteReader | undefined;
  let timer: NodeJS.Timeout | undefined;
  let requested: string | undefined;
  let previous: string | undefined;
  let changingSince: number | undefined;
  let polling = false;
  const poll = async (): Promise<void> => {
    if (polling || !isLeader()) return;
    polling = true;
    try {
      reader ??= (await loadPipelineStage()).createSiteReader(config, pipeline);
      const version = await reader.version('index.html');
      if (version === requested) changingSince = undefined;
      else {
        changingSince ??= Date.now();
        // Once the site stopped changing (the fires of a slot are done), or after 30 s of steady
        // change: one rebuild per burst of runs, not one per poll while runs still land.
        if (version === previous || Date.now() - changingSince >= SITE_SETTLE_MAX_MS) {
          request();
          requested = version;
          changingSince = undefined;
        }
      }
      previous = version;
    } catch (error) {
      pipeline.logger.debug({ err: error }, 'site election: could not read the site version; trying again');
    } finally {
      polling = false;
    }
  };
  return {
    start() {
      timer = setInterval(() => void poll(), intervalMs);
      timer.unref();
    },
    stop: () => clearInterval(timer),
  };
}

/** The elected writer rebuilds a site that keeps changing at least this often. */
const SITE_SETTLE_MAX_MS = 30_000;

const PRUNE_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** Retention on a schedule: the seen-item index would otherwise grow forever (nothing else prunes it). */
function createPruner(pipeline: PipelineDeps, intervalMs: number) {
  const timers: NodeJS.Timeout[] = [];
  const prune = async (): Promise<void> => {
    try {
      const started = Date.now();
      const removed = await pipeline.store.prune(pipeline.now());
      pipeline.logger.info(
        { itemCount: removed, durationMs: Date.now() - started },
        `store: pruned ${removed} seen-item records past retainDays`,
      );
    } catch (error) {
      pipeline.logger.warn({ err: error }, 'store: pruning expired items failed; the next prune tries again');
    }
  };
  return {
    start() {
      const first = setTimeout(() => void prune(), Math.min(60_000, intervalMs));
      const every = setInterval(() => void prune(), intervalMs);
      first.unref();
      every.unref();
      timers.push(first, every);
    },
    stop() {
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

/** How often a worker announces its config hash (±20 %); a worker silent for three periods is gone. */
const ANNOUNCE_INTERVAL_MS = 30_000;

/** Shared store: announces this worker's config hash and warns (once per difference) when another live worker's differs. */
function createDriftWatch(pipeline: PipelineDeps, config: () => AppConfig) {
  const worker = `${hostname()}:${process.pid}`;
  let timer: NodeJS.Timeout | undefined;
  let current: string[] = [];
  const warned = new Set<string>();
  const announce = async (): Promise<void> => {
    try {
      const mine = config();
      const configHash = hashConfig(mine);
      const now = pipeline.now();
      const workers = await announceWorker(
        pipeline.store,
        { worker, configHash, file: mine.file, at: now.toISOString() },
        3 * ANNOUNCE_INTERVAL_MS,
        now,
      );
      current = describeDrift(workers, configHash);
      for (const warning of current) {
        if (!warned.has(warning)) pipeline.logger.warn({ code: 'CONFIG_DRIFT' }, `config drift: ${warning}`);
        warned.add(warning);
      }
    } catch (error) {
      pipeline.logger.debug({ err: error }, 'config drift: could not announce this worker');
    }
  };
  // Every announcement is a read-modify-write of one shared record, so two workers announcing at the
  // same moment can drop one another's entry until the next round. Workers started together would
  // announce together every round: the second announcement comes 1-5 s after the first, and the
  // rounds after it 24-36 s apart, each worker at moments of its own.
  let stopped = false;
  const schedule = (delayMs: number): void => {
    if (stopped) return;
    timer = setTimeout(() => {
      void announce();
      schedule(ANNOUNCE_INTERVAL_MS * (0.8 + 0.4 * Math.random()));
    }, delayMs);
    timer.unref();
  };
  return {
    start() {
      void announce();
      schedule(1_000 + 4_000 * Math.random());
    },
    announce: () => (timer ? void announce() : undefined),
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
    warnings: () => current,
  };
}

function newest(a: Date | undefined, b: Date | undefined): Date | undefined {
  if (!a || !b) return a ?? b;
  return a > b ? a : b;
}

function toScheduled(sources: readonly SourceConfig[]): ScheduledSource[] {
  return sources.map((source) => ({
    id: source.id,
    schedule: source.schedule,
    timezone: source.timezone,
    intervalMs: source.intervalMs,
    host: new URL(source.url).host,
  }));
}
