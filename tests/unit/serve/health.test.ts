import { describe, expect, it } from 'vitest';
import type { SourceHealth } from '../../../src/model.js';
import { buildHealthSnapshot } from '../../../src/serve/index.js';

const now = new Date('2024-05-01T12:00:00Z');
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(now.getTime() - ms);

function health(sourceId: string, status: SourceHealth['status'], extra: Partial<SourceHealth> = {}): SourceHealth {
  return { sourceId, status, lastFound: 20, lastNew: 1, consecutiveFailures: 0, ...extra };
}

describe('buildHealthSnapshot', () => {
  it.each([
    ['a run completed within 3 intervals', { lastCompletedAt: ago(2.9 * HOUR) }, true],
    ['exactly 3 intervals ago', { lastCompletedAt: ago(3 * HOUR) }, true],
    ['no run for longer than 3 intervals', { lastCompletedAt: ago(3.1 * HOUR) }, false],
    ['just started, nothing completed yet', { startedAt: ago(10 * 60_000) }, true],
    ['started long ago, nothing completed', { startedAt: ago(4 * HOUR) }, false],
    ['nothing known at all', {}, false],
  ])('%s → ok=%s', (_name, times, ok) => {
    const snapshot = buildHealthSnapshot({ sources: [], longestIntervalMs: HOUR, now, ...times });
    expect(snapshot.ok).toBe(ok);
    expect(snapshot.worker.staleAfterMs).toBe(3 * HOUR);
    expect(snapshot.reason).toMatch(/\w/);
  });

  it('is ok with no scheduled sources', () => {
    expect(buildHealthSnapshot({ sources: [], longestIntervalMs: 0, now }).ok).toBe(true);
  });

  it('lists sources sorted with their status, counts them, and stays ok when a source fails', () => {
    const error = { code: 'FETCH_HTTP_STATUS', message: 'fetch: source "b": HTTP 503', hint: 'try later' };
    const snapshot = buildHealthSnapshot({
      sources: [
        health('c', 'degraded', { degradedReason: 'no items where there were 20' }),
        health('b', 'failing', { consecutiveFailures: 4, lastError: error }),
        health('a', 'ok'),
      ],
      lastCompletedAt: ago(60_000),
      longestIntervalMs: HOUR,
      now,
    });
    expect(snapshot.ok).toBe(true);
    expect(snapshot.generatedAt).toBe('2024-05-01T12:00:00.000Z');
    expect(snapshot.sources.map((s) => [s.sourceId, s.status, s.ok])).toEqual([
      ['a', 'ok', true],
      ['b', 'failing', false],
      ['c', 'degraded', false],
    ]);
    expect(snapshot.sources[1]).toMatchObject({ consecutiveFailures: 4, lastError: error });
    expect(snapshot.counts).toEqual({ ok: 1, 'not-modified': 0, degraded: 1, failing: 1, 'never-run': 0 });
  });
});
