/**
 * The /healthz document. `ok` answers one question — is the worker still doing its job? — so an
 * orchestrator restarts a stuck worker, not one whose sources happen to fail. Per-source status is
 * listed alongside for people and dashboards.
 */
import type { SourceHealth } from '../model.js';
import { isUnhealthy } from '../health/health-rules.js';

/** One source as /healthz shows it: its stored health without the store's own bookkeeping, plus a verdict. */
export type SourceHealthStatus = Omit<SourceHealth, 'lastNonEmptyFound'> & {
  /** False when the source is failing or degraded. */
  ok: boolean;
};

/** The /healthz body; the server answers 200 when `ok`, else 503. */
export interface HealthSnapshot {
  ok: boolean;
  /** Why `ok` is what it is, in words. */
  reason: string;
  generatedAt: string;
  worker: {
    lastCompletedAt?: string;
    startedAt?: string;
    /** No completed run for this long makes the worker unhealthy (3× the longest schedule interval). */
    staleAfterMs: number;
  };
  counts: Record<SourceHealth['status'], number>;
  sources: SourceHealthStatus[];
  /** Problems that do not make the worker unhealthy but need the operator (e.g. workers running different configs). */
  warnings?: string[];
}

/** Input of {@link buildHealthSnapshot}. */
export interface HealthInput {
  sources: SourceHealth[];
  /** Scheduler.lastCompletedAt(). */
  lastCompletedAt?: Date;
  /** Longest gap between two fires over all sources (describeSchedule().maxIntervalMs). */
  longestIntervalMs: number;
  now: Date;
  /** When the worker started; gives it 3× the interval to complete a first run. */
  startedAt?: Date;
  warnings?: string[];
}

/** Builds the /healthz document: not ok when the worker has not completed a run within 3× its longest schedule interval. */
export function buildHealthSnapshot(input: HealthInput): HealthSnapshot {
  const staleAfterMs = STALE_FACTOR * Math.max(0, input.longestIntervalMs);
  const verdict = judgeWorker(input, staleAfterMs);
  const sources = [...input.sources].sort((a, b) => a.sourceId.localeCompare(b.sourceId)).map(describeSource);
  const counts: HealthSnapshot['counts'] = { ok: 0, 'not-modified': 0, degraded: 0, failing: 0, 'never-run': 0 };
  for (const source of sources) counts[source.status] += 1;
  return {
    ok: verdict.ok,
    reason: verdict.reason,
    generatedAt: input.now.toISOString(),
    worker: {
      lastCompletedAt: input.lastCompletedAt?.toISOString(),
      startedAt: input.startedAt?.toISOString(),
      staleAfterMs,
    },
    counts,
    sources,
    ...(input.warnings?.length ? { warnings: input.warnings } : {}),
  };
}

// --- Internal helpers ---

const STALE_FACTOR = 3;

function judgeWorker(input: HealthInput, staleAfterMs: number): { ok: boolean; reason: string } {
  if (!(input.longestIntervalMs > 0)) return { ok: true, reason: 'no scheduled sources' };
  const now = input.now.getTime();
  const limit = formatDuration(staleAfterMs);
  if (input.lastCompletedAt) {
    const age = now - input.lastCompletedAt.getTime();
    return age <= staleAfterMs
      ? { ok: true, reason: `last run completed ${formatDuration(age)} ago` }
      : { ok: false, reason: `no run completed for ${formatDuration(age)} (limit ${limit})` };
  }
  if (input.startedAt && now - input.startedAt.getTime() <= staleAfterMs)
    return { ok: true, reason: 'starting: no run completed yet' };
  return { ok: false, reason: `no run completed since start (limit ${limit})` };
}

/** Copies field by field: the stored health is read back unchecked, so only known fields reach /healthz. */
function describeSource(health: SourceHealth): SourceHealthStatus {
  return {
    sourceId: health.sourceId,
    status: health.status,
    ok: !isUnhealthy(health),
    lastRunAt: health.lastRunAt,
    lastSuccessAt: health.lastSuccessAt,
    lastHttpStatus: health.lastHttpStatus,
    lastFound: health.lastFound,
    lastNew: health.lastNew,
    consecutiveFailures: health.consecutiveFailures,
    failingSince: health.failingSince,
    lastError: health.lastError,
    lastDurationMs: health.lastDurationMs,
    degradedReason: health.degradedReason,
    attention: health.attention,
    servedBy: health.servedBy,
  };
}

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  return `${(seconds / 3600).toFixed(1)}h`;
}
