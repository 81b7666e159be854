/** Item summaries: HTML sanitized for feed readers, plain text folded and trimmed. */
import { createRequire } from 'node:module';
import type SanitizeHtml from 'sanitize-html';
import { resolveLink } from '../url/canonicalize-url.js';
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
