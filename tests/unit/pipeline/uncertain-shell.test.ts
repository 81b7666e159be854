import { describe, expect, it } from 'vitest';
import { extractItems } from '../../../src/extract/index.js';
import type { ExtractOptions } from '../../../src/extract/index.js';
import { uncertainShellReason } from '../../../src/pipeline/obtain-page.js';

const NAV = ['首页', '机构概况', '新闻中心', '政务公开', '政策法规', '办事服务', '互动交流', '专题专栏']
  .map((name, i) => `<li><a href="/c${i}/">${name}</a></li>`)
  .join('');
const ROWS = Array.from(
  { length: 6 },
  (_, i) =>
    `<li><a href="/tzgg/${i}.html">关于做好2026年第${i + 1}批大气污染防治重点项目申报工作的通知</a><span>2026-11-1${i}</span></li>`,
).join('');
const LOADER = `<script>fetch('/api/list.json').then((r) => r.json()).then(render);</script>`;

function extract(body: string) {
  const options: ExtractOptions = {
    sourceId: 's',
    type: 'html',
    selectors: {},
    timezone: 'Asia/Shanghai',
    now: new Date('2026-11-30T00:00:00Z'),
    replace: [],
    summaryLength: 200,
  };
  return extractItems({ body, contentType: 'text/html', url: 'https://www.example.gov.cn/tzgg/' }, options);
}

describe('uncertainShellReason (render: auto without items:)', () => {
  const auto = { mode: 'auto' as const, timeoutMs: 30_000 };

  it('sends a script-built shell whose automatic list is its menu to the browser', () => {
    const body = `<html><body><ul class="nav">${NAV}</ul><div id="app"></div>${LOADER}</body></html>`;
    const extracted = extract(body);
    expect(extracted.selectors?.items).toBe('ul.nav > li');
    expect(uncertainShellReason(auto, body, extracted)).toMatch(
      /^a page built by script \(an inline script loads data.*\) where the list found automatically, ul\.nav > li, is uncertain \(confidence 0\.\d\d: likely a menu\)$/,
    );
    expect(uncertainShellReason({ ...auto, mode: 'browser' }, body, extracted)).toBeUndefined();
  });

  it('keeps a confident list, or a page that is no shell, a plain fetch', () => {
    const withList = `<html><body><ul class="nav">${NAV}</ul><ul class="news">${ROWS}</ul>${LOADER}</body></html>`;
    expect(uncertainShellReason(auto, withList, extract(withList))).toBeUndefined();
    const menuOnly = `<html><body><ul class="nav">${NAV}</ul></body></html>`;
    expect(uncertainShellReason(auto, menuOnly, extract(menuOnly))).toBeUndefined();
  });
});
