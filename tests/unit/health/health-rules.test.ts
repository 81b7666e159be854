import { describe, expect, it } from 'vitest';
import { isFailure, isUnhealthy } from '../../../src/health/health-rules.js';
import type { RunOutcome, SourceHealth } from '../../../src/model.js';

describe('the failed-outcome rule', () => {
  it('counts a run that did not deliver the items as failed, and nothing else', () => {
    const outcomes: Record<RunOutcome, boolean> = {
      updated: false,
      unchanged: false,
      'not-modified': false,
      'same-body': false,
      deferred: false,
      degraded: true,
      disallowed: true,
      failed: true,
    };
    for (const [outcome, failed] of Object.entries(outcomes))
      expect([outcome, isFailure({ outcome: outcome as RunOutcome })]).toEqual([outcome, failed]);
  });
});

describe('the unhealthy rule', () => {
  it('flags failing and degraded sources only', () => {
    const statuses: Record<SourceHealth['status'], boolean> = {
      ok: false,
      'not-modified': false,
      'never-run': false,
      degraded: true,
      failing: true,
    };
    for (const [status, unhealthy] of Object.entries(statuses))
      expect([status, isUnhealthy({ status: status as SourceHealth['status'] })]).toEqual([status, unhealthy]);
  });
});
