/**
 * Maps a raw request target to a file name directly inside output/ — or refuses it.
 * The server never joins a raw path: it accepts one plain file-name segment and nothing else,
 * so `..`, percent-encoded dots and slashes, backslashes, NUL and absolute forms cannot escape.
 */

/** What a request target refers to. */
export type RequestTarget =
  | { kind: 'file'; name: string }
  | { kind: 'route'; route: 'healthz' | 'metrics' }
  | { kind: 'refused'; status: 400 | 404; reason: string };

/** Resolves a raw `req.url` (origin-form, e.g. `/air.rss.xml?x=1`) to a file name, a route, or a refusal. */
export function resolveRequestPath(rawUrl: string): RequestTarget {
  if (!rawUrl.startsWith('/')) return refuse(400, 'only origin-form request targets are served');
  const rawPath = rawUrl.split(/[?#]/, 1)[0] ?? '/';
  if (/\\|\0|%00|%2f|%5c/i.test(rawPath)) return refuse(400, 'encoded slash, backslash or NUL in the path');
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    // A malformed escape (e.g. `%E0%A4%A`) is the client's error, not ours.
    return refuse(400, 'malformed percent-encoding');
  }
  const segments = path.slice(1).split('/');
  if (segments.some((segment) => segment === '.' || segment === '..'))
    return refuse(400, 'dot segments are not allowed');
  if (segments.length === 1 && segments[0] === '') return { kind: 'file', name: 'index.html' };
  if (segments.length !== 1)
    return refuse(segments.includes('') ? 400 : 404, 'only files directly in the output folder are served');
  const name = segments[0] ?? '';
  if (name === 'healthz' || name === 'metrics') return { kind: 'route', route: name };
  if (name.length > 255 || !SAFE_NAME.test(name)) return refuse(404, 'not a published file name');
  return { kind: 'file', name };
}

// --- Internal helpers ---

/** Letters (any script), digits, dot, dash and underscore; no leading dot, so temp and hidden files stay private. */
const SAFE_NAME = /^[\p{L}\p{N}][\p{L}\p{N}._-]*$/u;

function refuse(status: 400 | 404, reason: string): RequestTarget {
  return { kind: 'refused', status, reason };
}
