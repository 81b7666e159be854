/** One pass over the configured sources (what `feedwright run` does), then the site-wide files. */
import { describeError, toAppError, type AppError } from '../errors.js';
import type { AppConfig, RunReport, SourceConfig } from '../model.js';
import type { PipelineDeps } from './deps.js';
import { createLazyExtractPool, shouldUsePool } from './extract-pool.js';
import { mapWithLimit } from './map-with-limit.js';
import { runByHost, type HostTask } from './run-by-host.js';
import { publishSite, type SiteWriteGuard } from './publish-site.js';
import { runSource } from './run-source.js';

/** Options for {@link runPass}. */
export interface PassOptions {
  /** Only these sources (all when empty). */
  sourceIds?: string[];
  /**
   * How many sources run at once; they are taken by host (see run-by-host.ts) and the fetcher still
   * enforces its own global and per-host limits.
   */
  concurrency: number;
  onReport?: (report: RunReport) => void;
  onStart?: (source: SourceConfig) => void;
  /** Shared mode: asked before the site files are written (the site election). */
  siteGuard?: SiteWriteGuard;
}

/** Result of a pass. */
export interface PassResult {
  reports: RunReport[];
  /** Site-wide files (topic feeds, OPML, index) that changed. */
  siteFiles: string[];
  /** Why the site-wide files could not be rebuilt (output or store trouble); the reports stand. */
  siteError?: AppError;
}

/** Runs the selected sources, then rebuilds topic feeds, OPML and the index page. */
export async function runPass(config: AppConfig, deps: PipelineDeps, options: PassOptions): Promise<PassResult> {
  const wanted = options.sourceIds?.length ? new Set(options.sourceIds) : undefined;
  const sources = wanted ? config.sources.filter((source) => wanted.has(source.id)) : config.sources;
  const tasks = sources.map(hostTaskOf);
  // The fetcher knows each host's booked turns (robots.txt, detail pages).
  const fetcher = deps.fetcher;
  const turnIn = fetcher.turnIn ? (host: string) => fetcher.turnIn?.(host) ?? 0 : undefined;
  const run = async (source: SourceConfig, passDeps: PipelineDeps) => {
    options.onStart?.(source);
    const report = await runSource(source, passDeps);
    options.onReport?.(report);
    return report;
  };
  await prepareHosts(tasks, deps, options.concurrency);
  // Extraction threads when asked for and the pass is large enough; started by the first page that
  // needs extracting, so a pass of 304s and identical bodies starts none.
  const pool =
    !deps.extract && shouldUsePool(tasks.length)
      ? createLazyExtractPool(undefined, (error) =>
          deps.logger.warn(
            { err: error },
            `extract: the extraction threads (FEEDWRIGHT_EXTRACT_THREADS) could not start (${describeError(error)}); ` +
              'this pass extracts in the main thread. Leave out the Node flags worker threads refuse, or unset the variable',
          ),
        )
      : undefined;
  const passDeps: PipelineDeps = pool ? { ...deps, extract: pool.extract } : deps;
  let reports: RunReport[];
  try {
    reports = await runByHost(tasks, options.concurrency, (source) => run(source, passDeps), { turnIn });
  } finally {
    await pool?.close();
  }
  try {
    return { reports, siteFiles: await publishSite(config, deps, options.siteGuard) };
  } catch (error) {
    // The sources' reports are the pass's result: a failed site rebuild is reported with them, not instead.
    return { reports, siteFiles: [], siteError: toAppError(error) };
  }
}

// --- Internal helpers ---

/** A source as a task of its host: the fetcher's key (host with port) and the spacing its policy asks for. */
function hostTaskOf(source: SourceConfig): HostTask<SourceConfig> {
  let host: string;
  try {
    host = new URL(source.url).host;
  } catch {
    host = source.url; // the config validates URLs; an odd one still runs, as its own host
  }
  return { item: source, host, minDelayMs: source.fetch.minHostDelayMs, perHost: source.fetch.perHostConcurrency };
}

/**
 * Reads every host's robots.txt up front. robots.txt takes a turn of its host, so a host's first
 * source would otherwise hold a pass slot for a whole `minDelay` after it; read first, every host's
 * first page is booked at once and the pass fills its slots with hosts whose turn has come.
 */
async function prepareHosts(
  tasks: ReadonlyArray<HostTask<SourceConfig>>,
  deps: PipelineDeps,
  concurrency: number,
): Promise<void> {
  const prepare = deps.fetcher.prepare?.bind(deps.fetcher);
  if (!prepare) return;
  const firstOfHost = [...new Map(tasks.map((task) => [task.host, task.item])).values()].filter(
    (source) => source.fetch.robots === 'obey',
  );
  await mapWithLimit(firstOfHost, concurrency, (source) =>
    prepare({ sourceId: source.id, url: source.url, policy: source.fetch, purpose: 'page' }),
  );
}
