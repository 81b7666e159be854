/**
 * Fixtures for automatic list detection: the extraction triads of tests/fixtures/sources/ plus the
 * list pages of tests/fixtures/auto/ (same triad format: page.html, source.json with hand-written
 * selectors, expected.json from selector mode). Also the precision/recall scoring of detected items.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { canonicalizeUrl } from '../../src/extract/index.js';
import type { ExtractedItem } from '../../src/model.js';
import {
  loadSourceFixtures,
  type FixtureExpected,
  type FixtureItem,
  type FixtureSource,
  type SourceFixture,
} from './source-fixtures.js';

/** Folder of the list pages written for automatic detection. */
const AUTO_FIXTURES_DIR = fileURLToPath(new URL('../fixtures/auto/', import.meta.url));

/** Loads the auto-detection pages (tests/fixtures/auto/), sorted by name. */
export function loadAutoFixtures(): SourceFixture[] {
  return readdirSync(AUTO_FIXTURES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = join(AUTO_FIXTURES_DIR, name);
      const expectedFile = join(dir, 'expected.json');
      let expected: FixtureExpected = { items: [], warningCodes: [] };
      try {
        expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as FixtureExpected;
      } catch (error) {
        // A new page has no expected.json until UPDATE_FIXTURES=1 writes it; the tests then fail on the empty list.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      return {
        name,
        dir,
        bytes: readFileSync(join(dir, 'page.html')),
        source: JSON.parse(readFileSync(join(dir, 'source.json'), 'utf8')) as FixtureSource,
        expected,
      };
    });
}

/** Every page detection is measured on: the extraction fixtures and the auto-detection pages. */
export function loadAllListFixtures(): Array<SourceFixture & { set: 'sources' | 'auto' }> {
  return [
    ...loadSourceFixtures().map((fixture) => ({ ...fixture, set: 'sources' as const })),
    ...loadAutoFixtures().map((fixture) => ({ ...fixture, set: 'auto' as const })),
  ];
}

/** Matches of detected items against expected ones. */
export interface ListScore {
  /** Detected items whose canonical link is expected and whose title matches that item's title. */
  correct: number;
  found: number;
  expected: number;
  precision: number;
  recall: number;
  /** Detected items that matched nothing (for failure messages). */
  wrong: string[];
  /** Correct items whose date differs from the expected one. */
  dateMismatches: number;
}

/**
 * Scores detected items: an item is correct when its canonical link (or, without a link, its title)
 * is one of the expected items and its title is that item's title. Each expected item counts once.
 */
export function scoreItems(found: ExtractedItem[], expected: FixtureItem[]): ListScore {
  const byKey = new Map(expected.map((item) => [keyOf(item.link, item.canonicalLink, item.title), item]));
  const used = new Set<string>();
  let correct = 0;
  let dateMismatches = 0;
  const wrong: string[] = [];
  for (const item of found) {
    const key = keyOf(item.link, item.canonicalLink, item.title);
    const want = byKey.get(key);
    if (want && want.title === item.title && !used.has(key)) {
      used.add(key);
      correct += 1;
      const date = item.published ? item.published.date.getTime() : null;
      if (date !== (want.date === null ? null : new Date(want.date).getTime())) dateMismatches += 1;
    } else wrong.push(`${item.title} <${item.link ?? ''}>`);
  }
  return {
    correct,
    found: found.length,
    expected: expected.length,
    precision: found.length === 0 ? 0 : correct / found.length,
    recall: expected.length === 0 ? 0 : correct / expected.length,
    wrong,
    dateMismatches,
  };
}

// --- Internal helpers ---

function keyOf(link: string | null | undefined, canonical: string | undefined, title: string): string {
  if (canonical) return canonical;
  return link ? canonicalizeUrl(link) : `title:${title}`;
}
