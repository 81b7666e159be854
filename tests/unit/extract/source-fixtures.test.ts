import { describe, expect, it } from 'vitest';
import { extractItems } from '../../../src/extract/index.js';
import { loadSourceFixtures, toExtractCall, writeExpected, type FixtureItem } from '../../helpers/source-fixtures.js';

const fixtures = loadSourceFixtures();
const update = process.env.UPDATE_FIXTURES === '1';

describe('source fixtures (page.html + source.json → expected.json)', () => {
  it('has at least 12 realistic list layouts', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
  });

  it.each(fixtures.map((fixture) => [fixture.name, fixture] as const))('%s', (_name, fixture) => {
    const { input, options } = toExtractCall(fixture);
    const result = extractItems(input, options);
    if (update) {
      writeExpected(fixture, result);
      return;
    }
    const actual = result.items.map((item, index) => project(item, fixture.expected.items[index]));
    expect(actual).toEqual(fixture.expected.items.map(normalizeExpected));
    expect([...new Set(result.warnings.map((w) => w.code))].sort()).toEqual(fixture.expected.warningCodes);
    expect(result.mode).toBe('selectors');
    expect(result.selectors?.items).toBe(fixture.source.selectors.items);
    for (const item of result.items) {
      expect(item.title).not.toMatch(/^\s|\s$|\s{2}|\u3000|\u00a0/);
      if (item.link) expect(item.link).toMatch(/^https?:\/\//);
    }
  });
});

/** The expected fields of an actual item: always title, link, date; the optional ones when expected lists them. */
function project(
  item: ReturnType<typeof extractItems>['items'][number],
  expected: FixtureItem | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    title: item.title,
    link: item.link ?? null,
    date: item.published ? item.published.date.getTime() : null,
  };
  if (expected?.canonicalLink !== undefined) out.canonicalLink = item.canonicalLink;
  if (expected?.summary !== undefined) out.summary = item.summary;
  if (expected?.image !== undefined) out.image = item.image;
  return out;
}

function normalizeExpected(item: FixtureItem): Record<string, unknown> {
  return { ...item, date: item.date === null ? null : new Date(item.date).getTime() };
}
