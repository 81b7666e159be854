/**
 * Links a script opens: old portals (Chinese government sites above all) write a headline as
 * `<a href="javascript:void(0)" onclick="window.open('/art/2019/8/27/art_1229_4.html')">`,
 * `<a href="javascript:openWin('../xxgk/201908/t20190827_1.html')">` or `<a href="#" data-url="…">`.
 * Read as written, every such row is linkless: no link in the feed, identity by title only, and list
 * detection sees no headline links at all. Before anything reads the tree, each `<a>` whose `href`
 * leads nowhere but whose `href` script, `onclick` or `data-href`/`data-url`/`data-link` names a page
 * gets that page as its `href`. Only a string literal that looks like a page address is taken: an
 * absolute or root/dot-relative path, a file name with a page extension, or a relative address with a
 * query (`detail?id=12`); a call with an id alone (`openDetail('123')`) or a bare word names no page
 * and stays linkless. A row clickable as a whole (`<tr onclick="window.open('…')">`) with no link
 * inside gets one around its headline.
 */
import type { CheerioAPI } from 'cheerio';
import type { AnyNode, Element, Text } from 'domhandler';
import { isUsableHref } from './headline-anchor.js';

/** Gives each `<a>` of the tree whose href leads nowhere the page its script or data attribute names. */
export function recoverScriptLinks($: CheerioAPI, html: string): void {
  // A page with no such script or attribute (most pages) is not walked: a walk costs ~0.1 ms a 100 KB page.
  if (!MAY_HOLD_SCRIPT_LINK.test(html)) return;
  const root = $.root()[0];
  if (root) walk($, root);
}

/** The page address a link's script or data attribute names, if any (exported for tests). */
export function scriptLinkTarget(attribs: Record<string, string | undefined>): string | undefined {
  for (const name of DATA_ATTRIBUTES) {
    const value = attribs[name]?.trim();
    if (value && isPageAddress(value)) return value;
  }
  const href = attribs.href?.trim() ?? '';
  for (const code of [/^javascript:/i.test(href) ? href : '', attribs.onclick ?? '']) {
    const read = code === '' ? undefined : readLinkValue(code);
    if (read?.script && read.page !== undefined) return read.page;
  }
  return undefined;
}

/** A link value read from an attribute: script (with the page it opens, if it names one), or an address. */
export type LinkValue = { script: true; page: string | undefined } | { script: false };

/**
 * Reads a link value such as `@onclick` of a clickable row: script (`javascript:…`, a call given a
 * string, an assignment to `location`) with the page it opens or navigates to (`window.open('…')`,
 * `location.href='…'`, or the first page-like string it passes), or else an address as it stands.
 */
export function readLinkValue(value: string): LinkValue {
  const trimmed = value.trim();
  const code = trimmed.replace(/^javascript:/i, '');
  if (code === trimmed && !LOOKS_LIKE_SCRIPT.test(code)) return { script: false };
  const called = NAVIGATION_CALL.exec(code)?.[2];
  return { script: true, page: called !== undefined && isPageAddress(called) ? called : firstPageLiteral(code) };
}

// --- Internal helpers ---

/**
 * A `javascript:` call given a string, an `onclick` that opens or navigates or passes a path, or a
 * `data-href`/`-url`/`-link`, anywhere in the page (a hit only costs a walk; an `onclick` that only
 * counts a click does not walk the tree). Case-sensitive literals in the spellings pages use: the
 * case-insensitive form could not use V8's fast literal search and took 65–90 µs a 100 KB page, this
 * one ~30. Linear on any input: an attribute's scan stops at a quote, and the call's name is a run of
 * name characters (a free run before the `(` made `javascript:javascript:…` quadratic).
 */
const MAY_HOLD_SCRIPT_LINK = new RegExp(
  [
    ...['javascript', 'JavaScript'].map((scheme) => String.raw`${scheme}:(?:void\(0\);?\s*)?[\w.$]*\(\s*\\?['"]`),
    ...['onclick', 'onClick', 'ONCLICK'].map(
      (name) => String.raw`${name}\s*=\s*["'][^"'<>]*?(?:open|location|\(\s*\\?['"](?:\/|\.|https?:))`,
    ),
    String.raw`data-(?:href|url|link)\s*=`,
  ].join('|'),
);
const DATA_ATTRIBUTES = ['data-href', 'data-url', 'data-link'];
/** A call given a string, or an assignment to `location`: script, not an address. */
const LOOKS_LIKE_SCRIPT = /[\w$]\s*\(\s*\\?['"]|location(?:\.href)?\s*=/;
/** `window.open('…')`, `location.href = '…'`, `location.assign('…')`, `location = '…'`. */
const NAVIGATION_CALL =
  /(?:\bopen|\blocation(?:\.href)?|\blocation\.(?:assign|replace))\s*(?:\(\s*|=\s*)(['"])([^'"\s]+)\1/;
const STRING_LITERAL = /(['"])([^'"\s]+)\1/g;
/** A relative address with a query: `detail?id=12`, `?id=12`. */
const PAGE_QUERY = /^[\w\-./%~]*\?[\w%.~-]+=[\w%=&.~-]*$/;
const PAGE_FILE = /^[\w\-./%~]+\.(?:s?html?|jsp|php|aspx?|do|action|cgi)(?:[?#][^'"\s]*)?$/i;

function firstPageLiteral(code: string): string | undefined {
  for (const match of code.matchAll(STRING_LITERAL)) {
    const literal = match[2];
    if (literal !== undefined && isPageAddress(literal)) return literal;
  }
  return undefined;
}

function isPageAddress(text: string): boolean {
  if (/^javascript:/i.test(text) || /\s/.test(text)) return false;
  return (
    /^(?:https?:)?\/\/[^/]/i.test(text) ||
    /^\.{0,2}\/[\w%~.-]/.test(text) ||
    PAGE_FILE.test(text) ||
    PAGE_QUERY.test(text)
  );
}

function walk($: CheerioAPI, node: AnyNode): void {
  if (!('children' in node)) return;
  for (const child of node.children) {
    if (child.type !== 'tag') continue;
    const element = child as Element;
    if (element.name === 'a' && !isUsableHref(element.attribs.href)) {
      const target = scriptLinkTarget(element.attribs);
      if (target !== undefined) element.attribs.href = target;
    } else if (CLICKABLE_ROWS.has(element.name) && (element.attribs.onclick || hasDataLink(element))) {
      const target = scriptLinkTarget(element.attribs);
      if (target !== undefined && !holdsLink(element)) linkHeadline($, element, target);
    }
    walk($, element);
  }
}

/**
 * Elements a page makes clickable as a whole row (`<tr onclick="window.open('…')">`, `<li
 * data-href="…">`): without a link inside, the row's headline gets one, so it reads as any linked row.
 */
const CLICKABLE_ROWS = new Set(['tr', 'li', 'div', 'dd', 'dt', 'p', 'td', 'article', 'section', 'span']);

function hasDataLink(element: Element): boolean {
  return DATA_ATTRIBUTES.some((name) => element.attribs[name] !== undefined);
}

/** True when a link the reader can follow is already inside (its own headline link wins). */
function holdsLink(node: Element): boolean {
  return node.children.some(
    (child) =>
      child.type === 'tag' &&
      (((child as Element).name === 'a' && isUsableHref((child as Element).attribs.href)) ||
        holdsLink(child as Element)),
  );
}

/**
 * Wraps the row's headline — its longest block of words (not a date or a number), or the row's own
 * text — in an `<a href>` to `target`, so the row keeps its structure (`tr > td` still selects cells).
 */
function linkHeadline($: CheerioAPI, row: Element, target: string): void {
  const leaves: Array<{ element: Element; length: number }> = [];
  collectLeaves(row, leaves);
  const best = leaves.reduce<{ element: Element; length: number } | undefined>(
    (top, leaf) => (top === undefined || leaf.length > top.length ? leaf : top),
    undefined,
  );
  if (!best) return;
  const holder = best.element;
  const anchor = $('<a></a>').attr('href', target);
  // Beside elements of its own (`<li onclick>标题<span>2024-11-20</span></li>`), only the words get
  // the link: the date next to them stays out of the headline.
  if (holder.children.some((child) => child.type === 'tag')) $(longestTextNode(holder)).wrap(anchor);
  else $(holder).wrapInner(anchor);
}

/** The element's direct text node with the most characters. */
function longestTextNode(element: Element): Text {
  let best: Text | undefined;
  for (const child of element.children)
    if (child.type === 'text' && (!best || (child as Text).data.trim().length > best.data.trim().length))
      best = child as Text;
  return best as Text;
}

/** Elements whose own text (not inside a child element) has letters or ideographs, with its length. */
function collectLeaves(node: Element, out: Array<{ element: Element; length: number }>): void {
  let own = '';
  for (const child of node.children) {
    if (child.type === 'text') own += (child as unknown as { data: string }).data;
    else if (child.type === 'tag' && !SKIPPED_TAGS.has((child as Element).name)) collectLeaves(child as Element, out);
  }
  const text = own.trim();
  if (WORDED.test(text)) out.push({ element: node, length: text.length });
}

const SKIPPED_TAGS = new Set(['script', 'style', 'noscript', 'template', 'select', 'button', 'input']);
/** A letter or ideograph: text that is more than a date, a count or punctuation. */
const WORDED = /\p{L}/u;
