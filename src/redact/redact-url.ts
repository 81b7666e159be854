/**
 * A service URL (Redis store or run coordinator) made safe to print: any user name and password
 * become `***`, so logs, errors and `status` never show credentials.
 */
export function redactUrl(url: string): string {
  // `redis://user:secret@host`, `redis://:secret@host` and `redis://secret@host` all carry a secret
  // before the last `@` of the authority; the whole user-info part goes, parseable URL or not.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1***@');
}
