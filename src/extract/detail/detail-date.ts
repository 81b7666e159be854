/**
 * The publication date of an item's own page, from the most to the least explicit source: the
 * configured selector; `<meta>` publication tags (`article:published_time` and its kin: `og:`,
 * `pubdate`, `publishdate`, `PubDate`, Dublin Core, `itemprop=datePublished`); JSON-LD
 * `datePublished`; `<time datetime>` (inside `<article>`/`<main>` first); then a labelled date in the
 * visible text (`发布时间：2019-08-27 10:21`, `发布日期`, `时间：`, `Published:`).
 */
import { describeError } from '../../errors.js';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { ParsedDate } from '../../model.js';
import type { DateContext } from '../date/date-building.js';
import { findDateInText, parseDateInContext } from '../date/parse-date.js';
import { parseFieldSelector, readDateValue, readText } from '../html/field-selector.js';
import type { WarningCollector } from '../warnings.js';

/** Where a detail page's date was read. */
export type DetailDateSource = 'selector' | 'meta' | 'json-ld' | 'time' | 'text';

/** A date read from a detail page and where it came from. */
export interface DetailDate {
  parsed: ParsedDate;
  source: DetailDateSource;
  /** The raw value, for reports. */
  text: string;
}

/** Finds the page's publication date, trying each source in the documented order. */
export function findDetailDate($: CheerioAPI, selectors: string[] | undefined, dates: DateContext, warnings: WarningCollector): DetailDate | undefined {
  if (selectors && selectors.length > 0) {
    const configured = readConfiguredDate($, selectors, dates, warnings);
    if (configured) return configured;
  }
  const readers = [readMetaDate, readJsonLdDate, readTimeElement, readLabelledDate, readBylineDate];
  let found: DetailDate | undefined;
  for (const read of readers) {
    const date = read($, dates, warnings);
    if (!date) continue;
    if (!found) found = date;
    // A bare day (`<meta name="publishdate" content="2019-08-27">`) is refined by a later source that
    // gives the time on that same day (the byline `2019年08月27日16:42`).
    if (found.parsed.precision === 'time') return found;
    if (date.parsed.precision === 'time' && isSameDay(found.parsed, date.parsed, dates)) return date;
  }
  return found;
}

// --- Internal helpers ---

/** `<meta>` names (lower case) that carry the publication date, most specific first. */
const META_NAMES = [
  'article:published_time', 'og:article:published_time', 'og:published_time', 'og:release_date', 'datepublished',
  'pubdate', 'publishdate', 'publish_date', 'publish-date', 'publishtime', 'publication_date', 'firstpublishedtime',
  'dc.date.issued', 'dcterms.issued', 'dc.date', 'dcterms.created', 'dc.date.created', 'citation_publication_date',
  'citation_date', 'parsely-pub-date', 'sailthru.date', 'date',
];

/** Characters after the headline searched for an unlabelled byline date. */
const BYLINE_WINDOW = 120;

/** Labels before a visible date, most telling first (成文日期 is when a document was signed, not published). */
const DATE_LABELS = ['发布时间', '发布日期', '發佈時間', '發布日期', '发表时间', '发表日期', '公开日期', '发文日期', '更新时间', '时间', '日期', '時間', '日期', 'Published on', 'Published', 'Posted on', 'Posted', 'Date'];

function readConfiguredDate($: CheerioAPI, selectors: string[], dates: DateContext, warnings: WarningCollector): DetailDate | undefined {
  for (const raw of selectors) {
    const spec = parseFieldSelector(raw);
    const elements = (spec.css === '' ? [] : $(spec.css).toArray()).filter((node): node is Element => 'attribs' in node);
    for (const element of elements) {
      const text = readDateValue($, element, spec);
      if (text === '') continue;
      const parsed = parseDateInContext(text, dates);
      if (parsed) return { parsed, source: 'selector', text };
      warnings.add('detail-date-unparsed', `the detail date selector \`${raw}\` matched text that is not a date`, text);
      break;
    }
  }
  return undefined;
}

function readMetaDate($: CheerioAPI, dates: DateContext): DetailDate | undefined {
  const found = new Map<string, string>();
  for (const node of $('meta[content], [itemprop][datetime], [itemprop][content]').toArray()) {
    if (!('attribs' in node)) continue;
    const { attribs } = node as Element;
    const name = (attribs.property ?? attribs.name ?? attribs.itemprop ?? attribs['http-equiv'] ?? '').trim().toLowerCase();
    const value = (attribs.content ?? attribs.datetime ?? '').trim();
    if (name && value && !found.has(name)) found.set(name, value);
  }
  for (const name of META_NAMES) {
    const value = found.get(name);
    const parsed = value ? parseDateInContext(value, dates) : undefined;
    if (parsed && value) return { parsed, source: 'meta', text: value };
  }
  return undefined;
}

function readJsonLdDate($: CheerioAPI, dates: DateContext, warnings: WarningCollector): DetailDate | undefined {
  for (const node of $('script[type="application/ld+json"]').toArray()) {
    const raw = $(node).text().trim();
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

function readTimeElement($: CheerioAPI, dates: DateContext): DetailDate | undefined {
  const scoped = $('article time[datetime], main time[datetime]').toArray();
  for (const node of scoped.length > 0 ? scoped : $('time[datetime]').toArray()) {
    if (!('attribs' in node)) continue;
    const value = (node as Element).attribs.datetime?.trim() ?? '';
    const parsed = value ? parseDateInContext(value, dates) : undefined;
    if (parsed) return { parsed, source: 'time', text: value };
  }
  return undefined;
}

/** A date right after a label in the page text (within a few characters of it). */
function readLabelledDate($: CheerioAPI, dates: DateContext): DetailDate | undefined {
  const body = $('body').toArray()[0];
  const text = body ? readBlockText(body) : '';
  for (const label of DATE_LABELS) {
    // Short labels (时间, Date) need a colon; longer ones also stand alone (`Published 27 August 2019`).
    const colon = label.length >= 4 ? '[:：]?' : '[:：]';
    const pattern = new RegExp(`${label}\\s*${colon}\\s*`, /^[A-Z]/.test(label) ? 'gi' : 'g');
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      const after = text.slice(match.index + match[0].length, match.index + match[0].length + 40);
      const found = findDateInText(after, dates);
      // The date must follow the label directly (`时间：2019-08-27`), not somewhere later in the sentence.
      if (found && found.index <= 2) return { parsed: found.parsed, source: 'text', text: `${match[0]}${after.slice(0, found.index + found.length)}`.trim() };
    }
  }
  return undefined;
}

/** The first date right after the headline (`<h1>`): news bylines often carry no label (`2019年08月27日16:42 | 来源：…`). */
function readBylineDate($: CheerioAPI, dates: DateContext): DetailDate | undefined {
  const heading = $('h1').toArray()[0];
  const body = $('body').toArray()[0];
  if (!heading || !body) return undefined;
  const title = readText(heading);
  const text = readBlockText(body);
  const at = title === '' ? -1 : text.indexOf(title);
  if (at < 0) return undefined;
  const window = text.slice(at + title.length, at + title.length + BYLINE_WINDOW);
  const found = findDateInText(window, dates);
  return found && { parsed: found.parsed, source: 'text', text: window.slice(found.index, found.index + found.length) };
}

function isSameDay(a: ParsedDate, b: ParsedDate, dates: DateContext): boolean {
  const offsetA = dates.zone.offset(a.date.getTime());
  const offsetB = dates.zone.offset(b.date.getTime());
  const dayA = Math.floor((a.date.getTime() + offsetA * 60_000) / 86_400_000);
  const dayB = Math.floor((b.date.getTime() + offsetB * 60_000) / 86_400_000);
  return dayA === dayB;
}

/** Elements that start a new line on screen: their text must not run into the next block's (`15:30` + `7月`). */
const BLOCK_TAGS = new Set([
  'p', 'div', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'tr', 'td', 'th', 'table', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
  'section', 'article', 'header', 'footer', 'aside', 'nav', 'main', 'blockquote', 'pre', 'hr', 'form', 'figure', 'figcaption',
]);
const NO_TEXT_TAGS = new Set(['script', 'style', 'noscript', 'template', 'select', 'textarea']);

/** The visible text of a subtree with a space between blocks, whitespace folded. */
function readBlockText(root: Element): string {
  const parts: string[] = [];
  const walk = (node: Element): void => {
    for (const child of node.children) {
      if (child.type === 'text') parts.push((child as unknown as { data: string }).data);
      else if (child.type === 'tag') {
        const element = child as Element;
        if (NO_TEXT_TAGS.has(element.name)) continue;
        const block = BLOCK_TAGS.has(element.name);
        if (block) parts.push(' ');
        walk(element);
        if (block) parts.push(' ');
      }
    }
  };
  walk(root);
  return parts.join('').replace(/[\s\u00a0\u3000]+/g, ' ').trim();
}
