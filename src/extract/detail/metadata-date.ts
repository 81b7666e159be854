/**
 * Publication dates a page states for machines: `<meta>` publication tags, JSON-LD `datePublished`
 * (CDATA wrappers and comments tolerated) and date strings in scripts; a meta value that is really the
 * modification time gives way to an earlier JSON-LD publication date. Modification meta is read apart,
 * as the last resort of findDetailDate.
 */
import { describeError } from '../../errors.js';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { DateContext } from '../date/date-building.js';
import { parseDateInContext } from '../date/parse-date.js';
import { readText } from '../html/field-selector.js';
import type { WarningCollector } from '../warnings.js';
import type { DetailDate } from './detail-date.js';

/**
 * The meta publication date, unless it is really the modification time (it equals a `dateModified` /
 * `article:modified_time` value) and JSON-LD gives an earlier `datePublished`: then that one.
 */
export function readMetaPublicationDate(
  $: CheerioAPI,
  dates: DateContext,
  warnings: WarningCollector,
): DetailDate | undefined {
  const meta = readMetaDate($, dates);
  if (!meta) return undefined;
  const modified = collectModifiedInstants($, dates);
  if (!modified.has(meta.parsed.date.getTime())) return meta;
  const ld = readJsonLdDate($, dates, warnings);
  return ld && ld.parsed.date.getTime() < meta.parsed.date.getTime() ? ld : meta;
}

/** Instants named as modification times in meta tags and JSON-LD. */
function collectModifiedInstants($: CheerioAPI, dates: DateContext): Set<number> {
  const values: string[] = [];
  for (const [name, value] of readMetaValues($)) if (MODIFIED_NAME.test(name)) values.push(value);
  for (const node of $('script[type="application/ld+json"]').toArray()) {
    for (const match of $(node)
      .text()
      .matchAll(/"date(?:Modified|Updated)"\s*:\s*"([^"]{6,40})"/g))
      values.push(match[1] ?? '');
  }
  const instants = new Set<number>();
  for (const value of values) {
    const parsed = parseDateInContext(value, dates);
    if (parsed) instants.add(parsed.date.getTime());
  }
  return instants;
}

/** Publication dates after tomorrow or before 1990 are template defaults or typos, not evidence. */

/** `<meta>` names (lower case) that carry the publication date, most specific first. */
const META_NAMES = [
  'article:published_time',
  'og:article:published_time',
  'og:published_time',
  'og:release_date',
  'datepublished',
  'pubdate',
  'publishdate',
  'publish_date',
  'publish-date',
  'publishtime',
  'publication_date',
  'firstpublishedtime',
  'dc.date.issued',
  'dcterms.issued',
  'dc.date',
  'dcterms.created',
  'dc.date.created',
  'citation_publication_date',
  'citation_date',
  'parsely-pub-date',
  'sailthru.date',
  'date',
];

function readMetaDate($: CheerioAPI, dates: DateContext): DetailDate | undefined {
  const found = readMetaValues($);
  for (const name of META_NAMES) {
    const value = found.get(name);
    const parsed = value ? parseDateInContext(value, dates) : undefined;
    if (parsed && value) return { parsed, source: 'meta', text: value };
  }
  // Vendor names (`cXenseParse:recs:publishtime`, `sailthru.date`, `article.published`): any name that
  // says "publish" and not "modified"/"updated".
  for (const [name, value] of found) {
    if (!PUBLISH_NAME.test(name) || MODIFIED_NAME.test(name)) continue;
    const parsed = parseDateInContext(value, dates);
    if (parsed) return { parsed, source: 'meta', text: value };
  }
  return undefined;
}

/** `article:modified_time` and kin: used only when the page has no publication evidence. */
export function readModifiedMeta($: CheerioAPI, dates: DateContext): DetailDate | undefined {
  for (const [name, value] of readMetaValues($)) {
    if (!MODIFIED_NAME.test(name)) continue;
    const parsed = parseDateInContext(value, dates);
    if (parsed) return { parsed, source: 'meta', text: value };
  }
  return undefined;
}

/**
 * Meta-like name → value: `<meta content>` (or `value`, which some mirrors write), microdata
 * `datetime`/`content`, and microdata whose date is the element's text
 * (`<span itemprop="datePublished">04.03.2021 09:15</span>`). The first value of a name wins.
 */
function readMetaValues($: CheerioAPI): Map<string, string> {
  const found = new Map<string, string>();
  for (const node of $('meta[content], meta[value], [itemprop]').toArray()) {
    if (!('attribs' in node)) continue;
    const element = node as Element;
    const { attribs } = element;
    const name = (attribs.property ?? attribs.name ?? attribs.itemprop ?? attribs['http-equiv'] ?? '')
      .trim()
      .toLowerCase();
    let value = (attribs.content ?? attribs.value ?? attribs.datetime ?? '').trim();
    if (value === '' && attribs.itemprop && /date/i.test(attribs.itemprop) && element.name !== 'meta')
      value = readText(element).slice(0, 80);
    if (name && value && !found.has(name)) found.set(name, value);
  }
  return found;
}

const PUBLISH_NAME = /publish|pubdate|pub_date|releasedate|release_date|datecreated|date_created|firstpub/;
const MODIFIED_NAME = /modif|updat|revis|lastmod|expir/;

export function readJsonLdDate($: CheerioAPI, dates: DateContext, warnings: WarningCollector): DetailDate | undefined {
  for (const node of $('script[type="application/ld+json"]').toArray()) {
    const raw = unwrapJsonLd($(node).text());
    if (raw === '') continue;
    let data: unknown;
    try {
      data = JSON.parse(raw);
    } catch (error) {
      // Broken JSON-LD is common (trailing commas, raw newlines); the other sources still apply.
      warnings.add('detail-jsonld-invalid', `ignored JSON-LD that does not parse (${describeError(error)})`);
      continue;
    }
    const value = findDatePublished(data, 0);
    const parsed = value ? parseDateInContext(value, dates) : undefined;
    if (parsed && value) return { parsed, source: 'json-ld', text: value };
  }
  return undefined;
}

/** JSON-LD as pages write it: inside `<![CDATA[ … ]]>` or `<!-- … -->`, with `//` or block comments. */
function unwrapJsonLd(text: string): string {
  let raw = text
    .trim()
    .replace(/^<!\[CDATA\[|\]\]>$/g, '')
    .replace(/^\s*<!--|-->\s*$/g, '')
    .trim();
  raw = raw
    .replace(/^\s*\/\/.*$/gm, '')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .trim();
  return raw.replace(/^<!\[CDATA\[|\]\]>$/g, '').trim();
}

/**
 * A date only in a script (`var pubTime = "2021/03/04 09:15"`, `"publishDate":"…"`) for pages that
 * render the visible date on the client: string literals assigned to a name that says publish/pub/post.
 */
export function readScriptDate($: CheerioAPI, dates: DateContext): DetailDate | undefined {
  for (const node of $('script:not([src])').toArray()) {
    const text = $(node).text();
    if (text.length > MAX_SCRIPT_SCANNED) continue;
    SCRIPT_DATE.lastIndex = 0;
    for (let match = SCRIPT_DATE.exec(text); match; match = SCRIPT_DATE.exec(text)) {
      const value = match[2] ?? '';
      const parsed = parseDateInContext(value, dates);
      if (parsed) return { parsed, source: 'text', text: value };
    }
  }
  return undefined;
}

const MAX_SCRIPT_SCANNED = 200_000;
const SCRIPT_DATE =
  /["']?(\w*(?:publish|pubtime|pubdate|pub_time|pub_date|posttime|post_date|datePublished|releaseDate)\w*)["']?\s*[:=]\s*["']([^"'\n]{6,40})["']/gi;

/** `datePublished` (else `dateCreated`) of the first object that has one, searching arrays and `@graph`. */
function findDatePublished(data: unknown, depth: number): string | undefined {
  if (depth > 6 || data === null || typeof data !== 'object') return undefined;
  if (Array.isArray(data)) {
    for (const entry of data) {
      const found = findDatePublished(entry, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const record = data as Record<string, unknown>;
  for (const key of ['datePublished', 'dateCreated']) {
    const value = record[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  for (const key of ['@graph', 'mainEntity', 'mainEntityOfPage', 'hasPart']) {
    const found = findDatePublished(record[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}
