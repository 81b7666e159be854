/** Targeted behaviours of automatic list detection on small pages built for one point each. */
import { describe, expect, it } from 'vitest';
import { ExtractError, extractItems, type ExtractOptions } from '../../../src/extract/index.js';
import { parseSourceSelectors } from '../../../src/field-selector/parse-field-selector.js';

const OPTIONS: ExtractOptions = {
  sourceId: 'case',
  type: 'html',
  selectors: {},
  timezone: 'Asia/Shanghai',
  now: new Date('2019-08-28T09:00:00+08:00'),
  replace: [],
  summaryLength: 200,
};

function page(body: string): { body: string; contentType: string; url: string } {
  return {
    body: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>${body}</body></html>`,
    contentType: 'text/html',
    url: 'http://www.example.gov.cn/xwzx/',
  };
}

const NAV = `<ul class="nav">${['首页', '机构', '新闻', '信息', '服务', '互动', '专题'].map((t, i) => `<li><a href="/c${i}/">${t}</a></li>`).join('')}</ul>`;

function rows(count: number, prefix: string, dated: boolean, path = 'xw', first = 0): string {
  return Array.from({ length: count }, (_, i) => {
    const day = String(27 - i).padStart(2, '0');
    return `<li><a href="/${path}/201908/t201908${day}_${1000 + first + i}.html">${prefix}第${i + 1}项重点工作推进情况通报</a>${dated ? `<span>2019-08-${day}</span>` : ''}</li>`;
  }).join('');
}

describe('automatic list detection', () => {
  it('fails with EXTRACT_NO_CONTAINER and a hint when the page has only navigation', () => {
    const error = (() => {
      try {
        extractItems(
          page(`${NAV}<div class="footer"><a href="/about/">关于我们</a> <a href="/map/">网站地图</a></div>`),
          OPTIONS,
        );
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ExtractError);
    expect(error).toMatchObject({ code: 'EXTRACT_NO_CONTAINER', sourceId: 'case' });
    expect((error as ExtractError).hint).toMatch(/items:/);
  });

  it('prefers a long undated main list over a short dated side box', () => {
    const body = `${NAV}<div class="main"><ul class="list">${rows(15, '市生态环境局', false)}</ul></div>
      <div class="right"><div class="box"><h3>通知公告</h3><ul>${rows(4, '关于开展', true, 'tzgg')}</ul></div></div>`;
    const result = extractItems(page(body), OPTIONS);
    expect(result.items).toHaveLength(15);
    expect(result.items.every((item) => item.link?.includes('/xw/'))).toBe(true);
  });

  it('prefers the dated list over a headline-like ranking of the same size without dates', () => {
    const body = `${NAV}<div class="col"><ol>${rows(8, '热点', false, 'rd')}</ol></div><div class="col"><ul>${rows(8, '要闻', true)}</ul></div>`;
    const result = extractItems(page(body), OPTIONS);
    expect(result.items.map((item) => item.title)).toEqual(
      Array.from({ length: 8 }, (_, i) => `要闻第${i + 1}项重点工作推进情况通报`),
    );
    expect(result.selectors?.date).toBe('span');
  });

  it('joins a list split over sibling blocks into one list, in page order', () => {
    const blocks = [0, 1, 2]
      .map((b) => `<ul class="list">${rows(5, `第${b + 1}组`, true, 'xw', b * 5)}</ul><div class="line"></div>`)
      .join('');
    const result = extractItems(page(`${NAV}<div class="list-box">${blocks}</div>`), OPTIONS);
    expect(result.items).toHaveLength(15);
    expect(result.items[0]?.title).toMatch(/^第1组/);
    expect(result.items[14]?.title).toMatch(/^第3组/);
    expect(result.selectors?.items).toBe('ul.list > li');
  });

  it('leaves a trailing "more" row with its own class out of the items', () => {
    const body = `<ul class="news">${rows(6, '要闻', true)}<li class="more"><a href="/xw/index_1.html">更多&gt;&gt;</a></li></ul>`;
    const result = extractItems(page(body), OPTIONS);
    expect(result.items).toHaveLength(6);
    expect(result.selectors?.items).toBe('ul.news > li:not(.more)');
  });

  it('keeps fields the user configured without items (summary, date) and reports them', () => {
    const body = `<div class="list">${Array.from({ length: 5 }, (_, i) => `<div class="item"><h3><a href="/a/${1000 + i}.html">第${i + 1}条环境新闻标题在这里</a></h3><p class="desc">摘要${i}</p><em class="d">2019-08-2${i}</em><span class="t">发布于 2019-07-0${i + 1}</span></div>`).join('')}</div>`;
    const result = extractItems(page(body), {
      ...OPTIONS,
      selectors: parseSourceSelectors({ summary: 'p.desc', date: 'span.t' }),
    });
    expect(result.mode).toBe('auto');
    expect(result.items[0]?.summary).toBe('摘要0');
    expect(result.items[0]?.published?.date.toISOString()).toBe(new Date('2019-07-01T00:00:00+08:00').toISOString());
    expect(result.selectors?.date).toBe('span.t');
  });

  it('rates a clear single list with dates high and a weak undated list low', () => {
    const clear = extractItems(page(`${NAV}<ul class="list">${rows(12, '要闻', true)}</ul>`), OPTIONS);
    const weak = extractItems(
      page(`<ul>${rows(3, '', false)}</ul><ul class="x">${rows(3, '其他', false, 'qt')}</ul>`),
      OPTIONS,
    );
    expect(clear.selectors?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(weak.selectors?.confidence).toBeLessThan(0.6);
  });
});
