/**
 * `05/08/2019` is the 5th of August or the 8th of May: a list page is read in the order its other
 * dates show, else in its zone's country's habit (slash-order.ts), and never guessed otherwise.
 */
import { describe, expect, it } from 'vitest';
import { extractItems } from '../../../src/extract/index.js';
import { readSlashOrder } from '../../../src/extract/date/slash-order.js';
import { parseSourceSelectors } from '../../../src/field-selector/parse-field-selector.js';

const NOW = new Date('2019-09-10T09:00:00Z');

/** The days (yyyy-mm-dd in the zone) read from a list whose rows print `dates`. */
function readDays(dates: string[], timezone: string): Array<string | undefined> {
  const rows = dates.map(
    (date, i) => `<li><a href="/news/${i}">Council approves the budget, item ${i}</a> <span>${date}</span></li>`,
  );
  const result = extractItems(
    {
      body: `<html><body><ul class="news">${rows.join('')}</ul></body></html>`,
      contentType: 'text/html',
      url: 'https://council.example/news/',
    },
    {
      sourceId: 'council',
      type: 'html',
      selectors: parseSourceSelectors({ items: 'ul.news li' }),
      timezone,
      now: NOW,
      replace: [],
      summaryLength: 80,
    },
  );
  return result.items.map((item) =>
    item.published ? item.published.date.toLocaleDateString('sv-SE', { timeZone: timezone }) : undefined,
  );
}

describe('day or month first', () => {
  it('reads ambiguous dates in the order the page shows elsewhere, whatever the zone', () => {
    expect(readDays(['05/08/2019', '27/08/2019', '03-08-2019'], 'America/New_York')).toEqual([
      '2019-08-05',
      '2019-08-27',
      '2019-08-03',
    ]);
    expect(readDays(['05/08/2019', '08/27/2019'], 'Europe/London')).toEqual(['2019-05-08', '2019-08-27']);
  });

  it("reads a page of ambiguous dates in its zone's habit: month first in the US, day first in Europe", () => {
    expect(readDays(['05/08/2019', '04/08/19'], 'America/Chicago')).toEqual(['2019-05-08', '2019-04-08']);
    expect(readDays(['05/08/2019', '04/08/19'], 'Europe/Paris')).toEqual(['2019-08-05', '2019-08-04']);
  });

  it('guesses nothing where neither the page nor the zone tells', () => {
    expect(readDays(['05/08/2019', '04/08/2019'], 'Asia/Shanghai')).toEqual([undefined, undefined]);
    // A page that shows both orders says nothing about its ambiguous dates.
    expect(readSlashOrder('13/08/2019 08/13/2019 05/08/2019', 'Europe/London')).toBeUndefined();
  });

  it('is not misled by year-first paths and dates', () => {
    expect(readSlashOrder('<a href="/2019/08/27/a.html">2019/08/27</a> 2019-08-13', 'Asia/Shanghai')).toBeUndefined();
  });
});
