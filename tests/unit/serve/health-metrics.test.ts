import { describe, expect, it } from 'vitest';
import { renderHealthMetrics } from '../../../src/serve/index.js';

describe('renderHealthMetrics', () => {
  it('writes one gauge family per health field, a status per source, and escapes label values', () => {
    const text = renderHealthMetrics([
      {
        sourceId: 'b"x',
        status: 'failing',
        lastFound: 0,
        lastNew: 0,
        consecutiveFailures: 3,
        lastRunAt: '2026-11-30T10:00:00.000Z',
      },
      {
        sourceId: 'a',
        status: 'ok',
        lastFound: 20,
        lastNew: 2,
        consecutiveFailures: 0,
        lastRunAt: '2026-11-30T10:00:00.000Z',
        lastSuccessAt: '2026-11-30T10:00:00.000Z',
        lastDurationMs: 1500,
      },
    ]);
    expect(text).toContain('# TYPE feedwright_source_status gauge');
    expect(text).toContain('feedwright_source_status{source="a",status="ok"} 1');
    expect(text).toContain('feedwright_source_status{source="a",status="failing"} 0');
    expect(text).toContain('feedwright_source_status{source="b\\"x",status="failing"} 1');
    expect(text).toContain('feedwright_source_last_run_timestamp_seconds{source="a"} 1796032800');
    expect(text).toContain('feedwright_source_last_success_timestamp_seconds{source="a"} 1796032800');
    expect(text).not.toContain('feedwright_source_last_success_timestamp_seconds{source="b');
    expect(text).toContain('feedwright_source_consecutive_failures{source="b\\"x"} 3');
    expect(text).toContain('feedwright_source_items_found{source="a"} 20');
    expect(text).toContain('feedwright_source_last_run_duration_seconds{source="a"} 1.5');
    expect(text.indexOf('source="a"')).toBeLessThan(text.indexOf('source="b'));
  });
});
