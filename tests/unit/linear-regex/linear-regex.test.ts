/** User patterns run in the linear-time engine with JavaScript's meaning, and what it cannot run is refused. */
import { describe, expect, it } from 'vitest';
import { compileLinearRegex, UnsupportedPatternError } from '../../../src/linear-regex/index.js';

const TEXTS = [
  '关于做好2019年秋冬季重污染天气应急减排清单修订工作的通知',
  'Air Quality Index: PM2.5 at 35µg/m³ — 27 Aug 2019',
  '國家發(fā)展改革委　印發《電解鋁行業》',
  'line one\nline two\r\nline\u2028three',
  'tab\there\u00a0nbsp\u3000ideographic space',
  'emoji 😀 and 𠀀 astral',
  '',
  'aaa',
  'Ünïcödé CASE ǅ ǆ',
];

/**
 * Pattern, flags, replacement: each must behave exactly as String.prototype.replace and RegExp.test do.
 * The engine always reads code points (as with the `u` flag), so cases that can split an astral
 * character carry `u`.
 */
const CASES: Array<[string, string, string]> = [
  ['PM2\\.5|臭氧|大气', 'i', '[$&]'],
  ['\\bair (quality|pollution)\\b', 'i', '<$1>'],
  ['(\\d{4})年(\\d{1,2})月', 'g', '$2/$1'],
  ['(?<year>\\d{4})', 'g', '$<year>!'],
  ['([\\u3400-\\u9fff\\uf900-\\ufaff])[(（]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)[)）]', 'gu', '$1'],
  ['\\s+', 'g', ' '],
  ['[\\s\\d]+', 'g', '_'],
  ['[^\\S\\n]+', 'g', '_'],
  ['\\S+', 'g', '<$&>'],
  ['^line', 'gm', 'L'],
  ['two$', 'm', 'TWO'],
  ['e.t', 'g', '#'],
  ['e.t', 'gs', '#'],
  ['[^]', '', 'X'],
  ['a*', 'gu', '-'],
  ['x*', 'gu', '-'],
  ['\\u{1F600}', 'u', ':)'],
  ['\\ud83d\\ude00', 'u', ':)'],
  ['\\p{Script=Han}+', 'gu', 'H'],
  ['\\p{L}+', 'gu', 'w'],
  ['(a)|(b)', 'g', '[$1|$2]'],
  ['(\\w+)', '', "$$ $` $' $0 $9 $<x>"],
  ['ünïcödé|ǅ', 'gi', '*'],
  ['\\/\\.\\-\\(', 'g', ''],
  ['\\x41|\\cJ|\\t|\\0', 'g', '~'],
  ['[-a-c[\\]]+', 'g', '@'],
  ['(?:ab)+?', 'g', '.'],
];

describe('compileLinearRegex', () => {
  it.each(CASES)('/%s/%s behaves like RegExp (replacement %s)', (source, flags, replacement) => {
    const linear = compileLinearRegex(source, flags);
    for (const text of TEXTS) {
      // Known difference: with `m`, `^` and `$` see only \n as a line end, not \r or U+2028 (titles hold neither).
      if (flags.includes('m') && /[\r\u2028]/.test(text)) continue;
      expect(linear.replace(text, replacement), text).toBe(text.replace(new RegExp(source, flags), replacement));
      expect(linear.test(text), text).toBe(new RegExp(source, flags.replace('g', '')).test(text));
    }
  });

  it('runs a catastrophic pattern in linear time', () => {
    const evil = `${'a'.repeat(40)}!`;
    const linear = compileLinearRegex('^(a+)+$', 'gu');
    expect(linear.test(evil)).toBe(false);
    expect(linear.replace(evil, 'x')).toBe(evil);
    expect(linear.replace('a'.repeat(40), '<$1>')).toBe(`<${'a'.repeat(40)}>`);
  });

  it.each([
    ['(?<=国)家', /lookbehind \(\?<=…\) needs backtracking.*character 1/],
    ['a(?<!b)', /lookbehind \(\?<!…\).*character 2/],
    ['x(?=y)', /lookahead \(\?=…\)/],
    ['x(?!y)', /lookahead \(\?!…\)/],
    ['(a)\\1', /backreference \\1/],
    ['(?<n>a)\\k<n>', /named backreference/],
    ['a{2000}', /cannot run it \(invalid repeat count/],
  ])('refuses /%s/ and says why', (source, reason) => {
    expect(() => compileLinearRegex(source, 'u')).toThrow(UnsupportedPatternError);
    expect(() => compileLinearRegex(source, 'u')).toThrow(reason);
  });

  it('refuses the sticky and set-notation flags, and reports JavaScript syntax errors as such', () => {
    expect(() => compileLinearRegex('a', 'y')).toThrow(/flag y/);
    expect(() => compileLinearRegex('a', 'v')).toThrow(/flag v/);
    expect(() => compileLinearRegex('(a', '')).toThrow(SyntaxError);
  });
});
