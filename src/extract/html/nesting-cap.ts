/**
 * A cap on how deep the page's elements nest, applied to the HTML text before parsing. htmlparser2
 * keeps its open-element stack with `Array#unshift`/`shift`, so each tag costs time in proportion to
 * the depth and a page of 100,000 nested `<div>`s takes minutes to parse; the stage's recursive walks
 * would overflow the call stack on it as well. Like Chromium's parser (which stops nesting at 512),
 * elements opened below the cap are dropped (their content is kept, one level up) and a warning says
 * so. One linear scan; the text is only rewritten when the cap is hit.
 */

import type { WarningCollector } from '../warnings.js';

/** Deepest element nesting kept (Chromium's HTML parser uses the same limit). */
export const MAX_NESTING_DEPTH = 512;

/** The HTML to parse and how many element wrappers were dropped. */
export interface CappedHtml {
  html: string;
  /** Open tags removed (with their end tags) below {@link MAX_NESTING_DEPTH}. */
  dropped: number;
}

/** Drops element tags nested deeper than `maxDepth`, keeping their content. */
export function capNesting(html: string, maxDepth = MAX_NESTING_DEPTH): CappedHtml {
  // Cheap exit: a page with fewer open tags than the cap cannot nest deeper than it.
  if (countOpenTags(html, maxDepth) <= maxDepth) return { html, dropped: 0 };
  const stack: string[] = [];
  const droppedOpen = new Map<string, number>();
  const cuts: Array<[number, number]> = [];
  let dropped = 0;
  const tag: ScannedTag = { start: 0, end: 0, nameStart: 0, nameEnd: 0, closing: false };
  for (let from = 0; nextTag(html, from, tag); from = tag.end) {
    const name = html.slice(tag.nameStart, tag.nameEnd).toLowerCase();
    const { start, end } = tag;
    if (tag.closing) {
      const pending = droppedOpen.get(name) ?? 0;
      if (pending > 0) {
        droppedOpen.set(name, pending - 1);
        cuts.push([start, end]);
        continue;
      }
      // The stack never exceeds the cap, so this search is bounded.
      // Popping is inlined where assigning `length` is a runtime call.
      const at = stack.lastIndexOf(name);
      if (at >= 0) while (stack.length > at) stack.pop();
      continue;
    }
    if (VOID.has(name)) continue;
    closeImplied(stack, name);
    if (stack.length >= maxDepth) {
      droppedOpen.set(name, (droppedOpen.get(name) ?? 0) + 1);
      cuts.push([start, end]);
      dropped += 1;
    } else stack.push(name);
    if (RAW_TEXT.has(name)) tag.end = skipRawText(html, name, end);
  }
  if (dropped === 0) return { html, dropped: 0 };
  const parts: string[] = [];
  let from = 0;
  for (const [start, end] of cuts) {
    parts.push(html.slice(from, start));
    from = end;
  }
  parts.push(html.slice(from));
  return { html: parts.join(''), dropped };
}

/** {@link capNesting} with a `nesting-capped` warning when wrappers were dropped; returns the text to parse. */
export function readCappedBody(body: string, warnings: WarningCollector): string {
  const capped = capNesting(body);
  if (capped.dropped > 0) {
    warnings.add(
      'nesting-capped',
      `the page nests elements deeper than ${MAX_NESTING_DEPTH} levels; ${capped.dropped} deeper wrapper element(s) were ignored (their text is kept)`,
    );
  }
  return capped.html;
}

// --- Internal helpers ---

/** Where {@link nextTag} found a start or end tag: the tag's span, its name's span, and whether it is an end tag. */
interface ScannedTag {
  start: number;
  end: number;
  nameStart: number;
  nameEnd: number;
  closing: boolean;
}

/**
 * Finds the next start or end tag at or after `from` (attributes up to the first `>`), skipping
 * comments (to `-->`, or to the end of the text when unterminated); fills `tag` and returns true,
 * or returns false when there is none. The same tags as the regular expression
 * `<!--[\s\S]*?(?:-->|$)|<(\/?)([a-zA-Z][^\s/>]*)[^>]*>`, found without allocating a match per tag:
 * on a 100 KB page with thousands of tags the match arrays were most of this stage's garbage.
 */
function nextTag(html: string, from: number, tag: ScannedTag): boolean {
  const length = html.length;
  for (let lt = html.indexOf('<', from); lt !== -1; lt = html.indexOf('<', lt + 1)) {
    let at = lt + 1;
    const next = html.charCodeAt(at);
    if (next === 0x21 /* ! */ && html.startsWith('!--', at)) {
      const close = html.indexOf('-->', lt + 4);
      if (close === -1) return false;
      lt = close + 2;
      continue;
    }
    const closing = next === 0x2f; /* / */
    if (closing) at += 1;
    if (!isAsciiLetter(html.charCodeAt(at))) continue;
    const nameStart = at;
    at += 1;
    while (at < length && !endsTagName(html.charCodeAt(at))) at += 1;
    const gt = html.indexOf('>', at);
    // No `>` after this `<`: none after any later `<` either.
    if (gt === -1) return false;
    tag.start = lt;
    tag.end = gt + 1;
    tag.nameStart = nameStart;
    tag.nameEnd = at;
    tag.closing = closing;
    return true;
  }
  return false;
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a);
}

/** `/`, `>` or a character of the regular expression class `\s` (ends a tag name). */
function endsTagName(code: number): boolean {
  if (code === 0x2f || code === 0x3e || code === 0x20) return true;
  if (code < 0x80) return code >= 0x09 && code <= 0x0d;
  return (
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
  'keygen',
]);
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'plaintext', 'iframe', 'noembed']);
const P_ONLY: ReadonlySet<string> = new Set(['p']);
const FORM_TAGS: ReadonlySet<string> = new Set([
  'input',
  'option',
  'optgroup',
  'select',
  'button',
  'datalist',
  'textarea',
]);
/**
 * Start tags that first end the open element on top when it is one of the listed kinds: htmlparser2's
 * own table (`openImpliesClose`), so the depth counted here is the depth htmlparser2 builds. (It is not
 * the browser's: `<li><p>…<li>` nests there; rows merged that way are re-read on a parse5 tree.)
 */
const IMPLIES_CLOSE: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['tr', new Set(['tr', 'th', 'td'])],
  ['th', new Set(['th'])],
  ['td', new Set(['thead', 'th', 'td'])],
  ['li', new Set(['li'])],
  ['option', new Set(['option'])],
  ['optgroup', new Set(['optgroup', 'option'])],
  ['dd', new Set(['dd', 'dt'])],
  ['dt', new Set(['dd', 'dt'])],
  ['rt', new Set(['rt', 'rp'])],
  ['rp', new Set(['rt', 'rp'])],
  ['tbody', new Set(['thead', 'tbody'])],
  ['tfoot', new Set(['thead', 'tbody'])],
  ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((tag): [string, ReadonlySet<string>] => [
    tag,
    FORM_TAGS,
  ]),
  ...[
    'p',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'address',
    'article',
    'aside',
    'blockquote',
    'details',
    'div',
    'dl',
    'fieldset',
    'figcaption',
    'figure',
    'footer',
    'form',
    'header',
    'hr',
    'main',
    'nav',
    'ol',
    'pre',
    'section',
    'table',
    'ul',
  ].map((tag): [string, ReadonlySet<string>] => [tag, P_ONLY]),
]);

function closeImplied(stack: string[], name: string): void {
  const closes = IMPLIES_CLOSE.get(name);
  if (!closes) return;
  while (stack.length > 0 && closes.has(stack[stack.length - 1] as string)) stack.pop();
}

/** Where scanning resumes after a raw-text element's content (its end tag, or the end of the text). */
function skipRawText(html: string, name: string, from: number): number {
  const end = new RegExp(`</${name}\\s*>`, 'gi');
  end.lastIndex = from;
  const match = end.exec(html);
  return match ? match.index : html.length;
}

const OPEN_TAG = /<[a-zA-Z]/g;

/** Counts start tags, stopping once past `limit` (`test`, unlike `exec`, allocates no match). */
function countOpenTags(html: string, limit: number): number {
  OPEN_TAG.lastIndex = 0;
  let count = 0;
  while (count <= limit && OPEN_TAG.test(html)) count += 1;
  return count;
}
