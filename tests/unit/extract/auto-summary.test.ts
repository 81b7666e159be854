/**
 * Automatic mode proposes a `summary:` selector when most rows carry a teaser under the headline, and
 * none for a row's short cells (an agency, a byline).
 */
import { describe, expect, it } from 'vitest';
import { extractItems } from '../../../src/extract/index.js';
import { parseSourceSelectors } from '../../../src/field-selector/parse-field-selector.js';

const TEASERS = [
  '生态环境部今天召开新闻发布会，介绍全国生态环境质量状况，并回答记者提问，强调要坚决打好污染防治攻坚战。',
  '为进一步加强固体废物环境管理，生态环境部近日印发通知，要求各地加快补齐危险废物处置能力短板，确保环境安全。',
  '国务院办公厅日前印发工作方案，在全国范围内选择十个左右有条件、有基础、规模适当的城市开展试点工作。',
];

function read(list: string) {
  return extractItems(
    {
      body: `<html><head><title>新闻</title></head><body><div class="nav"><a href="/">首页</a> <a href="/x/">新闻</a></div>${list}</body></html>`,
      contentType: 'text/html; charset=utf-8',
      url: 'http://www.mee.gov.cn/ywdt/',
    },
    {
      sourceId: 'news',
      type: 'html',
      selectors: parseSourceSelectors({}),
      timezone: 'Asia/Shanghai',
      now: new Date('2019-09-10T09:00:00+08:00'),
      replace: [],
      summaryLength: 200,
    },
  );
}

describe('automatic summary', () => {
  it('pins the teaser paragraph most rows have, and gives a row without one none', () => {
    const rows = [...TEASERS, undefined].map(
      (teaser, i) =>
        `<div class="card"><h3><a href="/a/${i}.html">生态环境部发布第${i + 1}号重要新闻通稿</a></h3><span class="date">2019-08-2${i}</span><span class="src">来源：生态环境部</span>${teaser ? `<div class="desc"><p>${teaser}</p></div>` : ''}</div>`,
    );
    const result = read(`<div class="list">${rows.join('')}</div>`);
    expect(result.selectors?.summary).toBe('p');
    expect(result.items.map((item) => item.summary)).toEqual([...TEASERS, undefined]);
  });

  it('proposes none for rows of short cells', () => {
    const rows = TEASERS.map(
      (_, i) =>
        `<tr><td><a href="/a/${i}.html">关于印发第${i + 1}批国家重点环境保护实用技术名录的通知</a></td><td>中华人民共和国生态环境部办公厅</td><td>2019-08-2${i}</td></tr>`,
    );
    const result = read(`<table class="t">${rows.join('')}${rows.join('').replace(/\/a\/(\d)/g, '/b/$1')}</table>`);
    expect(result.selectors?.summary).toBeUndefined();
    expect(result.items.every((item) => item.summary === undefined)).toBe(true);
  });
});
