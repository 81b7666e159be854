/**
 * Automatic list detection over every list page we have (the 13 extraction fixtures and the pages of
 * tests/fixtures/auto/): precision and recall of the detected items against the expected ones, per
 * page and overall, and the round trip of the reported selectors through selector mode.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { extractItems } from '../../../src/extract/index.js';
import type { ExtractResult } from '../../../src/model.js';
import { parseSourceSelectors } from '../../../src/field-selector/parse-field-selector.js';
import { loadAllListFixtures, loadAutoFixtures, scoreItems, type ListScore } from '../../helpers/auto-fixtures.js';
import { toExtractCall, writeExpected, type SourceFixture } from '../../helpers/source-fixtures.js';

const fixtures = loadAllListFixtures();
const scores = new Map<string, ListScore>();
const update = process.env.UPDATE_FIXTURES === '1';

/** Extracts a fixture page with no selectors at all (automatic mode). */
function detect(fixture: SourceFixture): ExtractResult {
  const { input, options } = toExtractCall(fixture);
  return extractItems(input, { ...options, selectors: {} });
}

describe('list pages written for detection (tests/fixtures/auto/): hand-written selectors → expected.json', () => {
  const pages = loadAutoFixtures();
  it('has at least 10 pages', () => {
    expect(pages.length).toBeGreaterThanOrEqual(10);
  });
  it.each(pages.map((fixture) => [fixture.name, fixture] as const))('%s', (_name, fixture) => {
    const { input, options } = toExtractCall(fixture);
    const result = extractItems(input, options);
    if (update) {
      writeExpected(fixture, result);
      return;
    }
    expect(result.mode).toBe('selectors');
    expect(result.items.map((item) => ({ title: item.title, link: item.link ?? null }))).toEqual(
      fixture.expected.items.map((item) => ({ title: item.title, link: item.link })),
    );
  });
});

describe('automatic list detection (no selectors configured)', () => {
  it.each(fixtures.map((fixture) => [`${fixture.set}/${fixture.name}`, fixture] as const))(
    '%s: finds the expected headlines',
    (_name, fixture) => {
      const result = detect(fixture);
      const score = scoreItems(result.items, fixture.expected.items);
      scores.set(`${fixture.set}/${fixture.name}`, score);
      expect(result.mode).toBe('auto');
      expect(result.selectors?.items).toBeTruthy();
      expect(result.selectors?.confidence).toBeGreaterThan(0);
      expect(result.selectors?.confidence).toBeLessThanOrEqual(1);
      expect({ precision: score.precision, recall: score.recall, wrong: score.wrong }).toEqual({
        precision: expect.toSatisfy((p: number) => p >= 0.7),
        recall: expect.toSatisfy((r: number) => r >= 0.7),
        wrong: expect.any(Array),
      });
    },
  );

  it('reaches precision and recall of at least 0.9 over all pages', () => {
    const totals = fixtures.map((fixture) => scoreItems(detect(fixture).items, fixture.expected.items));
    const correct = totals.reduce((sum, s) => sum + s.correct, 0);
    const precision = correct / totals.reduce((sum, s) => sum + s.found, 0);
    const recall = correct / totals.reduce((sum, s) => sum + s.expected, 0);
    expect(precision).toBeGreaterThanOrEqual(0.9);
    expect(recall).toBeGreaterThanOrEqual(0.9);
  });

  it.each(fixtures.map((fixture) => [`${fixture.set}/${fixture.name}`, fixture] as const))(
    '%s: the reported selectors, pasted into the config, give the same items in selector mode',
    (_name, fixture) => {
      const auto = detect(fixture);
      const chosen = auto.selectors;
      expect(chosen).toBeDefined();
      const pinned = parseSourceSelectors({
        items: chosen?.items,
        title: chosen?.title,
        link: chosen?.link,
        date: chosen?.date,
        summary: chosen?.summary,
      });
      const { input, options } = toExtractCall(fixture);
      const manual = extractItems(input, { ...options, selectors: pinned });
      expect(manual.mode).toBe('selectors');
      expect(manual.items).toEqual(auto.items);
      expect(manual.warnings.map((w) => w.code)).toEqual(auto.warnings.map((w) => w.code));
      // Selector mode reports what it used; for pinned selectors that is exactly what was pinned.
      expect(manual.selectors?.items).toBe(chosen?.items);
      for (const field of ['title', 'link', 'date'] as const)
        if (chosen?.[field]) expect(manual.selectors?.[field]).toBe(chosen[field]);
    },
  );
});

afterAll(() => {
  if (scores.size === 0 || update) return;
  const lines = [...scores].map(
    ([name, s]) =>
      `${name.padEnd(36)} P=${s.precision.toFixed(2)} R=${s.recall.toFixed(2)} (${s.correct}/${s.found} found, ${s.expected} expected, ${s.dateMismatches} date differences)`,
  );
  const correct = [...scores.values()].reduce((sum, s) => sum + s.correct, 0);
  const found = [...scores.values()].reduce((sum, s) => sum + s.found, 0);
  const expected = [...scores.values()].reduce((sum, s) => sum + s.expected, 0);
  lines.push(
    `overall: P=${(correct / found).toFixed(3)} R=${(correct / expected).toFixed(3)} over ${scores.size} pages`,
  );
  if (process.env.AUTO_REPORT === '1') console.log(lines.join('\n'));
});
