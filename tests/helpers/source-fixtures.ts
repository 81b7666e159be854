/**
 * Source fixture triads under tests/fixtures/sources/<name>/: page.html (bytes as served, in the
 * page's own encoding), source.json (selectors, zone, "now", URL, encoding) and expected.json (the
 * headline rows a reader sees). Shared by the extract tests and the extraction benchmark.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { DateTime } from 'luxon';
import type { ExtractInput, ExtractOptions } from '../../src/extract/index.js';
import type { ChineseConversion, ExtractResult, ReplaceRule } from '../../src/model.js';
import { parseSourceSelectors, type WrittenSelectors } from '../../src/field-selector/parse-field-selector.js';

/** Folder holding one directory per fixture. */
const SOURCE_FIXTURES_DIR = fileURLToPath(new URL('../fixtures/sources/', import.meta.url));

/** source.json as stored. */
export interface FixtureSource {
  description: string;
  url: string;
  /** Encoding to decode page.html with (iconv-lite label). */
  encoding: string;
  contentType: string;
  timezone: string;
  now: string;
  type: 'auto' | 'html' | 'feed';
  selectors: WrittenSelectors;
  dateFormat?: string;
  replace: ReplaceRule[];
  convert?: ChineseConversion | null;
  summaryLength: number;
}

/** One expected item; `link`/`date` null mean "none". */
export interface FixtureItem {
  title: string;
  link: string | null;
  canonicalLink?: string;
  /** ISO 8601 with the source zone's offset. */
  date: string | null;
  summary?: string;
  image?: string;
}

/** expected.json as stored. */
export interface FixtureExpected {
  items: FixtureItem[];
  warningCodes: string[];
}

/** A loaded fixture. */
export interface SourceFixture {
  name: string;
  dir: string;
  bytes: Buffer;
  source: FixtureSource;
  expected: FixtureExpected;
}

/** Loads every fixture triad, sorted by name. */
export function loadSourceFixtures(): SourceFixture[] {
  return readdirSync(SOURCE_FIXTURES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('_'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = join(SOURCE_FIXTURES_DIR, name);
      return {
        name,
        dir,
        bytes: readFileSync(join(dir, 'page.html')),
        source: JSON.parse(readFileSync(join(dir, 'source.json'), 'utf8')) as FixtureSource,
        expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as FixtureExpected,
      };
    });
}

/** The extract input and options a fixture describes (page decoded with its declared encoding). */
export function toExtractCall(fixture: SourceFixture): { input: ExtractInput; options: ExtractOptions } {
  const { source } = fixture;
  return {
    input: { body: iconv.decode(fixture.bytes, source.encoding), contentType: source.contentType, url: source.url },
    options: {
      sourceId: fixture.name,
      type: source.type,
      selectors: parseSourceSelectors(source.selectors),
      timezone: source.timezone,
      now: new Date(source.now),
      dateFormat: source.dateFormat,
      replace: source.replace,
      convert: source.convert ?? undefined,
      summaryLength: source.summaryLength,
    },
  };
}

/** Rewrites expected.json from an actual result (only with UPDATE_FIXTURES=1; review the diff). */
export function writeExpected(fixture: SourceFixture, result: ExtractResult): void {
  const items: FixtureItem[] = result.items.map((item) => {
    const canonical =
      item.canonicalLink && item.canonicalLink !== item.link ? { canonicalLink: item.canonicalLink } : {};
    const out: FixtureItem = {
      title: item.title,
      link: item.link ?? null,
      ...canonical,
      date: item.published ? formatInZone(item.published.date, fixture.source.timezone) : null,
    };
    if (item.summary !== undefined) out.summary = item.summary;
    if (item.image !== undefined) out.image = item.image;
    return out;
  });
  const warningCodes = [...new Set(result.warnings.map((w) => w.code))].sort();
  writeFileSync(join(fixture.dir, 'expected.json'), `${JSON.stringify({ items, warningCodes }, null, 2)}\n`);
}

/** ISO 8601 of an instant with the offset of a zone, seconds precision. */
function formatInZone(date: Date, zone: string): string {
  return DateTime.fromJSDate(date, { zone }).toISO({ suppressMilliseconds: true }) ?? date.toISOString();
}
