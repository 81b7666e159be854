/**
 * The publication date of an item's own page, from the most to the least explicit source: the
 * configured selector; `<meta>` publication tags (`article:published_time` and its kin: `og:`,
 * `pubdate`, `publishdate`, `PubDate`, Dublin Core, `itemprop=datePublished`); JSON-LD
 * `datePublished`; `<time datetime>` (inside `<article>`/`<main>` first); then a labelled date in the
 * visible text (`发布时间：2019-08-27 10:21`, `发布日期`, `时间：`, `Published:`). A day in the URL path
 * (`/2021/03/04/`, `t20210304_`) is used only when the page gives no date, and as the year of year-less
 * dates on the page (see url-date.ts).
 */
import { describeError } from '../../errors.js';
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { ParsedDate } from '../../model.js';
import type { DateContext } from '../date/date-building.js';
import { findDateInText, parseDateInContext } from '../date/parse-date.js';
import { parseFieldSelector, readDateValue, readText } from '../html/field-selector.js';
import type { WarningCollector } from '../warnings.js';
import { readUrlDate, withUrlToday } from './url-date.js';

/** Where a detail page's date was read. */
export type DetailDateSource = 'selector' | 'meta' | 'json-ld' | 'time' | 'text' | 'url';

/** A date read from a detail page and where it came from. */
export interface DetailDate {
  parsed: ParsedDate;
  source: DetailDateSource;
  /** The raw value, for reports. */
  text: string;
}

/** Finds the page's publication date, trying each source in the documented order. */
export function findDetailDate(
  $: CheerioAPI,
  selectors: string[] | undefined,
  pageDates: DateContext,
  warnings: WarningCollector,
  url?: string,
): DetailDate | undefined {
  const urlDay = url === undefined ? undefined : readUrlDate(url, pageDates);
  // Year-less dates on the page (`03/04 09:15`) take the URL's year rather than the latest past one.
  const dates = urlDay ? withUrlToday(pageDates, urlDay) : pageDates;
  if (selectors && selectors.length > 0) {
    const configured = readConfiguredDate($, selectors, dates, warnings);
    if (configured) return configured;
  }
  const readers = [
    readMetaDate,
    readJsonLdDate,
    readTimeElement,
    readDateElement,
    readLabelledDate,
    readBylineDate,
    readScriptDate,
  ];
  let found: DetailDate | undefined;
  let relative: DetailDate | undefined;
  for (const read of readers) {
    const date = read === readMetaDate ? preferEarlierPublication($, dates, warnings) : read($, dates, warnings);
    if (!date || !isPlausible(date.parsed, dates)) continue;
    // `15 minutes ago` is weaker than a date in a script or an attribute found later.
    if (RELATIVE_TEXT.test(date.text)) {
      relative ??= date;
      continue;
    }
    if (!found) {
      found = date;
      continue;
    }
    // A bare day (`<meta name="publishdate" content="2019-08-27">`) is refined by a later source that
    // gives the time on that same day (the byline `2019年08月27日16:42`).
    if (found.parsed.precision === 'time') return found;
    if (date.parsed.precision === 'time' && isSameDay(found.parsed, date.parsed, dates)) return date;
  }
  if (found) return found;
  if (relative) return relative;
  // The URL's day when the page itself shows no date (never over a date the page gives).
  if (urlDay?.day !== undefined) {
    const text = [urlDay.year, urlDay.month, urlDay.day].map((n) => String(n).padStart(2, '0')).join('-');
    return { parsed: { date: new Date(urlDay.ms), precision: 'day' }, source: 'url', text };
  }
  // Modification evidence only when the page carries no publication evidence at all.
  const modified = readModifiedMeta($, dates);
  return modified && isPlausible(modified.parsed, dates) ? modified : undefined;
}

// --- Internal helpers ---

/**
 * The meta publication date, unless it is really the modification time (it equals a `dateModified` /
 * `article:modified_time` value) and JSON-LD gives an earlier `datePublished`: then that one.
 */
function preferEarlierPublication(
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
function isPlausible(parsed: ParsedDate, dates: DateContext): boolean {
  const ms = parsed.date.getTime();
  return ms >= EARLIEST && ms <= dates.now.toMillis() + DAY_MS;
}

const EARLIEST = Date.UTC(1990, 0, 1);
const DAY_MS = 86_400_000;

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

/** What may stand between a label and its date: spaces, punctuation, a weekday. */
const LABEL_GAP = /^[\s,:：]*(?:[A-Za-zÀ-ÿ]{2,12}\.?,?\s*)?$/;

/** Characters after the headline searched for an unlabelled byline date. */
const BYLINE_WINDOW = 120;

/** Labels before a visible date, most telling first (成文日期 is when a document was signed, not published). */
const DATE_LABELS = [
  '发布时间',
  '发布日期',
  '發佈時間',
  '發布日期',
  '发表时间',
  '发表日期',
  '公开日期',
  '发文日期',
  '更新时间',
  '时间',
  '日期',
  '時間',
  'Published on',
  'Published',
  'Posted on',
  'Posted',
  'Submitted on',
  'Submitted',
  'First published',
  'Date',
  'Publié le',
  'Publié',
  'Veröffentlicht am',
  'Veröffentlicht',
  'Publicado el',
  'Publicado',
  'Pubblicato il',
  'Pubblicato',
  'Опубликовано',
  'Дата публикации',
  '公開日',
  '掲載日',
  '配信日',
  '投稿日',
  '등록일',
  '입력',
  '게재',
];

function readConfiguredDate(
  $: CheerioAPI,
  selectors: string[],
  dates: DateContext,
  warnings: WarningCollector,
): DetailDate | undefined {
  for (const raw of selectors) {
    const spec = parseFieldSelector(raw);
    const elements = (spec.css === '' ? [] : $(spec.css).toArray()).filter(
      (node): node is Element => 'attribs' in node,
    );
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
function readModifiedMeta($: CheerioAPI, dates: DateContext): DetailDate | undefined {
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

function readJsonLdDate($: CheerioAPI, dates: DateContext, warnings: WarningCollector): DetailDate | undefined {
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
function readScriptDate($: CheerioAPI, dates: DateContext): DetailDate | undefined {
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

/**
 * An unlabelled date in an element named for it (`<div class="time">2021-10-27 作者：…`, `<span
 * class="date" data-origindate="2017-03-01 14:27:02 +0800">`, `<span class="pubtime" title="…Z">3
 * hours ago</span>`): attributes holding a date first (the visible text may be relative), then text that
 * starts with a date. The one right after the headline wins, then one inside `<article>`/`<main>`, then
 * the first one outside navigation, sidebars, footers and related-article boxes.
 */
function readDateElement($: CheerioAPI, dates: DateContext): DetailDate | undefined {
  const nodes = $('h1, [class], [id]')
    .toArray()
    .filter((node): node is Element => 'attribs' in node);
  const headline = nodes.findIndex((node) => node.name === 'h1');
  const found: Array<{ date: DetailDate; index: number; inMain: boolean }> = [];
  nodes.forEach((element, index) => {
    if (!isDateNamed(element) || isInSideBox(element)) return;
    const date = readDateFromElement(element, dates);
    if (date) found.push({ date, index, inMain: isInMain(element) });
  });
  const pick =
    (headline >= 0 ? found.find((f) => f.index > headline) : undefined) ?? found.find((f) => f.inMain) ?? found[0];
  return pick?.date;
}

function readDateFromElement(element: Element, dates: DateContext): DetailDate | undefined {
  for (const [name, value] of Object.entries(element.attribs)) {
    if (name !== 'title' && name !== 'datetime' && !name.startsWith('data-')) continue;
    const parsed = value.length <= 64 && /\d{4}/.test(value) ? parseDateInContext(value, dates) : undefined;
    if (parsed && !RELATIVE_TEXT.test(value)) return { parsed, source: 'text', text: value };
  }
  const text = readText(element);
  if (text === '' || text.length > 120) return undefined;
  const found = findDateInText(text.slice(0, 60), dates);
  if (!found || found.index > 12 || RELATIVE_TEXT.test(text.slice(found.index, found.index + found.length)))
    return undefined;
  return { parsed: found.parsed, source: 'text', text: text.slice(found.index, found.index + found.length) };
}

const RELATIVE_TEXT = /前|ago|刚|today|yesterday|昨|今/i;
const DATE_WORDS = new Set([
  'date',
  'time',
  'pubtime',
  'pubdate',
  'publish',
  'published',
  'posted',
  'submitted',
  'datetime',
  'dateline',
  'timestamp',
]);
const NOT_PUBLICATION = /update|modif|comment|reply|weather|clock|countdown/i;
const SIDE_BOX =
  /(?:^|[\s_-])(?:side|sidebar|aside|related|relate|recommend|hot|rank|ranking|popular|footer|nav|menu|comment|comments|list)(?:$|[\s_-])/i;

function isDateNamed(element: Element): boolean {
  const names = `${element.attribs.class ?? ''} ${element.attribs.id ?? ''}`;
  if (NOT_PUBLICATION.test(names)) return false;
  const parts = names
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_-]+/);
  return parts.some(
    (part) => DATE_WORDS.has(part) || /^(?:pub|post|news|art|article|info|entry)(?:date|time)$/.test(part),
  );
}

function isInSideBox(element: Element): boolean {
  for (
    let node: Element | null = element;
    node;
    node = node.parent && 'attribs' in node.parent ? (node.parent as Element) : null
  ) {
    if (node.name === 'nav' || node.name === 'aside' || node.name === 'footer') return true;
    if (node !== element && SIDE_BOX.test(`${node.attribs.class ?? ''} ${node.attribs.id ?? ''}`)) return true;
  }
  return false;
}

function isInMain(element: Element): boolean {
  for (
    let node: Element | null = element;
    node;
    node = node.parent && 'attribs' in node.parent ? (node.parent as Element) : null
  ) {
    if (node.name === 'article' || node.name === 'main') return true;
  }
  return false;
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
      // A weekday may sit between (`Submitted on Mon, 2019-01-21`, `Publié le lundi 3 mars 2021`).
      if (found && LABEL_GAP.test(after.slice(0, found.index)))
        return {
          parsed: found.parsed,
          source: 'text',
          text: `${match[0]}${after.slice(0, found.index + found.length)}`.trim(),
        };
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
  // Indexes refer to the text as the date parser folds it (whitespace runs as one space, trimmed).
  const dateline = found
    ? window
        .replace(/\s+/g, ' ')
        .trim()
        .slice(found.index, found.index + found.length)
    : '';
  // An unlabelled relative word after the headline (`今天迎来十周岁`) is prose, not a dateline.
  return found && !RELATIVE_TEXT.test(dateline) ? { parsed: found.parsed, source: 'text', text: dateline } : undefined;
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
  'p',
  'div',
  'li',
  'ul',
  'ol',
  'dl',
  'dt',
  'dd',
  'tr',
  'td',
  'th',
  'table',
  'br',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'section',
  'article',
  'header',
  'footer',
  'aside',
  'nav',
  'main',
  'blockquote',
  'pre',
  'hr',
  'form',
  'figure',
  'figcaption',
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
  return parts
    .join('')
    .replace(/[\s\u00a0\u3000]+/g, ' ')
    .trim();
}
