import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import {
  parseFieldSelector,
  parseFieldSelectors,
  parseSourceSelectors,
} from '../../../src/field-selector/parse-field-selector.js';

describe('parseFieldSelector', () => {
  it.each([
    ['plain CSS', 'span.date', { css: 'span.date' }],
    ['CSS with an attribute', 'a@href', { css: 'a', attr: 'href' }],
    ['an attribute of the block itself', '@data-url', { css: '', attr: 'data-url' }],
    ['spaces around the @', ' td a @ href ', { css: 'td a', attr: 'href' }],
    ['an attribute name in upper case', 'img@DATA-SRC', { css: 'img', attr: 'data-src' }],
    ['an @ inside an attribute value', 'a[href*="@"]', { css: 'a[href*="@"]' }],
    [
      'an @ inside a value, then an attribute',
      'a[href^="mailto:x@y"]@href',
      { css: 'a[href^="mailto:x@y"]', attr: 'href' },
    ],
    ['an @ inside an unquoted bracket', 'a[title=x@y]', { css: 'a[title=x@y]' }],
    ['an @ inside :is()', 'span:is(.x@y)', { css: 'span:is(.x@y)' }],
    ['a trailing @ without a name', 'a@', { css: 'a@' }],
    ['a pseudo attribute', 'div.s@html', { css: 'div.s', attr: 'html' }],
  ])('%s: %s', (_name, raw, expected) => {
    expect(parseFieldSelector(raw)).toEqual({ raw: raw.trim(), ...expected });
  });
});

describe('parseFieldSelectors and parseSourceSelectors', () => {
  it('keep the order of fallbacks and drop empty entries', () => {
    expect(parseFieldSelectors(['h4', ' ', '@title']).map((spec) => spec.raw)).toEqual(['h4', '@title']);
    expect(parseFieldSelectors('time@datetime')).toEqual([{ raw: 'time@datetime', css: 'time', attr: 'datetime' }]);
  });

  it('parse every field but items, which stays plain CSS', () => {
    expect(parseSourceSelectors({ items: 'li@x', link: 'a@href', category: ['span.t', 'em'] })).toEqual({
      items: 'li@x',
      link: [{ raw: 'a@href', css: 'a', attr: 'href' }],
      category: [
        { raw: 'span.t', css: 'span.t' },
        { raw: 'em', css: 'em' },
      ],
    });
  });

  it('is the grammar config resolves with: a config selector arrives parsed, detail selectors too', () => {
    const { config } = parseConfigText(
      'sources:\n  - id: a\n    url: https://example.org/\n    items: li\n    link: \'a[href*="@"]@href\'\n    detail:\n      date: [time@DateTime]\n',
      'config/test.yaml',
    );
    const source = config.sources[0]!;
    expect(source.selectors.link).toEqual([{ raw: 'a[href*="@"]@href', css: 'a[href*="@"]', attr: 'href' }]);
    expect(source.detail?.date).toEqual([{ raw: 'time@DateTime', css: 'time', attr: 'datetime' }]);
  });
});
