/** Key layout inside the store's namespace. Source ids never contain ':' after encoding, so keys cannot collide. */

/** Key of one item record. */
export function itemKey(sourceId: string, id: string): string {
  return `item:${encodePart(sourceId)}:${id}`;
}

/** Key of a source's history (newest items, newest first). */
export function historyKey(sourceId: string): string {
  return `history:${encodePart(sourceId)}`;
}

/** Key of a source's index of item records and their expiry. */
export function indexKey(sourceId: string): string {
  return `index:${encodePart(sourceId)}`;
}

/** Key of a source's fetch validators. */
export function validatorsKey(sourceId: string): string {
  return `validators:${encodePart(sourceId)}`;
}

/** Key of a source's health. */
export function healthKey(sourceId: string): string {
  return `health:${encodePart(sourceId)}`;
}

/** Key of a state part or a cached entry: `record:<namespace>:<key>`, the prefix of earlier versions (kept so existing stores stay readable). */
export function partKey(namespace: string, key: string): string {
  return `record:${encodePart(namespace)}:${encodePart(key)}`;
}

/** Key of the cached detail-page findings of one item link (`record:detail:<link>`, the layout of earlier versions). */
export function detailKey(link: string): string {
  return partKey('detail', link);
}

/** Key of the record of the site files written to one output folder (`record:written-site:<place>`). */
export function writtenSiteKey(place: string): string {
  return partKey('written-site', place);
}

/** Key of the list of known sources. */
export const REGISTRY_KEY = 'sources';

/** Key of the announcements of the workers sharing the store (config hashes). */
export const WORKERS_KEY = 'workers';

/** Key of the schema marker. */
export const META_KEY = 'meta';

// --- Internal helpers ---

function encodePart(part: string): string {
  return encodeURIComponent(part);
}
