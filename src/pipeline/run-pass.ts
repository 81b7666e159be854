/** One pass over the configured sources (what `feedwright run` does), then the site-wide files. */
import type { AppConfig, RunReport, SourceConfig } from '../model.js';
import type { PipelineDeps } from './deps.js';
import { mapWithLimit } from './map-with-limit.js';
import { publishSite } from './publish-site.js';
import { runSource } from './run-source.js';

/** Options for {@link runPass}. */
export interface PassOptions {
  /** Only these sources (all when empty). */
  sourceIds?: string[];
  /** How many sources run at once; the fetcher still enforces its own global and per-host limits. */
  concurrency: number;
  onReport?: (report: RunReport) => void;
  onStart?: (source: SourceConfig) => void;
}

/** Result of a pass. */
export interface PassResult {
  reports: RunReport[];
  /** Site-wide files (topic feeds, OPML, index) that changed. */
  siteFiles: string[];
}

/** Runs the selected sources, then rebuilds topic feeds, OPML and the index page. */
export async function runPass(config: AppConfig, deps: PipelineDeps, options: PassOptions): Promise<PassResult> {
  const wanted = options.sourceIds?.length ? new Set(options.sourceIds) : undefined;
  const sources = wanted ? config.sources.filter((source) => wanted.has(source.id)) : config.sources;
  const reports = await mapWithLimit(sources, options.concurrency, async (source) => {
    options.onStart?.(source);
    const report = await runSource(source, deps);
    options.onReport?.(report);
    return report;
  });
  const siteFiles = await publishSite(config, deps);
  return { reports, siteFiles };
}

/** True when a report counts as a failed source for exit codes and health. */
export function isFailure(report: RunReport): boolean {
  return report.outcome === 'failed' || report.outcome === 'degraded' || report.outcome === 'disallowed';
}
