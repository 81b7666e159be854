/**
 * Publication dates a page shows to readers: `<time>` (inside `<article>`/`<main>` first), date-named
 * elements near the headline (not in side boxes), labelled dates (`发布时间：`, `Published:`, `publié le`)
 * and the byline under the headline.
 */
import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import type { ParsedDate } from '../../model.js';
import type { DateContext } from '../date/date-building.js';
import { findDateInText, parseDateInContext } from '../date/parse-date.js';
import { BLOCK_ELEMENTS, readText } from '../html/field-selector.js';
import type { DetailDate } from './detail-date.js';

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

export function readTimeElement($: CheerioAPI, dates: DateContext): DetailDate | undefined {
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
export function readDateElement($: CheerioAPI, dates: DateContext): DetailDate | undefined {
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

export const RELATIVE_TEXT = /前|ago|刚|today|yesterday|昨|今/i;
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
export function readLabelledDate($: CheerioAPI, dates: DateContext): DetailDate | undefined {
  const body = $('body').toArray()[0];
  const text = body ? readBodyText(body) : '';
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
export function readBylineDate($: CheerioAPI, dates: DateContext): DetailDate | undefined {
  const heading = $('h1').toArray()[0];
  const body = $('body').toArray()[0];
  if (!heading || !body) return undefined;
  const title = readText(heading);
  const text = readBodyText(body);
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

export function isSameDay(a: ParsedDate, b: ParsedDate, dates: DateContext): boolean {
  const offsetA = dates.zone.offset(a.date.getTime());
  const offsetB = dates.zone.offset(b.date.getTime());
  const dayA = Math.floor((a.date.getTime() + offsetA * 60_000) / 86_400_000);
  const dayB = Math.floor((b.date.getTime() + offsetB * 60_000) / 86_400_000);
  return dayA === dayB;
}

const NO_TEXT_TAGS = new Set(['script', 'style', 'noscript', 'template', 'select', 'textarea']);

/**
 * The body's block text, read once per page: the labelled-date and the byline readers both search it
 * (on a 10 MB table page, reading it took 0.3 s and as much again in garbage collection).
 */
function readBodyText(body: Element): string {
  let text = bodyTexts.get(body);
  if (text === undefined) {
    text = readBlockText(body);
    bodyTexts.set(body, text);
  }
  return text;
}

/** Body text by body element; an entry goes with its page's tree. */
const bodyTexts = new WeakMap<Element, string>();

/** The visible text of a subtree with a space between blocks, whitespace folded. */
function readBlockText(root: Element): string {
  const parts: string[] = [];
  const walk = (node: Element): void => {
    for (const child of node.children) {
      if (child.type === 'text') parts.push((child as unknown as { data: string }).data);
      else if (child.type === 'tag') {
        const element = child as Element;
        if (NO_TEXT_TAGS.has(element.name)) continue;
        // A block's text must not run into the next block's (`15:30` + `7月`).
        const block = element.name === 'br' || BLOCK_ELEMENTS.has(element.name);
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
