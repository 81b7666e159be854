/**
 * Rewrites a JavaScript regular expression into RE2 syntax with the same meaning, or says which part
 * RE2 cannot run. RE2 matches in time linear in the input, so it cannot run what needs backtracking:
 * backreferences and lookaround. Where the two dialects read the same text differently, the JavaScript
 * meaning is kept: `\s` and `.` use JavaScript's wider sets, `\uXXXX` and `(?<name>…)` are spelled the
 * RE2 way, `[^]` matches anything.
 */

/** A pattern RE2 cannot run: why, and where (0-based offset in the pattern) when one part is to blame. */
export class UnsupportedPatternError extends Error {
  override name = 'UnsupportedPatternError';
  constructor(
    readonly offset: number | undefined,
    readonly reason: string,
  ) {
    super(offset === undefined ? reason : `${reason} (at character ${offset + 1} of the pattern)`);
  }
}

/** Translates `source` (JavaScript syntax, already known to compile there) to RE2 syntax. */
export function translatePattern(source: string, dotAll: boolean): string {
  let out = '';
  let inClass = false;
  let i = 0;
  while (i < source.length) {
    const ch = source[i]!;
    if (ch === '\\') {
      const escape = translateEscape(source, i, inClass);
      out += escape.text;
      i = escape.end;
    } else if (inClass) {
      if (ch === ']') inClass = false;
      // RE2 reads `[:alpha:]` inside a class as a POSIX class; JavaScript reads a literal `[`.
      out += ch === '[' ? '\\[' : ch;
      i += 1;
    } else if (ch === '[') {
      const special = translateSpecialClass(source, i);
      if (special) {
        out += special.text;
        i = special.end;
      } else {
        inClass = true;
        out += ch;
        i += 1;
      }
    } else if (ch === '(') {
      const group = translateGroupOpening(source, i);
      out += group.text;
      i = group.end;
    } else if (ch === '.') {
      out += dotAll ? ANY : NOT_LINE_TERMINATOR;
      i += 1;
    } else {
      out += ch;
      i += 1;
    }
  }
  return out;
}

// --- Internal helpers ---

/** JavaScript's `\s`: WhiteSpace and LineTerminator (ECMA-262 22.2.2.9), as class ranges. */
const SPACE_RANGES =
  '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';

/** Everything `\s` does not match, as class ranges (usable inside another class, unlike `[^…]`). */
const NOT_SPACE_RANGES =
  '\\x{0}-\\x{8}\\x{E}-\\x{1F}\\x{21}-\\x{9F}\\x{A1}-\\x{167F}\\x{1681}-\\x{1FFF}\\x{200B}-\\x{2027}\\x{202A}-\\x{202E}' +
  '\\x{2030}-\\x{205E}\\x{2060}-\\x{2FFF}\\x{3001}-\\x{FEFE}\\x{FF00}-\\x{10FFFF}';

const ANY = '[\\x{0}-\\x{10FFFF}]';

/** JavaScript's `.` without the `s` flag excludes four line terminators; RE2's only excludes `\n`. */
const NOT_LINE_TERMINATOR = '[^\\n\\r\\x{2028}\\x{2029}]';

const SIMPLE_ESCAPES = new Set(['d', 'D', 'w', 'W', 'b', 'B', 't', 'n', 'r', 'f', 'v']);

interface Piece {
  text: string;
  end: number;
}

function translateEscape(source: string, at: number, inClass: boolean): Piece {
  const next = source[at + 1];
  if (next === undefined) return { text: '\\\\', end: at + 1 };
  if (next >= '1' && next <= '9') {
    throw new UnsupportedPatternError(
      at,
      `backreference \\${next} needs backtracking, which the linear-time engine cannot do`,
    );
  }
  if (next === 'k' && source[at + 2] === '<') {
    throw new UnsupportedPatternError(
      at,
      'named backreference \\k<…> needs backtracking, which the linear-time engine cannot do',
    );
  }
  if (next === 's') return { text: inClass ? SPACE_RANGES : `[${SPACE_RANGES}]`, end: at + 2 };
  if (next === 'S') return { text: inClass ? NOT_SPACE_RANGES : `[${NOT_SPACE_RANGES}]`, end: at + 2 };
  if (next === 'b' && inClass) return { text: '\\x{8}', end: at + 2 };
  if (SIMPLE_ESCAPES.has(next)) return { text: `\\${next}`, end: at + 2 };
  if (next === '0' && !/[0-9]/.test(source[at + 2] ?? '')) return { text: '\\x{0}', end: at + 2 };
  if (next === 'u') return translateUnicodeEscape(source, at);
  if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(source.slice(at + 2, at + 4)))
    return { text: `\\x{${source.slice(at + 2, at + 4)}}`, end: at + 4 };
  if (next === 'c' && /^[a-zA-Z]$/.test(source[at + 2] ?? '')) {
    return { text: codePoint(source.charCodeAt(at + 2) % 32), end: at + 3 };
  }
  if (next === 'p' || next === 'P') return translatePropertyEscape(source, at);
  if (/[a-zA-Z0-9]/.test(next)) {
    throw new UnsupportedPatternError(
      at,
      `escape \\${next} has no meaning the linear-time engine shares; write the character itself`,
    );
  }
  // Escaped punctuation (`\.`, `\/`, `\(`…) means the character itself in both dialects.
  const char = String.fromCodePoint(source.codePointAt(at + 1)!);
  return { text: /[\p{L}\p{N}\s]/u.test(char) ? char : `\\${char}`, end: at + 1 + char.length };
}

function translateUnicodeEscape(source: string, at: number): Piece {
  const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(source.slice(at + 2));
  if (braced) return { text: codePoint(parseInt(braced[1]!, 16)), end: at + 2 + braced[0].length };
  const hex = source.slice(at + 2, at + 6);
  if (!/^[0-9a-fA-F]{4}$/.test(hex))
    throw new UnsupportedPatternError(at, 'incomplete \\u escape; write \\uXXXX with four hex digits');
  const unit = parseInt(hex, 16);
  // A surrogate pair written as two escapes is one character (the way the `u` flag reads it).
  const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(source.slice(at + 6));
  if (unit >= 0xd800 && unit <= 0xdbff && low) {
    const pair = String.fromCharCode(unit, parseInt(low[1]!, 16)).codePointAt(0)!;
    return { text: codePoint(pair), end: at + 12 };
  }
  return { text: codePoint(unit), end: at + 6 };
}

/** `\p{Script=Han}`, `\p{sc=Han}` and `\p{gc=L}` are spelled `\p{Han}` and `\p{L}` in RE2. */
function translatePropertyEscape(source: string, at: number): Piece {
  const match = /^\{([A-Za-z_]+)(?:=([A-Za-z_]+))?\}/.exec(source.slice(at + 2));
  if (!match) throw new UnsupportedPatternError(at, `property escape \\${source[at + 1]} needs a {Name}`);
  const [whole, key, value] = match;
  if (value !== undefined && !['Script', 'sc', 'General_Category', 'gc'].includes(key!)) {
    throw new UnsupportedPatternError(
      at,
      `property ${key}= is not supported by the linear-time engine; use a script or category, e.g. \\p{Han}`,
    );
  }
  return { text: `\\${source[at + 1]}{${value ?? key}}`, end: at + 2 + whole!.length };
}

/** `[^]` (anything) and `[]` (nothing) have no spelling of their own in RE2. */
function translateSpecialClass(source: string, at: number): Piece | undefined {
  if (source.startsWith('[^]', at)) return { text: ANY, end: at + 3 };
  if (source.startsWith('[]', at)) return { text: `[^${ANY.slice(1)}`, end: at + 2 };
  return undefined;
}

function translateGroupOpening(source: string, at: number): Piece {
  if (source[at + 1] !== '?') return { text: '(', end: at + 1 };
  const rest = source.slice(at + 2, at + 4);
  if (rest.startsWith('=') || rest.startsWith('!')) {
    throw new UnsupportedPatternError(
      at,
      `lookahead (?${rest[0]}…) needs backtracking, which the linear-time engine cannot do`,
    );
  }
  if (rest === '<=' || rest === '<!') {
    throw new UnsupportedPatternError(
      at,
      `lookbehind (?${rest}…) needs backtracking, which the linear-time engine cannot do; match the text and keep it with $1 instead`,
    );
  }
  if (rest.startsWith('<')) return { text: '(?P<', end: at + 3 };
  if (rest.startsWith(':')) return { text: '(?:', end: at + 3 };
  throw new UnsupportedPatternError(
    at,
    `group modifier (?${rest[0] ?? ''}…) is not supported by the linear-time engine`,
  );
}

function codePoint(value: number): string {
  return `\\x{${value.toString(16).toUpperCase()}}`;
}
