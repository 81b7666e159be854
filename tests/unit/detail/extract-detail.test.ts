/** Detail-page extraction over the fixtures of tests/fixtures/detail/ (page.html + case.json with the expected values). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { extractDetail } from '../../../src/extract/index.js';
import { parseFieldSelectors } from '../../../src/field-selector/parse-field-selector.js';

interface DetailCase {
  description: string;
  url: string;
  encoding: string;
  timezone: string;
  now: string;
  fields: Array<'date' | 'summary'>;
  date?: string[];
  summary?: string[];
  summaryLength: number;
  expected: {
    date: string | null;
    precision?: 'day' | 'time';
    dateSource?: string;
    summarySource?: string;
    summary?: string;
    summaryIncludes?: string;
    warningCodes?: string[];
  };
}

const DIR = fileURLToPath(new URL('../../fixtures/detail/', import.meta.url));
const cases = readdirSync(DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => ({
    name: entry.name,
    body: readFileSync(join(DIR, entry.name, 'page.html')),
    spec: JSON.parse(readFileSync(join(DIR, entry.name, 'case.json'), 'utf8')) as DetailCase,
  }));

describe('extractDetail on real-world detail pages', () => {
  it('covers a Chinese notice, a Chinese article, an English JSON-LD page and a visible-date-only page', () => {
    expect(cases.map((c) => c.name)).toEqual(
      expect.arrayContaining(['gov-notice-gbk', 'news-article-zh', 'english-jsonld', 'visible-date-only']),
    );
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, { body, spec }) => {
    const result = extractDetail(
      { body: iconv.decode(body, spec.encoding), url: spec.url },
      {
        sourceId: 'detail',
        fields: spec.fields,
        date: spec.date && parseFieldSelectors(spec.date),
        summary: spec.summary && parseFieldSelectors(spec.summary),
        timezone: spec.timezone,
        now: new Date(spec.now),
        summaryLength: spec.summaryLength,
      },
    );
    const { expected } = spec;
    expect(result.published?.date.toISOString() ?? null).toBe(
      expected.date === null ? null : new Date(expected.date).toISOString(),
    );
    if (expected.precision) expect(result.published?.precision).toBe(expected.precision);
    if (expected.dateSource) expect(result.dateSource).toBe(expected.dateSource);
    if (expected.summarySource) expect(result.summarySource).toBe(expected.summarySource);
    if (expected.summary) expect(result.summary).toBe(expected.summary);
    if (expected.summaryIncludes) expect(result.summary).toContain(expected.summaryIncludes);
    if (result.summary) expect([...result.summary].length).toBeLessThanOrEqual(spec.summaryLength);
    if (!spec.fields.includes('summary')) expect(result.summary).toBeUndefined();
    expect([...new Set(result.warnings.map((w) => w.code))].sort()).toEqual(expected.warningCodes ?? []);
  });
});

describe('extractDetail rules', () => {
  const base = {
    sourceId: 'detail',
    timezone: 'Asia/Shanghai',
    now: new Date('2019-08-28T09:00:00+08:00'),
    summaryLength: 200,
  };
  const html = (head: string, body: string) =>
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title>${head}</head><body>${body}</body></html>`;

  it('prefers 发布日期 over 成文日期 and a bare 时间 label', () => {
    const page = html(
      '',
      '<h1>关于印发方案的通知</h1><p>成文日期：2019-08-20</p><p>发布日期：2019-08-22</p><p>时间：2019-08-25</p>',
    );
    expect(
      extractDetail(
        { body: page, url: 'http://x.gov.cn/a.html' },
        { ...base, fields: ['date'] },
      ).published?.date.toISOString(),
    ).toBe(new Date('2019-08-22T00:00:00+08:00').toISOString());
  });

  it('reads a meta date without an offset in the source zone, and one with an offset as written', () => {
    const local = extractDetail(
      { body: html('<meta name="PubDate" content="2019-08-27 10:21">', ''), url: 'http://x/a' },
      { ...base, fields: ['date'] },
    );
    expect(local.published?.date.toISOString()).toBe('2019-08-27T02:21:00.000Z');
    const zoned = extractDetail(
      { body: html('<meta property="article:published_time" content="2019-08-27T10:21:00Z">', ''), url: 'http://x/a' },
      { ...base, fields: ['date'] },
    );
    expect(zoned.published?.date.toISOString()).toBe('2019-08-27T10:21:00.000Z');
  });

  it('keeps a day-only meta date when no later source gives a time on that day', () => {
    const page = html(
      '<meta name="publishdate" content="2019-08-27">',
      '<h1>标题</h1><p>2019-08-25 10:00 其他文章</p>',
    );
    const result = extractDetail({ body: page, url: 'http://x/a' }, { ...base, fields: ['date'] });
    expect(result.published).toEqual({ date: new Date('2019-08-27T00:00:00+08:00'), precision: 'day' });
    expect(result.dateSource).toBe('meta');
  });

  it('warns when a configured date selector matches text that is not a date, then falls back', () => {
    const page = html('<meta name="PubDate" content="2019-08-27 10:21">', '<span class="d">本站原创</span>');
    const result = extractDetail(
      { body: page, url: 'http://x/a' },
      { ...base, fields: ['date'], date: parseFieldSelectors('span.d') },
    );
    expect(result.dateSource).toBe('meta');
    expect(result.warnings.map((w) => w.code)).toEqual(['detail-date-unparsed']);
  });

  it('reads a configured date element as list pages do: datetime first, the text for @text', () => {
    const page = html('', '<time datetime="2019-08-27T10:21:00+08:00">2019-08-25</time>');
    const read = (date: string) =>
      extractDetail(
        { body: page, url: 'http://x/a' },
        { ...base, fields: ['date'], date: parseFieldSelectors(date) },
      ).published?.date.toISOString();
    expect(read('time')).toBe('2019-08-27T02:21:00.000Z');
    expect(read('time@text')).toBe(new Date('2019-08-25T00:00:00+08:00').toISOString());
  });

  it('reports missing fields as warnings, not errors', () => {
    const result = extractDetail(
      { body: html('', '<p>短</p>'), url: 'http://x/a' },
      { ...base, fields: ['date', 'summary'] },
    );
    expect(result.published).toBeUndefined();
    expect(result.summary).toBeUndefined();
    expect(result.warnings.map((w) => w.code)).toEqual(['detail-date-missing', 'detail-summary-missing']);
  });

  it('ignores a boilerplate description (the site name) and reads the main text instead', () => {
    const text =
      '为深入贯彻落实生态环境部的有关要求，全面提升全省生态环境执法队伍的能力和水平，经研究决定在全省范围内开展执法大练兵活动。'.repeat(
        2,
      );
    const page = html(
      '<meta name="description" content="山西省生态环境厅"><meta name="SiteName" content="山西省生态环境厅">',
      `<div class="nav"><a href="/">首页</a></div><div class="article"><h1>通知</h1><p>${text}</p></div>`,
    );
    const result = extractDetail(
      { body: page, url: 'http://x/a' },
      { ...base, fields: ['summary'], summaryLength: 30 },
    );
    expect(result.summarySource).toBe('main-text');
    expect(result.summary).toMatch(/^为深入贯彻落实/);
    expect([...(result.summary ?? '')]).toHaveLength(30);
  });
});
