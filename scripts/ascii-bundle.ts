/**
 * Rewrites a bundle esbuild wrote so that it is ASCII only: each non-ASCII UTF-16 code unit left in
 * it becomes a `\uXXXX` escape. esbuild escapes them in strings and templates (its default charset)
 * but leaves them in regular expressions (the date parsers' 年月日, 小时, 下午…) and comments; a
 * file with any of them must be decoded as UTF-8 into a two-byte string, which took 41-43 ms for the
 * 2.8 MB CLI bundle on a 2.1 GHz machine, against 22-23 ms as one-byte text once it is ASCII (see
 * src/vendor/vendor-bundle.ts, which reads an ASCII file as latin1).
 *
 * The escape means the same in a regular expression, with or without the `u` flag (an astral
 * character becomes an escaped surrogate pair, which `u` reads as one code point), and nothing in a
 * comment. After an escaping backslash it would not (`\年` is the character, `\\u5E74` a backslash):
 * a bundle with one is refused rather than changed.
 */
import { readFileSync, writeFileSync } from 'node:fs';

export function writeAsciiOnly(path: string): void {
  const text = readFileSync(path, 'utf8');
  const escapedAfterBackslash = /(?<!\\)(?:\\\\)*\\[^\x00-\x7f]/.exec(text);
  if (escapedAfterBackslash)
    throw new Error(
      `${path}: a backslash before a non-ASCII character at offset ${escapedAfterBackslash.index}; ` +
        'write the character without the backslash in the source, or as a \\u escape',
    );
  writeFileSync(
    path,
    text.replace(/[^\x00-\x7f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`),
  );
}
