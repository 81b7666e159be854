/**
 * `feedwright start`: the scheduled worker (schedule/createWorker) run until a signal: SIGHUP or
 * `--watch` reload the config, SIGINT/SIGTERM stop it gracefully.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError, formatProblem } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import { describeError, toAppError } from '../errors.js';
import { createWorker } from '../schedule/index.js';
import { parseListenAddress } from './listen-address.js';
import { listenForStop, type StopReason } from './listen-for-stop.js';
import { openWhenReady } from './open-when-ready.js';
import { createCommandLogger, loadConfigForCommand, type GlobalOptions } from './services.js';

/** Options of `start`. */
export interface StartOptions extends GlobalOptions {
  /** `true` for the default address, or `host:port`. */
  serve?: string | boolean;
  watch?: boolean;
  /** `--initial-run` / `--no-initial-run`; undefined when neither was given (the config decides). */
  initialRun?: boolean;
}

/** Runs the worker until a signal stops it; resolves with the exit code. */
export async function startCommand(options: StartOptions): Promise<number> {
  const { config } = await loadConfigForCommand(options);
  const logger = createCommandLogger(options);
  const serve = options.serve
    ? parseListenAddress(typeof options.serve === 'string' ? options.serve : undefined)
    : undefined;
  // Listening from the start: a signal while the store is still awaited stops the wait at once.
  const stop = listenForStop();
  const ready = await openWhenReady(config, logger, { signal: stop.signal, serve });
  if (!ready) {
    logger.info({}, `${describeStop(stop.received())} while waiting for the store: stopped`);
    return 0;
  }
  const { services } = ready;
  const worker = createWorker(
    config,
    { pipeline: services.deps, openQueue: ready.openQueue },
    { initialRun: options.initialRun, serve: ready.serve },
  );

  const reload = async (why: string): Promise<void> => {
    try {
      const next = await loadConfig(options.config);
      for (const warning of next.warnings) logger.warn({}, `config: ${formatProblem(warning)}`);
      worker.reload(next.config, why);
    } catch (error) {
      // The code is the one config raised (CONFIG_INVALID, CONFIG_PARSE, CONFIG_NOT_FOUND), not one of ours.
      const appError = toAppError(error);
      const problems =
        error instanceof ConfigError ? error.problems.map(formatProblem).join('; ') : describeError(error);
      logger.error(
        { code: appError.code, err: appError },
        `start: config reload rejected, keeping the running config: ${problems}`,
      );
    }
  };
  const watcher = options.watch ? watchConfig(options.config, () => void reload('file changed')) : undefined;
  const onHup = () => void reload('SIGHUP');
  process.on('SIGHUP', onHup);

  try {
    await worker.start().catch((error: unknown) => {
      // Stopped while start-up still waited for the fire queue: not a failure.
      if (!stop.signal.aborted) throw error;
    });
    const reason = await stop.stopped;
    logger.info({ reason }, `${describeStop(reason)}: stopping the schedule and waiting for runs in flight`);
  } finally {
    process.off('SIGHUP', onHup);
    watcher?.close();
    await worker.stop();
    await services.close();
  }
  logger.info({}, 'worker stopped');
  return 0;
}

// --- Internal helpers ---

function describeStop(reason: StopReason | undefined): string {
  if (reason === 'parent-exited') return 'the npm process that launched the worker is gone';
  return `${reason ?? 'signal'} received`;
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
