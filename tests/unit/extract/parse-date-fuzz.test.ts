import { describe, expect, it } from 'vitest';
import { parseDate } from '../../../src/extract/index.js';
import { ADVERSARIAL_DATE_INPUTS } from '../../helpers/adversarial-dates.js';
import { createRandom } from '../../helpers/seeded-random.js';

/** Pieces that look like parts of dates, so the fuzz reaches deep into the table instead of failing early. */
const PIECES = [
  '2019',
  '08',
  '27',
  '8',
  '12',
  '31',
  '99',
  '0',
  '-',
  '/',
  '.',
  ':',
  ' ',
  'T',
  'Z',
  '+08:00',
  '+0800',
  '年',
  '月',
  '日',
  '号',
  '时',
  '分',
  '秒',
  '前',
  '小时',
  '小時',
  '分钟',
  '天',
  '昨天',
  '今天',
  '前天',
  '刚刚',
  '下午',
  '上午',
  'ago',
  'hours',
  'an',
  'yesterday',
  'Aug',
  'August',
  'Tue,',
  'GMT',
  'CST',
  'PM',
  '(',
  ')',
  '[',
  ']',
  '【',
  '】',
  '：',
  '１',
  '\u3000',
  '\u00a0',
  '半',
  '三',
  '十',
  '发布时间',
  '1566873600',
  '1566873600000',
  '20190827',
  '\n',
  'é',
  '😀',
  '\u0000',
  '%',
  '99999999999999999999',
];

function randomText(random: () => number): string {
  const parts: string[] = [];
  const count = Math.floor(random() * 14);
  for (let i = 0; i < count; i += 1) {
    if (random() < 0.15) parts.push(String.fromCodePoint(Math.floor(random() * 0x2ffff)));
    else parts.push(PIECES[Math.floor(random() * PIECES.length)] ?? '');
  }
  return parts.join('');
}

describe('parseDate fuzzing', () => {
  it('never throws and only returns valid dates on 20,000 seeded random strings', () => {
    const random = createRandom(20190827);
    const zones = ['Asia/Shanghai', 'America/New_York', 'Europe/Berlin'];
    const now = new Date('2026-01-05T02:00:00Z');
    let parsedCount = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const text = randomText(random);
      const timezone = zones[i % zones.length] ?? 'UTC';
      let result: ReturnType<typeof parseDate>;
      try {
        result = parseDate(text, { timezone, now });
      } catch (error) {
        throw new Error(`parseDate threw on ${JSON.stringify(text)} (${timezone}): ${String(error)}`);
      }
      if (result) {
        parsedCount += 1;
        expect(Number.isNaN(result.date.getTime()), JSON.stringify(text)).toBe(false);
        expect(['day', 'time']).toContain(result.precision);
      }
    }
    // The pieces are date-like: a healthy share must parse, or the fuzz is not reaching the table.
    expect(parsedCount).toBeGreaterThan(2_000);
  });

  it('handles long adversarial inputs without throwing (their speed is measured by `npm run bench -- parse-date`)', () => {
    for (const text of ADVERSARIAL_DATE_INPUTS) {
      expect(() => parseDate(text, { timezone: 'Asia/Shanghai', now: new Date('2026-01-05T02:00:00Z') })).not.toThrow();
    }
  });
});
