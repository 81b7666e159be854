import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors.js';
import type { RunReport } from '../../../src/model.js';
import { createMetrics } from '../../../src/schedule/index.js';

function report(overrides: Partial<RunReport> & { sourceId: string }): RunReport {
  return { outcome: 'updated', found: 10, newItems: 2, durationMs: 800, warnings: [], written: [], ...overrides };
}

/** Asserts that every line appears in the exposition text. */
function expectLines(text: string, expected: string[]): void {
  for (const line of expected) expect(text).toContain(line);
}

describe('createMetrics', () => {
  const now = () => new Date('2024-05-01T00:00:00Z');

  it('counts runs by outcome, failures by code and items per source', () => {
    const metrics = createMetrics({ now });
    metrics.observe(report({ sourceId: 'mee-news' }));
    metrics.observe(report({ sourceId: 'mee-news', outcome: 'unchanged', newItems: 0 }));
    const error = new AppError('FETCH_TIMEOUT', 'fetch: source "mee-news": timed out (30 s)', { sourceId: 'mee-news' });
    metrics.observe(
      report({ sourceId: 'mee-news', outcome: 'failed', found: 0, newItems: 0, durationMs: 30_000, error }),
    );
    const text = metrics.renderPrometheus();
    expectLines(text, [
      'feedwright_source_runs_total{source="mee-news",outcome="updated"} 1',
      'feedwright_source_runs_total{source="mee-news",outcome="unchanged"} 1',
      'feedwright_source_runs_total{source="mee-news",outcome="failed"} 1',
      'feedwright_source_failures_total{source="mee-news",code="FETCH_TIMEOUT"} 1',
      'feedwright_source_items_found_total{source="mee-news"} 20',
      'feedwright_source_items_new_total{source="mee-news"} 2',
      'feedwright_source_last_run_timestamp_seconds{source="mee-news"} 1714521600',
      'feedwright_source_last_success_timestamp_seconds{source="mee-news"} 1714521600',
    ]);
  });

  it('renders a cumulative duration histogram with +Inf, sum and count', () => {
    const metrics = createMetrics({ buckets: [1, 10] });
    metrics.observe(report({ sourceId: 'a', durationMs: 500 }));
    metrics.observe(report({ sourceId: 'a', durationMs: 5_000 }));
    metrics.observe(report({ sourceId: 'a', durationMs: 50_000 }));
    const text = metrics.renderPrometheus();
    expectLines(text, [
      'feedwright_source_run_duration_seconds_bucket{source="a",le="1"} 1',
      'feedwright_source_run_duration_seconds_bucket{source="a",le="10"} 2',
      'feedwright_source_run_duration_seconds_bucket{source="a",le="+Inf"} 3',
      'feedwright_source_run_duration_seconds_sum{source="a"} 55.5',
      'feedwright_source_run_duration_seconds_count{source="a"} 3',
      '# TYPE feedwright_source_run_duration_seconds histogram',
    ]);
  });

  it('keeps a separate fetch-duration histogram for runs that fetched', () => {
    const metrics = createMetrics({ buckets: [1, 10] });
    metrics.observe(report({ sourceId: 'a', durationMs: 3_000, fetchMs: 2_500 }));
    metrics.observe(report({ sourceId: 'a', outcome: 'failed', durationMs: 100 }));
    const text = metrics.renderPrometheus();
    expectLines(text, [
      '# TYPE feedwright_source_fetch_duration_seconds histogram',
      'feedwright_source_fetch_duration_seconds_bucket{source="a",le="10"} 1',
      'feedwright_source_fetch_duration_seconds_count{source="a"} 1',
      'feedwright_source_run_duration_seconds_count{source="a"} 2',
    ]);
  });

  it('writes well-formed exposition text: HELP and TYPE once per family, escaped labels, trailing newline', () => {
    const metrics = createMetrics();
    metrics.observe(report({ sourceId: 'we"ird\\id\nx' }));
    metrics.observe(report({ sourceId: 'b' }));
    const text = metrics.renderPrometheus();
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('{source="we\\"ird\\\\id\\nx"}');
    const types = text.split('\n').filter((line) => line.startsWith('# TYPE'));
    expect(new Set(types).size).toBe(types.length);
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+\{(?:[a-z]+="(?:[^"\\]|\\.)*",?)+\} -?[0-9.e+]+$/);
    }
  });

  it('renders only headers before any run', () => {
    const text = createMetrics().renderPrometheus();
    expect(text.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([]);
  });
});
