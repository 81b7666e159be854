/**
 * `feedwright start`: the scheduled worker. One cron task per source, site files rebuilt after
 * runs, optional serving of the output, config reload on SIGHUP or `--watch`, and a graceful
 * shutdown on SIGINT/SIGTERM.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { loadConfig, ConfigError, formatProblem } from '../config/index.js';
import type { AppConfig, RunReport } from '../model.js';
import { createSitePublisher, runSource } from '../pipeline/index.js';
import { createMetrics, createRedisCoordinator, createScheduler, type RunCoordinator, type ScheduledSource } from '../schedule/index.js';
import { createFeedServer, type FeedServer } from '../serve/index.js';
import { splitStoreUrl } from '../store/index.js';
import { healthSnapshotFor, parseListenAddress } from './serve-command.js';
import { createCommandLogger, loadConfigForCommand, openServices, type GlobalOptions } from './services.js';

/** Options of `start`. */
export interface StartOptions extends GlobalOptions {
  /** `true` for the default address, or `host:port`. */
  serve?: string | boolean;
  watch?: boolean;
  initialRun?: boolean;
}

/** Runs the worker until a signal stops it; resolves with the exit code. */
export async function startCommand(options: StartOptions): Promise<number> {
  let { config } = await loadConfigForCommand(options);
  const logger = createCommandLogger(options);
  const services = await openServices(config, logger);
  const startedAt = new Date();
  const metrics = createMetrics();
  const publisher = createSitePublisher(config, services.deps, { delayMs: 2_000, maxDelayMs: 30_000 });
  // Several workers sharing a Redis store coordinate through it so each fire runs on one worker only.
  const storeUrl = splitStoreUrl(config.store);
  const coordinator: RunCoordinator | undefined = /^rediss?:\/\//.test(storeUrl.url)
    ? await createRedisCoordinator(storeUrl.url, { namespace: storeUrl.namespace, logger })
    : undefined;

  const runById = async (sourceId: string): Promise<RunReport> => {
    const source = config.sources.find((candidate) => candidate.id === sourceId);
    if (!source) throw new Error(`source "${sourceId}" is no longer in the config`);
    const report = await runSource(source, services.deps);
    publisher.request();
    return report;
  };
  const scheduler = createScheduler({
    sources: toScheduled(config),
    runSource: runById,
    jitterMs: config.worker.jitterMs,
    initialRun: options.initialRun ?? config.worker.initialRun,
    coordinator,
    logger,
    onReport: (report) => metrics.observe(report),
  });

  let server: FeedServer | undefined;
  if (options.serve) {
    const address = parseListenAddress(typeof options.serve === 'string' ? options.serve : undefined);
    server = createFeedServer({
      outputDir: services.deps.outputDir,
      getHealth: () => healthSnapshotFor(config, services.store, scheduler.lastCompletedAt(), startedAt),
      getMetrics: () => metrics.renderPrometheus(),
      logger,
    });
    const { url } = await server.listen(address.host, address.port);
    logger.info({ url }, `serving ${services.deps.outputDir} at ${url}`);
  }

  const reload = async (why: string): Promise<void> => {
    try {
      const next = await loadConfig(options.config);
      for (const warning of next.warnings) logger.warn({}, `config: ${formatProblem(warning)}`);
      if (next.config.store !== config.store || next.config.output !== config.output) {
        logger.warn({}, 'config reload: `store` and `output` changes take effect only after a restart');
      }
      config = { ...next.config, store: config.store, output: config.output };
      services.deps.site = config.site;
      publisher.setConfig(config);
      scheduler.reload(toScheduled(config));
      publisher.request();
      logger.info({ itemCount: config.sources.length }, `config reloaded (${why}): ${config.sources.length} sources`);
    } catch (error) {
      const problems = error instanceof ConfigError ? error.problems.map(formatProblem).join('; ') : String(error);
      logger.error({ code: 'CONFIG_INVALID' }, `config reload rejected, keeping the running config: ${problems}`);
    }
  };
  const watcher = options.watch ? watchConfig(options.config, () => void reload('file changed')) : undefined;
  const onHup = () => void reload('SIGHUP');
  process.on('SIGHUP', onHup);

  await scheduler.start();
  logger.info({ itemCount: config.sources.length }, `worker started: ${config.sources.length} sources (${config.file})`);

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  logger.info({}, `${signal} received: stopping the schedule and waiting for runs in flight`);
  process.off('SIGHUP', onHup);
  watcher?.close();
  const stopped = await scheduler.stop(config.worker.shutdownTimeoutMs);
  if (!stopped.finished) logger.warn({}, `shutdown timeout: gave up waiting for ${stopped.inFlight.join(', ')}`);
  await publisher.flush();
  await server?.close();
  await coordinator?.close();
  await services.close();
  logger.info({}, 'worker stopped');
  return 0;
}

// --- Internal helpers ---

function toScheduled(config: AppConfig): ScheduledSource[] {
  return config.sources.map((source) => ({ id: source.id, schedule: source.schedule, timezone: source.timezone, host: new URL(source.url).host }));
}

/** Watches the config file's folder: editors often replace the file, which a watch on the file itself would miss. */
function watchConfig(file: string, onChange: () => void): FSWatcher {
  let timer: NodeJS.Timeout | undefined;
  const name = basename(file);
  return watch(dirname(resolve(file)), (_event, changed) => {
    if (changed !== null && changed !== name) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(onChange, 300);
  });
}
