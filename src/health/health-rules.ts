/**
 * The two rules every reader of runs and health shares — `run`'s exit code, metrics, health
 * bookkeeping, `status`, `/healthz` and the index page — so they cannot drift apart.
 */
import type { RunReport, SourceHealth } from '../model.js';

/** The "failed outcome" rule: the run did not deliver the source's items (exit codes, health, metrics). */
export function isFailure(report: Pick<RunReport, 'outcome'>): boolean {
  return report.outcome === 'failed' || report.outcome === 'degraded' || report.outcome === 'disallowed';
}

/** The "unhealthy" rule: a failing or degraded source needs the operator (status exits 1, /healthz marks it, the index page explains it). */
export function isUnhealthy(health: Pick<SourceHealth, 'status'>): boolean {
  return health.status === 'failing' || health.status === 'degraded';
}
