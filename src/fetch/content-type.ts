/**
 * Which responses the fetcher accepts: HTML, XML feeds and JSON feeds for list pages, HTML only
 * for detail pages. Missing or vague types (text/plain, octet-stream) are decided by sniffing the body.
 */

/** A parsed Content-Type header. */
export interface MediaType {
  /** Lower-case `type/subtype`, without parameters. */
  essence: string;
  charset?: string;
}

/** What to do with a response given its declared type. */
export type ContentVerdict = 'accept' | 'sniff' | 'reject';

/** Parses a Content-Type header; undefined when there is none or it is empty. */
export function parseContentType(header: string | undefined): MediaType | undefined {
  if (!header) return undefined;
  const [essencePart, ...params] = header.split(';');
  const essence = (essencePart ?? '').trim().toLowerCase();
  if (!essence) return undefined;
  let charset: string | undefined;
  for (const param of params) {
    const match = /^\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(param);
    if (match?.[1]) charset = match[1];
  }
  return { essence, charset };
}

/** Decides from the declared type alone whether a response is wanted, unwanted or needs sniffing. */
export function judgeContentType(media: MediaType | undefined, purpose: 'page' | 'detail'): ContentVerdict {
  if (!media || SNIFFED_TYPES.has(media.essence)) return 'sniff';
  if (HTML_TYPES.has(media.essence)) return 'accept';
  if (purpose === 'page' && (XML_TYPES.has(media.essence) || JSON_TYPES.has(media.essence))) return 'accept';
  return 'reject';
}

/**
 * Guesses the type of a body from its first bytes; undefined when it is not markup. JSON is only
 * recognised for pages with no declared type (`declared` undefined): text/plain must be HTML or XML.
 */
export function sniffMediaType(body: Buffer, purpose: 'page' | 'detail', declared?: string): string | undefined {
  const head = stripLeadingNoise(body.subarray(0, 1024).toString('latin1'));
  if (/^<\?xml\b/i.test(head)) return hasHtmlRoot(head) ? 'application/xhtml+xml' : 'application/xml';
  if (HTML_START.test(head)) return 'text/html';
  if (purpose === 'page' && /^<(rss|feed|rdf:RDF)\b/i.test(head)) return 'application/xml';
  if (purpose === 'page' && declared === undefined && /^[{[]/.test(head)) return 'application/json';
  return undefined;
}

/** True for XML media types (where `<?xml encoding?>` is authoritative over `<meta>`). */
export function isXmlType(essence: string): boolean {
  return XML_TYPES.has(essence) || essence === 'application/xhtml+xml';
}

// --- Internal helpers ---

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

const XML_TYPES = new Set([
  'application/xml',
  'text/xml',
  'application/rss+xml',
  'application/atom+xml',
  'application/rdf+xml',
  // Legacy spellings still served by some sites.
  'application/x-rss+xml',
  'application/x-atom+xml',
  'text/rss+xml',
]);

const JSON_TYPES = new Set(['application/feed+json', 'application/json']);

/** Types that say nothing reliable about the body: decide by looking at it. */
const SNIFFED_TYPES = new Set(['text/plain', 'application/octet-stream', 'unknown/unknown', 'application/unknown']);

const HTML_START =
  /^<(!doctype\s+html|html|head|body|title|meta|script|div|table|p|a|ul|!--|br|h1|iframe|style|font|b)[\s>/]/i;

function stripLeadingNoise(text: string): string {
  // BOMs as read through latin1 (UTF-8, UTF-16 LE/BE), then whitespace.
  return text.replace(/^(\xEF\xBB\xBF|\xFF\xFE|\xFE\xFF)/, '').replace(/^[\s\0]+/, '');
}

function hasHtmlRoot(head: string): boolean {
  return /<(!doctype\s+html|html)\b/i.test(head);
}
