/**
 * User-written regular expressions (topic include/exclude, `replace:` rules) run in re2js, a pure
 * JavaScript port of RE2: matching time grows linearly with the text, so no pattern and no page can
 * freeze the process the way `/^(a+)+$/` on `aaaa…!` freezes V8's backtracking engine. The pattern
 * keeps JavaScript syntax and flags (i, m, s, u, g; d is accepted and has no effect) and `$1`,
 * `$<name>`, `$&` replacements, so a rule means what it would mean in `String.prototype.replace`.
 */
import { createRequire } from 'node:module';
import type { RE2JS } from 're2js';
import { translatePattern, UnsupportedPatternError } from './translate-pattern.js';

/** A compiled user pattern. */
export interface LinearRegex {
  readonly source: string;
  readonly flags: string;
  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  /** `text` with the first match (every match with the `g` flag) replaced, `$1`/`$<name>` expanded. */
  replace(text: string, replacement: string): string;
}

/**
 * Compiles a JavaScript-syntax pattern for the linear-time engine. Throws a SyntaxError when the
 * pattern is not a valid JavaScript regex, and UnsupportedPatternError when it is but needs
 * backtracking (backreferences, lookaround) or a flag the engine has no equivalent for.
 */
export function compileLinearRegex(source: string, flags: string): LinearRegex {
  const key = `${flags}/${source}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const regex = buildLinearRegex(source, flags);
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value!);
  compiled.set(key, regex);
  return regex;
}

/** Splits a `/source/flags` word (a topic include/exclude entry) into its parts; undefined for a plain word. */
export function splitSlashPattern(word: string): { source: string; flags: string } | undefined {
  const match = /^\/(.+)\/([a-z]*)$/su.exec(word);
  return match ? { source: match[1]!, flags: match[2]! } : undefined;
}

export { UnsupportedPatternError } from './translate-pattern.js';

// --- Internal helpers ---

/** Compiling costs about 0.15 ms; topic feeds recompile their patterns on every publish. */
const CACHE_LIMIT = 500;
const compiled = new Map<string, LinearRegex>();

/**
 * re2js, loaded on the first pattern compiled (synchronously, its CommonJS build): a config whose
 * topic feeds and rules hold plain words only, and a worker until its first run, never load it.
 */
function engine(): typeof RE2JS {
  return (re2js ??= (createRequire(import.meta.url)('re2js') as typeof import('re2js')).RE2JS);
}

let re2js: typeof RE2JS | undefined;

function buildLinearRegex(source: string, flags: string): LinearRegex {
  // V8 only parses here (parsing is linear); it gives JavaScript's own message for a syntax error.
  new RegExp(source, flags);
  if (flags.includes('y'))
    throw new UnsupportedPatternError(undefined, 'flag y (sticky) has no meaning for a whole field; remove it');
  if (flags.includes('v'))
    throw new UnsupportedPatternError(undefined, 'flag v (set notation) is not supported; use u');
  const prefix = `${flags.includes('i') ? '(?i)' : ''}${flags.includes('m') ? '(?m)' : ''}`;
  let re: RE2JS;
  try {
    re = engine().compile(prefix + translatePattern(source, flags.includes('s')));
  } catch (cause) {
    if (cause instanceof UnsupportedPatternError) throw cause;
    const detail = (cause as Error).message.replace(/^error parsing regexp: /, '');
    throw new UnsupportedPatternError(undefined, `the linear-time engine cannot run it (${detail})`);
  }
  const global = flags.includes('g');
  const named = re.namedGroups();
  return {
    source,
    flags,
    test: (text) => re.test(text),
    replace(text, replacement) {
      const matcher = re.matcher(text);
      let out = '';
      let last = 0;
      while (matcher.find()) {
        const match = {
          start: matcher.start(),
          end: matcher.end(),
          group: (g: number | string) => matcher.group(g) ?? '',
        };
        out += text.slice(last, match.start) + expandReplacement(replacement, text, match, re.groupCount(), named);
        last = match.end;
        if (!global) break;
      }
      return out + text.slice(last);
    },
  };
}

interface Match {
  start: number;
  end: number;
  group(ref: number | string): string;
}

/** ECMA-262 GetSubstitution: `$$`, `$&`, `` $` ``, `$'`, `$n`/`$nn` and `$<name>`. */
function expandReplacement(
  template: string,
  text: string,
  match: Match,
  groups: number,
  named: Record<string, number>,
): string {
  if (!template.includes('$')) return template;
  let out = '';
  for (let i = 0; i < template.length; i += 1) {
    const ch = template[i]!;
    const next = template[i + 1];
    if (ch !== '$' || next === undefined) {
      out += ch;
    } else if (next === '$') {
      out += '$';
      i += 1;
    } else if (next === '&') {
      out += match.group(0);
      i += 1;
    } else if (next === '`') {
      out += text.slice(0, match.start);
      i += 1;
    } else if (next === "'") {
      out += text.slice(match.end);
      i += 1;
    } else if (next >= '0' && next <= '9') {
      const two = Number(template.slice(i + 1, i + 3));
      const one = Number(next);
      if (/^\d\d$/.test(template.slice(i + 1, i + 3)) && two >= 1 && two <= groups) {
        out += match.group(two);
        i += 2;
      } else if (one >= 1 && one <= groups) {
        out += match.group(one);
        i += 1;
      } else {
        out += ch;
      }
    } else if (next === '<' && Object.keys(named).length > 0 && template.indexOf('>', i + 2) !== -1) {
      const close = template.indexOf('>', i + 2);
      const name = template.slice(i + 2, close);
      out += name in named ? match.group(name) : '';
      i = close;
    } else {
      out += ch;
    }
  }
  return out;
}
