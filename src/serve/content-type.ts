/** Content types of the files feedwright writes to output/, by file-name suffix. */

/** How a file is sent: its Content-Type and whether compressing it pays off. */
export interface ContentTypeInfo {
  type: string;
  compressible: boolean;
}

/** Returns the content type for a file name, or undefined for a suffix the server does not serve. */
export function findContentType(fileName: string): ContentTypeInfo | undefined {
  const lower = fileName.toLowerCase();
  const entry = SUFFIXES.find(([suffix]) => lower.endsWith(suffix));
  return entry?.[1];
}

// --- Internal helpers ---

/** Longest suffix first: `.rss.xml` must win over `.xml`. */
const SUFFIXES: Array<[string, ContentTypeInfo]> = [
  ['.rss.xml', { type: 'application/rss+xml; charset=utf-8', compressible: true }],
  ['.atom.xml', { type: 'application/atom+xml; charset=utf-8', compressible: true }],
  ['.feed.json', { type: 'application/feed+json; charset=utf-8', compressible: true }],
  ['.opml', { type: 'text/x-opml; charset=utf-8', compressible: true }],
  ['.html', { type: 'text/html; charset=utf-8', compressible: true }],
  ['.xml', { type: 'application/xml; charset=utf-8', compressible: true }],
  ['.xsl', { type: 'application/xslt+xml; charset=utf-8', compressible: true }],
  ['.json', { type: 'application/json; charset=utf-8', compressible: true }],
  ['.css', { type: 'text/css; charset=utf-8', compressible: true }],
  ['.txt', { type: 'text/plain; charset=utf-8', compressible: true }],
  ['.svg', { type: 'image/svg+xml', compressible: true }],
  ['.png', { type: 'image/png', compressible: false }],
  ['.ico', { type: 'image/x-icon', compressible: false }],
];
