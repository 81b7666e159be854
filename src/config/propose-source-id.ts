/** A readable, unique-enough source id for a page URL, for `preview` snippets. */

/** Longest id proposed; long paths keep their last segments, which name the list best. */
const MAX_ID_LENGTH = 64;

/** File names that say nothing about the list (`/news/index.html` is the news list). */
const INDEX_FILE = /^(?:index|default|list|main)\.(?:s?html?|php|aspx?|jsp)$/i;

/**
 * Host (without `www.`) plus a slug of the path and query: `https://www.mee.gov.cn/ywdt/hjywnews/`
 * → `mee.gov.cn-ywdt-hjywnews`. Two list pages of one site get two ids, so pasted snippets do not
 * collide; only letters, digits, `.`, `_` and `-` are used, as ids require.
 */
export function proposeSourceId(url: string): string {
  const parsed = new URL(url);
  const host = parsed.hostname.replace(/^www\./i, '').toLowerCase();
  const segments = parsed.pathname
    .split('/')
    .map((segment) => safeDecode(segment))
    .filter((segment) => segment !== '' && !INDEX_FILE.test(segment))
    .map((segment) => segment.replace(/\.(?:s?html?|php|aspx?|jsp)$/i, ''));
  const query = [...parsed.searchParams].flatMap(([key, value]) => [key, value]);
  const slug = slugify([...segments, ...query].join('-'));
  const hostPart = slugify(host) || 'source';
  if (slug === '') return hostPart.slice(0, MAX_ID_LENGTH);
  const room = MAX_ID_LENGTH - hostPart.length - 1;
  if (room < 8) return hostPart.slice(0, MAX_ID_LENGTH);
  return `${hostPart}-${slug.length > room ? lastWords(slug, room) : slug}`;
}

// --- Internal helpers ---

/** The end of `slug` within `room` characters, cut at a dash so no word is halved. */
function lastWords(slug: string, room: number): string {
  const tail = slug.slice(slug.length - room);
  const dash = tail.indexOf('-');
  return dash >= 0 && dash < tail.length - 1 ? tail.slice(dash + 1) : tail;
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape is kept as written; slugify turns the `%` into a dash.
    return segment;
  }
}
