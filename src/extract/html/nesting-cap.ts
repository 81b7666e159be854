/**
 * A cap on how deep the page's elements nest. htmlparser2 keeps its open-element stack with
 * `Array#unshift`/`shift`, so each tag costs time in proportion to the depth and a page of 100,000
 * nested `<div>`s takes minutes to parse; the stage's recursive walks would overflow the call stack on
 * it as well. Like Chromium's parser (which stops nesting at 512), elements opened below the cap are
 * dropped (their content is kept, one level up) and a warning says so.
 *
 * A page is first parsed as it is, by a tree builder that gives up as soon as an element opens below
 * the cap ({@link parseWithinDepth}): ordinary pages pay one comparison per tag. Only a page that goes
 * deeper is rewritten before parsing again ({@link capNesting}: one linear scan of the text that
 * follows htmlparser2's own implied end tags). Scanning every page first was 7–8 % of a list page's
 * extraction.
 */

import { DomHandler, type Document } from 'domhandler';
import { Parser } from 'htmlparser2';
import type { WarningCollector } from '../warnings.js';
import { isRegExpSpace } from '../text/fold-text.js';

/** How every page is parsed with htmlparser2 (cheerio's `load` takes them as its `xml` option). */
export const HTMLPARSER2_OPTIONS = { xmlMode: false, decodeEntities: true } as const;

/** Deepest element nesting kept (Chromium's HTML parser uses the same limit). */
export const MAX_NESTING_DEPTH = 512;

/** The HTML to parse and how many element wrappers were dropped. */
export interface CappedHtml {
  html: string;
  /** Open tags removed (with their end tags) below {@link MAX_NESTING_DEPTH}. */
  dropped: number;
}

/**
 * The page's tree as cheerio's htmlparser2 back end builds it (the same parser options), or undefined
 * when an element opens deeper than `maxDepth`: the parse stops there, before its cost grows with the
 * depth, and the caller caps the text ({@link readCappedBody}) and parses that instead.
 */
export function parseWithinDepth(html: string, maxDepth = MAX_NESTING_DEPTH): Document | undefined {
  const handler = new DepthLimitedHandler(maxDepth);
  try {
    new Parser(handler, HTMLPARSER2_OPTIONS).end(html);
  } catch (error) {
    if (error === TOO_DEEP) return undefined;
    throw error;
  }
  return handler.root;
}

/** Drops element tags nested deeper than `maxDepth`, keeping their content. */
export function capNesting(html: string, maxDepth = MAX_NESTING_DEPTH): CappedHtml {
  // Tag names are numbers (see nameCode): a list page has thousands of tags, and a string per tag
  // (slice, lower case) was most of this scan's time and garbage.
  const stack: number[] = [];
  const rareNames = new Map<string, number>();
  const droppedOpen = new Map<number, number>();
  const cuts: Array<[number, number]> = [];
  let dropped = 0;
  const tag: ScannedTag = { start: 0, end: 0, nameStart: 0, nameEnd: 0, closing: false };
  for (let from = 0; nextTag(html, from, tag); from = tag.end) {
    const name = nameCode(html, tag.nameStart, tag.nameEnd, rareNames);
    const { start, end } = tag;
    if (tag.closing) {
      const pending = droppedOpen.size === 0 ? 0 : (droppedOpen.get(name) ?? 0);
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
    // One lookup for what a start tag may do besides nesting (most tags: nothing).
    const rule = TAG_RULES.get(name);
    // A void tag ends the elements it implies closed (`<hr>` ends an open `<p>`), then nests nothing.
    if (rule?.closes) closeImplied(stack, rule.closes);
    if (rule?.isVoid) continue;
    if (stack.length >= maxDepth) {
      droppedOpen.set(name, (droppedOpen.get(name) ?? 0) + 1);
      cuts.push([start, end]);
      dropped += 1;
    } else stack.push(name);
    if (rule?.rawTextEnd) tag.end = skipRawText(html, rule.rawTextEnd, end);
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

/** Thrown by {@link DepthLimitedHandler} through the parser (one object: nothing is allocated per page). */
const TOO_DEEP = new Error('element nesting deeper than the cap');

/** domhandler's tree builder, stopping the parse when an element opens deeper than `maxDepth`. */
class DepthLimitedHandler extends DomHandler {
  /** The open elements plus the document itself, which `tagStack` holds at its bottom. */
  private readonly maxStack: number;

  constructor(maxDepth: number) {
    super(undefined, HTMLPARSER2_OPTIONS);
    this.maxStack = maxDepth + 1;
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    super.onopentag(name, attribs);
    // A void element closes at once and holds nothing: one level below the cap is as far as it goes,
    // and the cap's scan keeps it too.
    if (this.tagStack.length > this.maxStack && !VOID_ELEMENTS.has(name)) throw TOO_DEEP;
  }
}

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
  return code === 0x2f || code === 0x3e || isRegExpSpace(code);
}

/**
 * Names of up to this many ASCII letters and digits are coded as numbers: in bijective base 37 (digits
 * 1-36, never 0) every such name has its own code, below 37^10 < 2^53, so the code is exact.
 */
const MAX_CODED_LENGTH = 10;

/** Elements without content or end tag: htmlparser2's own list (its Parser's `voidElements`). */
const VOID_NAMES = [
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'img',
  'input',
  'isindex',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
];
const VOID: ReadonlySet<number> = codeSet(VOID_NAMES);
const VOID_ELEMENTS: ReadonlySet<string> = new Set(VOID_NAMES);
/** Elements whose content is text up to their end tag, with the pattern that finds that end tag. */
const RAW_TEXT: ReadonlyMap<number, RegExp> = new Map(
  ['script', 'style', 'textarea', 'title', 'xmp', 'plaintext', 'iframe', 'noembed'].map((name): [number, RegExp] => [
    codeOfName(name),
    new RegExp(`</${name}\\s*>`, 'gi'),
  ]),
);
const P_ONLY: ReadonlySet<number> = codeSet(['p']);
const FORM_TAGS: ReadonlySet<number> = codeSet([
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
const IMPLIES_CLOSE: ReadonlyMap<number, ReadonlySet<number>> = new Map(
  (
    [
      ['tr', codeSet(['tr', 'th', 'td'])],
      ['th', codeSet(['th'])],
      ['td', codeSet(['thead', 'th', 'td'])],
      ['li', codeSet(['li'])],
      ['option', codeSet(['option'])],
      ['optgroup', codeSet(['optgroup', 'option'])],
      ['dd', codeSet(['dd', 'dt'])],
      ['dt', codeSet(['dd', 'dt'])],
      ['rt', codeSet(['rt', 'rp'])],
      ['rp', codeSet(['rt', 'rp'])],
      ['tbody', codeSet(['thead', 'tbody'])],
      ['tfoot', codeSet(['thead', 'tbody'])],
      ...['select', 'input', 'output', 'button', 'datalist', 'textarea'].map((tag): [string, ReadonlySet<number>] => [
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
      ].map((tag): [string, ReadonlySet<number>] => [tag, P_ONLY]),
    ] as Array<[string, ReadonlySet<number>]>
  ).map(([name, closes]): [number, ReadonlySet<number>] => [codeOfName(name), closes]),
);

/** What a start tag does besides nesting: nothing (void), end open elements, or hold raw text. */
interface TagRule {
  isVoid: boolean;
  closes?: ReadonlySet<number>;
  rawTextEnd?: RegExp;
}

const TAG_RULES: ReadonlyMap<number, TagRule> = (() => {
  const rules = new Map<number, TagRule>();
  const ruleOf = (name: number): TagRule => {
    let rule = rules.get(name);
    if (rule === undefined) rules.set(name, (rule = { isVoid: false }));
    return rule;
  };
  for (const name of VOID) ruleOf(name).isVoid = true;
  for (const [name, closes] of IMPLIES_CLOSE) ruleOf(name).closes = closes;
  for (const [name, end] of RAW_TEXT) ruleOf(name).rawTextEnd = end;
  return rules;
})();

function closeImplied(stack: number[], closes: ReadonlySet<number>): void {
  while (stack.length > 0 && closes.has(stack[stack.length - 1] as number)) stack.pop();
}

/** Where scanning resumes after a raw-text element's content (its end tag, or the end of the text). */
function skipRawText(html: string, end: RegExp, from: number): number {
  end.lastIndex = from;
  const match = end.exec(html);
  return match ? match.index : html.length;
}

/**
 * The tag name at `html[start, end)`, lower-cased as htmlparser2 does, as a number: its code when it is
 * short and plain ASCII (every common tag), else a negative number given out per distinct name in `rare`.
 */
function nameCode(html: string, start: number, end: number, rare: Map<string, number>): number {
  const code = codeOf(html, start, end);
  if (code >= 0) return code;
  // Non-ASCII names are lower-cased by Unicode rules, which may make them ASCII (U+212A KELVIN SIGN is `k`).
  const name = html.slice(start, end).toLowerCase();
  const lowered = codeOf(name, 0, name.length);
  if (lowered >= 0) return lowered;
  let id = rare.get(name);
  if (id === undefined) {
    id = -(rare.size + 1);
    rare.set(name, id);
  }
  return id;
}

/** The code of `text[start, end)` lower-cased, or -1 when it is too long or holds other characters. */
function codeOf(text: string, start: number, end: number): number {
  if (end - start > MAX_CODED_LENGTH) return -1;
  let code = 0;
  for (let at = start; at < end; at++) {
    const char = text.charCodeAt(at);
    let digit: number;
    if (char >= 0x61 && char <= 0x7a) digit = char - 0x60;
    else if (char >= 0x41 && char <= 0x5a) digit = char - 0x40;
    else if (char >= 0x30 && char <= 0x39) digit = char - 0x30 + 27;
    else return -1;
    code = code * 37 + digit;
  }
  return code;
}

function codeOfName(name: string): number {
  const code = codeOf(name, 0, name.length);
  if (code < 0) throw new Error(`nesting cap: the tag name "${name}" has no code`);
  return code;
}

function codeSet(names: readonly string[]): ReadonlySet<number> {
  return new Set(names.map(codeOfName));
}
