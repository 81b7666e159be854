/**
 * Every built-in config value, in one place: the config schema fills omitted blocks from these, the
 * config stage resolves each source from them, and stages that run without a config file (the
 * browser and fetch stages for library users, `serve` without `output:`) fall back to the same ones.
 */
import type { WorkerConfig } from '../model.js';
import { DEFAULT_FETCH_POLICY } from './fetch-policy.js';

/** Built-in values used when neither the source nor `defaults:` sets a field. */
export const BUILT_IN_DEFAULTS = {
  schedule: '*/30 * * * *',
  timezone: 'Asia/Shanghai',
  maxItems: 50,
  historySize: 200,
  retainDays: 180,
  summaryLength: 500,
  failAfter: 3,
  reportFailuresInFeed: false,
  fetch: DEFAULT_FETCH_POLICY,
} as const;

/** `site.title` when the config gives none. */
export const DEFAULT_SITE_TITLE = 'feedwright';

/** `store:` when the config gives none: the embedded SQLite file. */
export const DEFAULT_STORE_URL = 'sqlite://data/feedwright.sqlite';

/** `output:` for a single-node store when the config gives none. */
export const DEFAULT_OUTPUT_DIR = 'output';

/** The `worker:` settings when the config gives none. */
export const DEFAULT_WORKER_CONFIG: Readonly<WorkerConfig> = Object.freeze({
  concurrency: 16,
  initialRun: true,
  jitterMs: 30_000,
  shutdownTimeoutMs: 20_000,
});

/** A whole number of milliseconds written as the config's duration syntax (`30s`, `1500ms`). */
export function toConfigDuration(ms: number): string {
  return ms % 1_000 === 0 ? `${ms / 1_000}s` : `${ms}ms`;
}
