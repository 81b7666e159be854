/**
 * Minified pages: with no whitespace between tags, text of neighbouring blocks touches. Read as a
 * browser shows it (a line break at a block's edge), `<p>03/10</p><span>2025</span>` is the date
 * 03/10 2025, not "03/102025".
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { extractItems } from '../../../src/extract/index.js';
import { parseSourceSelectors } from '../../../src/field-selector/parse-field-selector.js';
import { plainExtractOptions } from '../../helpers/extract-options.js';

const dir = new URL('../../fixtures/auto/school-notices-minified/', import.meta.url);
const body = readFileSync(new URL('page.html', dir), 'utf8');
const input = { body, contentType: 'text/html', url: 'https://www.szyz.example.cn/xwzx/tzgg.htm' };
const NOW = new Date('2025-03-20T09:00:00+08:00');
const day = (item: { published?: { date: Date } }) =>
  item.published?.date.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });

describe('minified markup', () => {
  it('reads a month-day and the year in the next element as one date, in automatic mode', () => {
    const result = extractItems(input, plainExtractOptions('szyz', NOW));
    expect(result.items).toHaveLength(8);
    expect(result.items.slice(0, 3).map(day)).toEqual(['2025-02-14', '2025-03-10', '2025-03-07']);
    expect(result.items.every((item) => item.published?.precision === 'day')).toBe(true);
  });

  it('reads the same date with a configured date selector', () => {
    const result = extractItems(
      input,
      plainExtractOptions('szyz', NOW, {
        selectors: parseSourceSelectors({ items: 'div.text-list > ul > li', date: 'div.text-ldata' }),
      }),
    );
    expect(result.items.map(day).slice(0, 2)).toEqual(['2025-02-14', '2025-03-10']);
  });
});
