/** Health bookkeeping: how a source's status evolves from one run to the next. */
import { isFailure } from '../health/health-rules.js';
import type { RunReport, SourceConfig, SourceHealth } from '../model.js';

/** Fresh health for a source that never ran. */
export function initialHealth(sourceId: string): SourceHealth {
  return { sourceId, status: 'never-run', lastFound: 0, lastNew: 0, consecutiveFailures: 0 };
}

/** The health after `report`, given the health before it. */
export function nextHealth(
  previous: SourceHealth | undefined,
  report: RunReport,
  source: SourceConfig,
  at: Date,
): SourceHealth {
  const before = previous ?? initialHealth(source.id);
  const iso = at.toISOString();
  // Nothing was asked of the site: the health it had stands.
  if (report.outcome === 'deferred') return { ...before, lastRunAt: iso };
  if (isFailure(report)) {
    const failures = before.consecutiveFailures + 1;
    return {
      ...before,
      lastRunAt: iso,
      lastHttpStatus: report.httpStatus ?? before.lastHttpStatus,
      lastDurationMs: report.durationMs,
      lastNew: report.newItems,
      ...(report.servedBy ? { servedBy: report.servedBy } : {}),
      lastFound: report.found,
      status:
        report.outcome === 'degraded'
          ? 'degraded'
          : failures >= source.failAfter
            ? 'failing'
            : before.status === 'never-run'
              ? 'failing'
              : before.status,
      consecutiveFailures: failures,
      failingSince: before.failingSince ?? iso,
      lastError: report.error
        ? { code: report.error.code, message: report.error.message, hint: report.error.hint }
        : before.lastError,
      degradedReason: report.outcome === 'degraded' ? report.error?.message : undefined,
    };
  }
  const fetched = report.outcome === 'updated' || report.outcome === 'unchanged';
  // A working run (every 304 of a steady pass) builds the snapshot field by field, not spread from
  // `before`: the stored snapshots come in many shapes, and a spread of them took a slow path (a tenth
  // of an unchanged run's JavaScript outside the store).
  return {
    sourceId: before.sourceId,
    status: fetched ? 'ok' : 'not-modified',
    lastRunAt: iso,
    lastSuccessAt: iso,
    lastHttpStatus: report.httpStatus ?? before.lastHttpStatus,
    // A 304 or identical body says nothing new about the page's item count: keep the last one.
    lastFound: fetched ? report.found : before.lastFound,
    lastNew: report.newItems,
    lastNonEmptyFound: fetched && report.found > 0 ? report.found : before.lastNonEmptyFound,
    consecutiveFailures: 0,
    lastDurationMs: report.durationMs,
    // A 304 or identical body was not parsed again: an uncertain list choice stands until a parse says otherwise.
    attention: fetched ? report.listUncertain : before.attention,
    servedBy: report.servedBy ?? before.servedBy,
  };
}
