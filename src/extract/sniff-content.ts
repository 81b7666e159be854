/** Telling a feed from an HTML page by its content type and, failing that, by its first markup. */

/** How a response body is to be read. */
export type ContentKind = 'feed' | 'html';

/** Sniffs whether a body is a feed (RSS 0.9x/2.0, RSS 1.0/RDF, Atom, JSON Feed) or an HTML page. */
export function sniffContent(body: string, contentType: string): ContentKind {
  const type = contentType.toLowerCase().split(';')[0]?.trim() ?? '';
  if (/^application\/(?:rss|atom|rdf)\+xml$|^application\/(?:feed\+)?json$|\+json$/.test(type)) return 'feed';
  const head = skipProlog(body.slice(0, 4096));
  if (head.startsWith('{') || head.startsWith('[')) return 'feed';
  const root = /^<([A-Za-z][\w:.-]*)/.exec(head)?.[1]?.toLowerCase();
  if (root === 'rss' || root === 'feed' || root === 'rdf:rdf' || root === 'rdf') return 'feed';
  return 'html';
}

// --- Internal helpers ---

/**
 * Skips a BOM, whitespace, the XML declaration, processing instructions, comments and a doctype,
 * with its internal subset (`<!DOCTYPE rss [<!ENTITY …>]>`, whose declarations hold `>` of their own):
 * a feed that declares entities is still a feed, and is then refused by name if they are external.
 */
function skipProlog(text: string): string {
  let rest = text.replace(/^\ufeff/, '');
  for (;;) {
    const trimmed = rest.trimStart();
    const prolog = /^(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE(?:[^>[]|\[[^\]]*\])*>)/i.exec(trimmed);
    if (!prolog) return trimmed;
    rest = trimmed.slice(prolog[0].length);
  }
}
