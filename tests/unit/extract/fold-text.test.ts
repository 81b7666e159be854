/** White space counted in place, as `\s` sees it, for the loops that must not copy a page's text. */
import { describe, expect, it } from 'vitest';
import { countVisible, isRegExpSpace } from '../../../src/extract/text/fold-text.js';

describe('isRegExpSpace', () => {
  it('is true for exactly the code units \\s matches', () => {
    const disagreeing: number[] = [];
    for (let code = 0; code <= 0xffff; code += 1)
      if (isRegExpSpace(code) !== /\s/.test(String.fromCharCode(code))) disagreeing.push(code);
    expect(disagreeing).toEqual([]);
  });
});

describe('countVisible', () => {
  it('counts what a whitespace replace would leave', () => {
    for (const text of [
      '',
      '   ',
      '生态环境部 印发\u3000《通知》',
      ' a\tb\nc\u00a0d\ufeff ',
      'Lorem ipsum dolor sit amet. '.repeat(50),
    ])
      expect(countVisible(text)).toBe(text.replace(/\s+/g, '').length);
  });

  it('stops once past the limit', () => {
    expect(countVisible('abcdef', 2)).toBe(3);
    expect(countVisible('a b', 5)).toBe(2);
    expect(countVisible('x'.repeat(10_000_000), 200)).toBe(201);
  });
});
