/**
 * Where /healthz comes from: the configured sources' health as stored, and the worker's last
 * completed run. `serve` alone has no worker, so the newest run recorded in the store stands for it.
 */
import type { SourceConfig, SourceHealth } from '../model.js';
import { buildHealthSnapshot, type HealthSnapshot } from './health.js';

/** What a health reader needs; functions, so a reloaded config or a new run is seen on the next request. */
export interface HealthReaderOptions {
  /** The sources in the current config. */
  sources: () => readonly SourceConfig[];
  /** Every source's stored health (pipeline's readAllHealth). */
  readHealth: (sourceIds: string[]) => Promise<SourceHealth[]>;
  /** The worker's last completed run; undefined without a worker. */
  lastCompletedAt?: () => Date | undefined;
  /** When the worker started. */
  startedAt?: Date;
  now?: () => Date;
  /** Warnings to show (config drift between workers); a failure to read them becomes a warning itself. */
  warnings?: () => Promise<string[]>;
}

/** Returns the function a feed server calls for /healthz. */
export function createHealthReader(options: HealthReaderOptions): () => Promise<HealthSnapshot> {
  const now = options.now ?? (() => new Date());
  return async () => {
    const configured = options.sources();
    const [sources, warnings] = await Promise.all([
      options.readHealth(configured.map((source) => source.id)),
      options.warnings?.().catch((error: unknown) => [`could not read the workers' config hashes (${String(error)})`]),
    ]);
    const longestIntervalMs = Math.max(...configured.map((source) => source.maxIntervalMs));
    return buildHealthSnapshot({
      sources,
      lastCompletedAt: options.lastCompletedAt?.() ?? newestRun(sources),
      longestIntervalMs,
      now: now(),
      startedAt: options.startedAt,
      warnings,
    });
  };
}

// --- Internal helpers ---

function newestRun(sources: SourceHealth[]): Date | undefined {
  return sources.reduce<Date | undefined>((newest, health) => {
    const at = health.lastRunAt ? new Date(health.lastRunAt) : undefined;
    return at && (!newest || at > newest) ? at : newest;
  }, undefined);
}
