/** Item summaries: HTML sanitized for feed readers, plain text folded and trimmed. */
import { createRequire } from 'node:module';
import type SanitizeHtml from 'sanitize-html';
import { resolveLink } from '../url/canonicalize-url.js';
import type { WarningCollector } from '../warnings.js';
import { foldWhitespace, trimText } from './fold-text.js';

const ALLOWED_TAGS = [
  'p',
  'br',
  'hr',
  'div',
  'span',
  'blockquote',
  'pre',
  'code',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'a',
  'img',
  'figure',
  'figcaption',
  'b',
  'strong',
  'i',
  'em',
  'u',
  's',
  'sub',
  'sup',
  'small',
  'mark',
  'q',
  'cite',
  'abbr',
  'time',
  'table',
  'thead',
  'tbody',
  'tfoot',
  'tr',
  'th',
  'td',
  'caption',
];

/** Sanitizes an HTML fragment: no scripts, styles, iframes or event handlers; links and images made absolute. */
export function sanitizeSummaryHtml(html: string, baseUrl: string): string {
  return loadSanitizeHtml()(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: {
      a: ['href', 'title'],
      img: ['src', 'alt', 'title', 'width', 'height'],
      time: ['datetime'],
      td: ['colspan', 'rowspan'],
      th: ['colspan', 'rowspan'],
    },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: absolutise(attribs, 'href', baseUrl) }),
      img: (tagName, attribs) => ({ tagName, attribs: absolutise(withLazySource(attribs), 'src', baseUrl) }),
    },
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
  }).trim();
}

/**
 * Longest HTML summary kept, in UTF-16 units (about 256 KB of Latin text, 768 KB of UTF-8 Chinese).
 * Full-text feeds carry whole articles, which rarely pass 100 KB of markup; a summary of megabytes
 * is a hostile or broken page, and would be copied into every feed format, the store and each read.
 */
export const MAX_HTML_SUMMARY_CHARS = 256 * 1024;

/** The HTML summary of the item `label` names, cut to the cap with a `summary-truncated` warning when over it. */
export function capHtmlSummary(html: string, label: string, warnings: WarningCollector): string {
  const capped = capSummaryHtml(html);
  if (capped.cutFrom !== undefined)
    warnings.add(
      'summary-truncated',
      `the HTML summary of "${trimText(foldWhitespace(label), 80)}" has ${capped.cutFrom} characters; it was cut to ${MAX_HTML_SUMMARY_CHARS} (a hostile or broken page?)`,
    );
  return capped.html;
}

/** Plain-text summary: whitespace folded, trimmed to `max` characters; undefined when empty. */
export function toPlainSummary(text: string, max: number): string | undefined {
  const folded = foldWhitespace(text);
  return folded === '' ? undefined : trimText(folded, max);
}

/** Plain text of an HTML fragment (tags removed, entities decoded by sanitize-html's parser). */
export function htmlToText(html: string): string {
  const text = loadSanitizeHtml()(html.replace(/<(?:br|\/p|\/div|\/li|\/h\d)\b[^>]*>/gi, '$& '), {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: ['script', 'style', 'textarea', 'noscript', 'iframe', 'template'],
  });
  return foldWhitespace(decodeBasicEntities(text));
}

// --- Internal helpers ---

/** sanitize-html (with postcss, ~0.1 s to load) is loaded by the first HTML summary, not at start-up. */
function loadSanitizeHtml(): typeof SanitizeHtml {
  sanitizeHtml ??= requireModule('sanitize-html') as typeof SanitizeHtml;
  return sanitizeHtml;
}

const requireModule = createRequire(import.meta.url);
let sanitizeHtml: typeof SanitizeHtml | undefined;

function absolutise(attribs: Record<string, string>, name: string, baseUrl: string): Record<string, string> {
  const value = attribs[name];
  if (value === undefined) return attribs;
  const { [name]: _dropped, ...rest } = attribs;
  const resolved = value.startsWith('mailto:') ? value : resolveLink(value, baseUrl);
  return resolved ? { ...rest, [name]: resolved } : rest;
}

/** Lazy-loading pages keep the real image in data-src / data-original. */
function withLazySource(attribs: Record<string, string>): Record<string, string> {
  const lazy = attribs['data-src'] ?? attribs['data-original'] ?? attribs['data-lazy-src'];
  return lazy && (!attribs.src || attribs.src.startsWith('data:')) ? { ...attribs, src: lazy } : attribs;
}

/** sanitize-html re-escapes text it outputs; undo the five XML escapes to get plain text. */
function decodeBasicEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&#x27;|&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/**
 * An HTML summary cut to {@link MAX_HTML_SUMMARY_CHARS} (before a tag or entity the cut would split,
 * then `…`), or the summary itself; `cutFrom` is the original length when it was cut. Sanitizing the
 * cut markup closes the elements it leaves open.
 */
function capSummaryHtml(html: string): { html: string; cutFrom?: number } {
  if (html.length <= MAX_HTML_SUMMARY_CHARS) return { html };
  let cut = html.slice(0, MAX_HTML_SUMMARY_CHARS);
  const open = cut.lastIndexOf('<');
  if (open > cut.lastIndexOf('>')) cut = cut.slice(0, open);
  const amp = cut.lastIndexOf('&');
  if (amp > cut.length - 12 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  // Not between the halves of a surrogate pair.
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return { html: `${cut}…`, cutFrom: html.length };
}
