/** `run` names the selectors automatic detection chose for a source without `items:` (issue 13). */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { printSummary } from '../../../src/cli/run-command.js';
import type { RunReport } from '../../../src/model.js';

afterEach(() => vi.restoreAllMocks());

function report(extra: Partial<RunReport>): RunReport {
  return {
    sourceId: 'auto-src',
    outcome: 'updated',
    found: 12,
    newItems: 12,
    durationMs: 5,
    warnings: [],
    written: [],
    ...extra,
  };
}

describe('run summary', () => {
  it('prints the automatically chosen selectors with their confidence', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    printSummary(
      [
        report({
          chosenSelectors: { items: 'div.news-list ul > li', title: 'a', date: 'span.date', confidence: 0.93 },
        }),
        report({ sourceId: 'pinned' }),
      ],
      'output',
      [],
    );
    const text = written.join('');
    expect(text).toContain(
      'auto-src: list found automatically (confidence 0.93); pin it with items: div.news-list ul > li, title: a, date: span.date',
    );
    expect(text).not.toContain('pinned: list found automatically');
  });
});
