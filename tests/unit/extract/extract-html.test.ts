import { describe, expect, it } from 'vitest';
import { ExtractError, extractItems, type ExtractOptions } from '../../../src/extract/index.js';
import { AppError } from '../../../src/errors.js';
import { parseSourceSelectors, type WrittenSelectors } from '../../../src/field-selector/parse-field-selector.js';

const NOW = new Date('2019-08-28T09:00:00+08:00');
const URL_ = 'http://www.example.gov.cn/news/list/index.html';

function run(body: string, selectors: WrittenSelectors, extra: Partial<ExtractOptions> = {}) {
  return extractItems(
    { body, contentType: 'text/html; charset=utf-8', url: URL_ },
    {
      sourceId: 'test',
      type: 'auto',
      selectors: parseSourceSelectors(selectors),
      timezone: 'Asia/Shanghai',
      now: NOW,
      replace: [],
      summaryLength: 40,
      ...extra,
    },
  );
}

function page(list: string, head = ''): string {
  return `<!doctype html><html lang="zh-CN"><head><title> 列表 &amp; 通知 </title>${head}</head><body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/news/">新闻</a></li></ul></div>
${list}
<div class="footer"><a href="/about/">关于我们</a></div></body></html>`;
}

describe('extractItems on HTML (selector mode)', () => {
  it('defaults link to the block\'s headline anchor and title to its text, skipping tag and "more" links', () => {
    const result = run(
      page(
        `<ul class="l"><li><a href="/cat/">[通知]</a> <a href="./a.html">生态环境部关于开展专项检查的通知</a> <a href="./a.html#detail">详情&gt;&gt;</a> <span>2019-08-27</span></li></ul>`,
      ),
      { items: 'ul.l li' },
    );
    expect(result.items).toEqual([
      {
        title: '生态环境部关于开展专项检查的通知',
        link: 'http://www.example.gov.cn/news/list/a.html',
        canonicalLink: 'http://www.example.gov.cn/news/list/a.html',
        published: { date: new Date('2019-08-27T00:00:00+08:00'), precision: 'day' },
      },
    ]);
    // Defaults are not reported: only selectors that can be pasted into a config and mean the same.
    expect(result.selectors).toEqual({ items: 'ul.l li' });
  });

  it('folds whitespace, &nbsp; and full-width spaces and decodes entities in titles', () => {
    const result = run(
      page(
        `<ul class="l"><li><a href="/x">\n  关于&nbsp;&nbsp;印发\u3000《办法》&amp;\t附件 &lt;一&gt;  </a></li></ul>`,
      ),
      { items: 'ul.l li' },
    );
    expect(result.items[0]?.title).toBe('关于 印发 《办法》& 附件 <一>');
    expect(result.page.title).toBe('列表 & 通知');
  });

  it('restores a truncated title from the link title attribute only when it starts with the visible text', () => {
    const body = page(`<ul class="l">
      <li><a href="/1" title="国家发展改革委关于印发《电解铝行业节能降碳专项行动计划》的通知">国家发展改革委关于印发《电解铝行业…</a></li>
      <li><a href="/2" title="国家发展改革委 关于完善分时电价机制的通知">国家发展改革委关于完善分时...</a></li>
      <li><a href="/3" title="点击查看详情">国家发展改革委关于公布名单的..</a></li>
      <li><span title="生态环境部印发重点行业应急减排技术指南"><a href="/4">生态环境部印发重点行业...</a></span></li>
    </ul>`);
    const titles = run(body, { items: 'ul.l li', title: ['span', 'a'] }).items.map((item) => item.title);
    expect(titles).toEqual([
      '国家发展改革委关于印发《电解铝行业节能降碳专项行动计划》的通知',
      '国家发展改革委 关于完善分时电价机制的通知',
      '国家发展改革委关于公布名单的..',
      '生态环境部印发重点行业应急减排技术指南',
    ]);
  });

  it('resolves links against <base href> and drops javascript:, # and empty links without dropping the item', () => {
    const body = page(
      `<ul class="l">
        <li><a href="../2019/0827/c1.html">相对链接</a></li>
        <li><a href="javascript:void(0)" onclick="open('x')">脚本链接</a></li>
        <li><a href="#">空锚点</a></li>
        <li><a href="">空链接</a></li>
        <li><a href="mailto:office@example.gov.cn">邮件链接</a></li>
        <li><a href=" //cdn.example.gov.cn/doc.pdf ">协议相对</a></li>
      </ul>`,
      '<base href="http://env.example.com.cn/GB/index/">',
    );
    const result = run(body, { items: 'ul.l li' });
    expect(result.items.map((item) => [item.title, item.link])).toEqual([
      ['相对链接', 'http://env.example.com.cn/GB/2019/0827/c1.html'],
      ['脚本链接', undefined],
      ['空锚点', undefined],
      ['空链接', undefined],
      ['邮件链接', undefined],
      ['协议相对', 'http://cdn.example.gov.cn/doc.pdf'],
    ]);
    expect(result.warnings.filter((w) => w.code === 'link-unusable').map((w) => w.text)).toEqual([
      'mailto:office@example.gov.cn',
    ]);
  });

  it('keeps absolute links when the page URL itself is unusable, and drops only the relative ones', () => {
    const result = extractItems(
      {
        body: '<ul><li><a href="/a">甲</a></li><li><a href="http://x.example.cn/b">乙</a></li></ul>',
        contentType: 'text/html',
        url: 'not a url',
      },
      {
        sourceId: 'test',
        type: 'html',
        selectors: { items: 'li' },
        timezone: 'Asia/Shanghai',
        now: NOW,
        replace: [],
        summaryLength: 40,
      },
    );
    expect(result.items.map((item) => item.link)).toEqual([undefined, 'http://x.example.cn/b']);
  });

  it('keeps hash routes as links and as identity, so the articles of a hash-routed site stay apart', () => {
    const body = page(`<ul class="l">
      <li><a href="#/news/detail?id=101">第一条通知公告</a></li>
      <li><a href="/portal/#/news/detail?id=102">第二条通知公告</a></li>
      <li><a href="http://www.example.gov.cn/portal/#!/news/103">第三条通知公告</a></li>
      <li><a href="#top">回到顶部的锚点</a></li>
    </ul>`);
    const result = run(body, { items: 'ul.l li' });
    expect(result.items.map((item) => [item.title, item.link, item.canonicalLink])).toEqual([
      [
        '第一条通知公告',
        'http://www.example.gov.cn/news/list/index.html#/news/detail?id=101',
        'http://www.example.gov.cn/news/list/index.html#/news/detail?id=101',
      ],
      [
        '第二条通知公告',
        'http://www.example.gov.cn/portal/#/news/detail?id=102',
        'http://www.example.gov.cn/portal/#/news/detail?id=102',
      ],
      [
        '第三条通知公告',
        'http://www.example.gov.cn/portal/#!/news/103',
        'http://www.example.gov.cn/portal/#!/news/103',
      ],
      ['回到顶部的锚点', undefined, undefined],
    ]);
    expect(result.warnings.map((w) => w.code)).not.toContain('duplicates-collapsed');
  });

  it('tells apart items whose links differ only in a place fragment, and still collapses one beside none and tracking fragments', () => {
    const body = page(`<ul class="l">
      <li><a href="/changelog.html#v2.1">Version 2.1 fixes the date parser</a></li>
      <li><a href="/changelog.html#v2.0">Version 2.0 adds topic feeds</a></li>
      <li><a href="/a.html">一条新闻的标题</a></li>
      <li><a href="/a.html#comments">一条新闻的评论</a></li>
      <li><a href="https://www.example.com/story/#382a2076135a">One article, first submission</a></li>
      <li><a href="https://www.example.com/story/#5134be9135a5">One article, second submission</a></li>
      <li><a href="/b.html#xtor=RSS-1">另一条新闻</a></li>
      <li><a href="/b.html#:~:text=%E6%96%B0">另一条新闻（高亮）</a></li>
    </ul>`);
    const result = run(body, { items: 'ul.l li' });
    expect(result.items.map((item) => [item.title, item.canonicalLink])).toEqual([
      ['Version 2.1 fixes the date parser', 'http://www.example.gov.cn/changelog.html#v2.1'],
      ['Version 2.0 adds topic feeds', 'http://www.example.gov.cn/changelog.html#v2.0'],
      ['一条新闻的标题', 'http://www.example.gov.cn/a.html'],
      ['One article, first submission', 'https://www.example.com/story/'],
      ['另一条新闻', 'http://www.example.gov.cn/b.html'],
    ]);
    expect(result.warnings.map((w) => [w.code, w.message])).toEqual([
      ['duplicates-collapsed', '3 repeated item(s) on the page were collapsed into the first occurrence'],
    ]);
  });

  it('reads css@attr, @attr of the block itself and falls back through selector lists', () => {
    const body = page(`<div class="cards">
      <div class="card" data-url="/d/1.html" data-ts="1566873600"><h4>第一条</h4><p class="t">时间 2019-08-20</p></div>
      <div class="card" data-url="/d/2.html"><h3 class="alt">第二条</h3><time datetime="2019-08-26T10:00:00+08:00">昨天</time></div>
    </div>`);
    const result = run(body, {
      items: 'div.card',
      title: ['h4', 'h3.alt'],
      link: ['@data-url'],
      date: ['@data-ts', 'time'],
    });
    expect(
      result.items.map((item) => [
        item.title,
        item.link,
        item.published?.date.toISOString(),
        item.published?.precision,
      ]),
    ).toEqual([
      ['第一条', 'http://www.example.gov.cn/d/1.html', '2019-08-27T02:40:00.000Z', 'time'],
      ['第二条', 'http://www.example.gov.cn/d/2.html', '2019-08-26T02:00:00.000Z', 'time'],
    ]);
    expect(result.selectors?.link).toBe('@data-url');
  });

  it('never takes the row date from the headline when no date selector is set', () => {
    const body = page(`<ul class="l">
      <li><a href="/1">关于2019-08-27停电的通知</a>&nbsp;&nbsp;2019-08-20</li>
      <li><a href="/2">2019年9月2日起暂停申购的公告</a><span>[08-21]</span></li>
      <li><a href="/3">关于8月30日检修的通知</a></li>
    </ul>`);
    const result = run(body, { items: 'ul.l li' });
    expect(result.items.map((item) => item.published?.date.toISOString())).toEqual([
      '2019-08-19T16:00:00.000Z',
      '2019-08-20T16:00:00.000Z',
      undefined,
    ]);
    expect(result.warnings).toEqual([]);
  });

  it('warns with the text when a configured date cannot be parsed, and when the date selector matches nothing', () => {
    const body = page(
      `<ul class="l"><li><a href="/1">一</a><span class="d">本周三</span></li><li><a href="/2">二</a></li></ul>`,
    );
    const result = run(body, { items: 'ul.l li', date: ['span.d'] });
    expect(result.items.every((item) => item.published === undefined)).toBe(true);
    expect(result.warnings.map((w) => [w.code, w.text])).toEqual([
      ['date-unparsed', '本周三'],
      ['date-missing', 'span.d'],
    ]);
  });

  it('reads document dates written in Chinese numerals, with and without a date selector', () => {
    const rows = `<table class="wj"><tr><td><a href="./1.html">关于印发《生态环境执法监测工作规程》的通知</a></td><td>二〇一九年八月二十七日</td></tr>
<tr><td><a href="./2.html">关于开展二〇一九年度排污许可执法检查的通知</a></td><td>二O一九年七月三十日</td></tr></table>`;
    for (const selectors of [{ items: 'table.wj tr', date: ['td:last-child'] }, { items: 'table.wj tr' }]) {
      const result = run(page(rows), selectors);
      expect(result.items.map((item) => item.published)).toEqual([
        { date: new Date('2019-08-27T00:00:00+08:00'), precision: 'day' },
        { date: new Date('2019-07-30T00:00:00+08:00'), precision: 'day' },
      ]);
      expect(result.warnings).toEqual([]);
    }
  });

  it('reads date badges (day and year-month in separate elements), with and without a date selector', () => {
    const rows = `<ul class="news"><li><div class="time"><span class="day">27</span><p>2019-08</p></div><a href="./1.html">生态环境部印发《关于进一步加强大气污染防治工作的通知》</a></li>
<li><div class="time"><em>26</em>2019.08</div><a href="./2.html">关于开展生态环境执法检查的通知</a></li></ul>`;
    for (const selectors of [{ items: 'ul.news li', date: ['div.time'] }, { items: 'ul.news li' }]) {
      const result = run(page(rows), selectors);
      expect(result.items.map((item) => item.published?.date)).toEqual([
        new Date('2019-08-27T00:00:00+08:00'),
        new Date('2019-08-26T00:00:00+08:00'),
      ]);
      expect(result.warnings).toEqual([]);
    }
  });

  it('reads a badge whose parts are no date alone (day and month name, 月 and 日 apart), with and without a date selector', () => {
    const rows = `<ul class="news"><li><div class="cal"><span class="day">27</span><span class="mon">Aug</span></div><a href="./1.html">生态环境部印发《关于进一步加强大气污染防治工作的通知》</a></li>
<li><div class="cal"><span class="day">8月</span><span class="mon">26日</span></div><a href="./2.html">关于开展生态环境执法检查的通知</a></li></ul>`;
    for (const selectors of [{ items: 'ul.news li', date: ['div.cal'] }, { items: 'ul.news li' }]) {
      const result = run(page(rows), selectors);
      expect(result.items.map((item) => item.published?.date)).toEqual([
        new Date('2019-08-27T00:00:00+08:00'),
        new Date('2019-08-26T00:00:00+08:00'),
      ]);
      expect(result.warnings).toEqual([]);
    }
  });

  it('takes a date at the start or end of the headline link out of the title and dates the item with it', () => {
    const rows = `<ul class="news">
<li><a href="./1.html"><span class="time">2019-08-27</span>生态环境部印发《关于进一步加强大气污染防治工作的通知》</a></li>
<li><a href="./2.html">关于开展生态环境执法检查的通知<em>(2019-08-26)</em></a></li>
<li><a href="./3.html"><div class="date"><p>25</p><p>2019-08</p></div><h3>全国生态环境系统工作会议召开</h3></a></li></ul>`;
    for (const selectors of [{ items: 'ul.news li' }, { items: 'ul.news li', title: ['a'] }, {}]) {
      const result = run(page(rows), selectors);
      expect(result.items.map((item) => [item.title, item.published?.date])).toEqual([
        ['生态环境部印发《关于进一步加强大气污染防治工作的通知》', new Date('2019-08-27T00:00:00+08:00')],
        ['关于开展生态环境执法检查的通知', new Date('2019-08-26T00:00:00+08:00')],
        ['全国生态环境系统工作会议召开', new Date('2019-08-25T00:00:00+08:00')],
      ]);
    }
  });

  it('keeps a marked word in the middle of a headline, even one that reads as a date, and a link that is only a date', () => {
    const rows = `<ul class="news"><li><a href="./1.html">回到<em>三十年前</em>的老街</a><span>2019-08-27</span></li>
<li><a href="./2.html"><span>2019年8月26日</span></a><span>2019-08-26</span></li></ul>`;
    const result = run(page(rows), { items: 'ul.news li' });
    expect(result.items.map((item) => [item.title, item.published?.date])).toEqual([
      ['回到三十年前的老街', new Date('2019-08-27T00:00:00+08:00')],
      ['2019年8月26日', new Date('2019-08-26T00:00:00+08:00')],
    ]);
  });

  it('leaves badges that come and go (NEW, [置顶], 荐) out of the title, but not a word that begins it', () => {
    const rows = `<ul class="news">
<li><a href="./1.html"><font color="red">[置顶]</font>生态环境部印发《关于进一步加强大气污染防治工作的通知》<img src="/new.gif"><span class="new">NEW</span></a><span>2019-08-27</span></li>
<li><a href="./2.html"><span class="tag">NEW</span>关于开展生态环境执法检查的通知<em>荐</em></a><span>2019-08-26</span></li>
<li><a href="./3.html"><b>新</b>能源汽车推广应用工作会议召开</a><span>2019-08-25</span></li>
<li><a href="./4.html"><b>New</b> rules for emissions trading</a><span>2019-08-24</span></li></ul>`;
    const result = run(page(rows), { items: 'ul.news li' });
    expect(result.items.map((item) => item.title)).toEqual([
      '生态环境部印发《关于进一步加强大气污染防治工作的通知》',
      '关于开展生态环境执法检查的通知',
      '新能源汽车推广应用工作会议召开',
      'New rules for emissions trading',
    ]);
  });

  it('applies dateFormat to configured dates', () => {
    const body = page(`<ul class="l"><li><a href="/1">一</a><span class="d">27/08/19</span></li></ul>`);
    const result = run(body, { items: 'ul.l li', date: ['span.d'] }, { dateFormat: 'dd/MM/yy' });
    expect(result.items[0]?.published).toEqual({ date: new Date('2019-08-27T00:00:00+08:00'), precision: 'day' });
  });

  it('drops blocks without a title with a warning and collapses duplicates (first wins, tracking params ignored)', () => {
    const body = page(`<ul class="l">
      <li><a href="/a.html?utm_source=home&amp;spm=1.2">头条</a></li>
      <li><span class="ad"><img src="/ad.gif"></span></li>
      <li><a href="/a.html">头条（重复）</a></li>
      <li><a href="/b.html">第二条</a></li>
    </ul>`);
    const result = run(body, { items: 'ul.l li' });
    expect(result.items.map((item) => [item.title, item.link, item.canonicalLink])).toEqual([
      ['头条', 'http://www.example.gov.cn/a.html?utm_source=home&spm=1.2', 'http://www.example.gov.cn/a.html'],
      ['第二条', 'http://www.example.gov.cn/b.html', 'http://www.example.gov.cn/b.html'],
    ]);
    expect(result.warnings.map((w) => w.code)).toEqual(['title-missing', 'duplicates-collapsed']);
  });

  it('cuts a title over 300 characters (astral ones counted as one) with a warning, and keeps one of 300', () => {
    const long = `关于𠀀${'环境'.repeat(100_000)}`;
    const exact = '通'.repeat(300);
    const body = page(`<ul class="l">
      <li><a href="/long.html">${long}</a></li>
      <li><a href="/exact.html">${exact}</a></li>
    </ul>`);
    const result = run(body, { items: 'ul.l li' });
    const [cut, kept] = result.items;
    expect([...(cut?.title ?? '')]).toHaveLength(300);
    expect(cut?.title.startsWith('关于𠀀环境')).toBe(true);
    expect(cut?.title.endsWith('…')).toBe(true);
    expect(kept?.title).toBe(exact);
    expect(result.warnings).toEqual([
      {
        code: 'title-truncated',
        message: expect.stringContaining('a title of 200003 characters was cut to 300') as string,
        text: expect.stringMatching(/^关于𠀀环境.*…$/u) as string,
      },
    ]);
  });

  it('cuts an over-long feed entry title the same way', () => {
    const rss = `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>${'长'.repeat(5_000)}</title><link>https://x.cn/a</link></item></channel></rss>`;
    const result = extractItems(
      { body: rss, contentType: 'application/rss+xml', url: 'https://x.cn/feed' },
      {
        sourceId: 'test',
        type: 'auto',
        selectors: {},
        timezone: 'Asia/Shanghai',
        now: NOW,
        replace: [],
        summaryLength: 40,
      },
    );
    expect([...(result.items[0]?.title ?? '')]).toHaveLength(300);
    expect(result.warnings.map((w) => w.code)).toEqual(['title-truncated']);
  });

  it('trims plain summaries, sanitizes @html summaries and absolutises their URLs', () => {
    const body = page(`<div class="c">
      <h3><a href="/1">标题一</a></h3><p class="s">这是一段很长的摘要文字，用来检查摘要是否会被截断到配置的长度，并在末尾加上省略号。后面还有更多内容。</p>
      <div class="h"><p onclick="steal()">正文<script>alert(1)</script><style>p{}</style><iframe src="//evil"></iframe><a href="../x.html" onmouseover="x()">链接</a><img src="img/1.png" onerror="x()"><a href="javascript:alert(1)">坏</a></p></div>
    </div>`);
    const plain = run(body, { items: 'div.c', summary: ['p.s'] }).items[0]?.summary ?? '';
    expect([...plain].length).toBeLessThanOrEqual(40);
    expect(plain.endsWith('…')).toBe(true);
    const html = run(body, { items: 'div.c', summary: ['div.h@html'] }).items[0];
    expect(html?.summaryIsHtml).toBe(true);
    expect(html?.summary).toBe(
      '<p>正文<a href="http://www.example.gov.cn/news/x.html">链接</a><img src="http://www.example.gov.cn/news/list/img/1.png" /><a>坏</a></p>',
    );
  });

  it('reads author, categories and lazy-loaded images', () => {
    const body =
      page(`<div class="c"><a href="/1">标题</a><span class="au"> 记者 张三 </span><span class="tag">大气</span><span class="tag">水</span><span class="tag">大气</span>
      <img src="data:image/gif;base64,R0lGOD" data-original="/pic/1.jpg"></div>`);
    const item = run(body, { items: 'div.c', author: ['span.au'], category: ['span.tag'], image: ['img'] }).items[0];
    expect(item).toMatchObject({
      author: '记者 张三',
      categories: ['大气', '水'],
      image: 'http://www.example.gov.cn/pic/1.jpg',
    });
  });

  it('applies replace rules to the named field and converts Traditional to Simplified', () => {
    const body = page(
      `<ul class="l"><li><a href="/1">國家發(fā)展改革委等部門關于印發(fā)《電解鋁行業(yè)節(jié)能降碳專項行動計劃》</a></li></ul>`,
    );
    const replace = [
      {
        field: 'title' as const,
        pattern: '([\\u3400-\\u9fff])\\(([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)\\)',
        flags: 'g',
        replacement: '$1',
      },
    ];
    expect(run(body, { items: 'ul.l li' }, { replace }).items[0]?.title).toBe(
      '國家發展改革委等部門關于印發《電解鋁行業節能降碳專項行動計劃》',
    );
    expect(run(body, { items: 'ul.l li' }, { replace, convert: 't2s' }).items[0]?.title).toBe(
      '国家发展改革委等部门关于印发《电解铝行业节能降碳专项行动计划》',
    );
    // A rule on another field leaves the title alone.
    expect(
      run(body, { items: 'ul.l li' }, { replace: replace.map((r) => ({ ...r, field: 'summary' as const })) }).items[0]
        ?.title,
    ).toContain('發(fā)');
  });

  it('reports page facts: title, language, icon and advertised feeds (as warnings too)', () => {
    const head = `<link rel="icon" href="/fav.png"><link rel="alternate" type="application/rss+xml" title="要闻 RSS" href="/rss/yw.xml">
      <link rel="alternate" type="application/atom+xml" href="https://www.example.gov.cn/atom.xml"><link rel="alternate" type="application/json" href="/wp-json/page/1">
      <link rel="alternate" hreflang="en" href="/en/">`;
    const result = run(page(`<ul class="l"><li><a href="/1">一</a></li></ul>`, head), { items: 'ul.l li' });
    expect(result.page).toEqual({
      title: '列表 & 通知',
      language: 'zh-CN',
      icon: 'http://www.example.gov.cn/fav.png',
      alternateFeeds: [
        { url: 'http://www.example.gov.cn/rss/yw.xml', type: 'application/rss+xml', title: '要闻 RSS' },
        { url: 'https://www.example.gov.cn/atom.xml', type: 'application/atom+xml' },
      ],
    });
    expect(result.warnings.filter((w) => w.code === 'feed-advertised').map((w) => w.text)).toEqual([
      'http://www.example.gov.cn/rss/yw.xml',
      'https://www.example.gov.cn/atom.xml',
    ]);
  });

  it('retries a selector written for the browser tree (implied <tbody>) on a parse5 tree', () => {
    const body = page(
      `<table class="t"><tr><td><a href="/1">表格一</a></td><td>2019-08-27</td></tr><tr><td><a href="/2">表格二</a></td><td>2019-08-26</td></tr></table>`,
    );
    const result = run(body, { items: 'table.t > tbody > tr' });
    expect(result.items.map((item) => item.title)).toEqual(['表格一', '表格二']);
    expect(result.warnings.map((w) => w.code)).toEqual(['parser-fallback']);
  });

  it('ignores field matches outside the item blocks, across separate lists and for row anchors', () => {
    const body =
      page(`<div class="col"><ul><li class="it"><a href="/1">甲</a><span class="date">2019-08-27</span></li></ul></div>
      <aside><span class="date">2019-01-01</span><span class="t">侧栏</span><a href="/side">侧栏链接</a></aside>
      <div class="col"><ul><li class="it"><a href="/2">乙</a></li></ul></div>
      <div class="rows"><a class="it" href="/3"><span class="t">丙</span><span class="date">2019-08-25</span></a></div>`);
    const result = run(body, { items: '.it', title: ['span.t', 'a'], date: ['span.date'] });
    expect(result.items.map((item) => [item.title, item.link, item.published?.date.toISOString()])).toEqual([
      ['甲', 'http://www.example.gov.cn/1', '2019-08-26T16:00:00.000Z'],
      ['乙', 'http://www.example.gov.cn/2', undefined],
      ['丙', 'http://www.example.gov.cn/3', '2019-08-24T16:00:00.000Z'],
    ]);
    expect(result.warnings.map((w) => [w.code, w.text])).toEqual([['date-missing', 'span.date']]);
  });

  it('caps repeated warnings per code and summarises the rest', () => {
    const rows = Array.from(
      { length: 25 },
      (_, i) => `<li><a href="/${i}">条目${i}</a><span class="d">不是日期${i}</span></li>`,
    ).join('');
    const result = run(page(`<ul class="l">${rows}</ul>`), { items: 'ul.l li', date: ['span.d'] });
    const unparsed = result.warnings.filter((w) => w.code === 'date-unparsed');
    expect(unparsed).toHaveLength(11);
    expect(unparsed.at(-1)?.message).toBe('15 more "date-unparsed" warnings not listed');
  });
});

describe('extractItems errors', () => {
  const body = page(`<ul class="l"><li><span>无链接也无标题选择器</span></li></ul>`);

  it('throws EXTRACT_NO_CONTAINER with a hint to set items: when no item selector is configured', () => {
    const error = catchError(() => run(body, {}));
    expect(error).toBeInstanceOf(ExtractError);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'EXTRACT_NO_CONTAINER', sourceId: 'test' });
    expect(error.hint).toMatch(/items:/);
    expect(error.message).toMatch(/^extract: source "test": /);
  });

  it('throws EXTRACT_NO_CONTAINER naming the selector when it matches nothing', () => {
    const error = catchError(() => run(body, { items: 'div.gone li' }));
    expect(error).toMatchObject({ code: 'EXTRACT_NO_CONTAINER', selector: 'div.gone li' });
    expect(error.message).toBe('extract: source "test": the item selector matched nothing (div.gone li)');
  });

  it.each([
    [
      '瑞数 (Ruishu)',
      `<html><head><meta id="9DhefwqGPrzGxEp9hPaoag" content="x"><script>$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=1;</script><script src="/4QbVtADbnLVIc/c.FxJzG50F.js" r="m"></script></head><body></body></html>`,
    ],
    [
      '加速乐 (Jiasule)',
      `<script>document.cookie=('_')+('_')+('j')+('s')+('l')+('_')+('c')+('l')+('e')+('a')+('r')+('a')+('n')+('c')+('e');document.cookie='__jsl_clearance=1585…;max-age=3600;path=/';location.href=location.pathname+location.search</script>`,
    ],
    [
      'Cloudflare',
      '<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head><body><noscript>Enable JavaScript and cookies to continue</noscript></body></html>',
    ],
  ])('names a %s anti-bot challenge served instead of the page, in selector and automatic mode', (vendor, stub) => {
    for (const selectors of [{ items: 'ul.list li' }, {}]) {
      const error = catchError(() => run(stub, selectors));
      expect(error).toMatchObject({ code: 'EXTRACT_CHALLENGE', sourceId: 'test' });
      expect(error.message).toBe(
        `extract: source "test": the site answered with an anti-bot JavaScript challenge instead of the page (${vendor})`,
      );
      expect(error.hint).toMatch(/does not run JavaScript.*render: auto/);
    }
  });

  it.each([
    ['<html><head><meta http-equiv="Refresh" content="0; URL=../xxgk/tzgg/index.shtml"></head><body></body></html>'],
    [
      '<html><head><script type="text/javascript">window.location.href = "../xxgk/tzgg/index.shtml";</script></head><body>页面跳转中…</body></html>',
    ],
  ])('names where a redirect stub sends the browser, in selector and automatic mode (%#)', (stub) => {
    for (const selectors of [{ items: 'ul.list li' }, {}]) {
      const error = catchError(() => run(stub, selectors));
      expect(error).toMatchObject({ code: 'EXTRACT_NO_CONTAINER', sourceId: 'test' });
      expect(error.message).toBe(
        'extract: source "test": the page only redirects the browser elsewhere (http://www.example.gov.cn/news/xxgk/tzgg/index.shtml)',
      );
      expect(error.hint).toMatch(
        /Set this source's `url:` to http:\/\/www\.example\.gov\.cn\/news\/xxgk\/tzgg\/index\.shtml/,
      );
    }
  });

  it('does not take a script that sets location on a page with content for a redirect stub', () => {
    const body = page(
      `<div class="content">${'政务公开 '.repeat(60)}</div><script>function go(){ location.href = "/search/"; }</script>`,
    );
    expect(catchError(() => run(body, { items: 'ul.list li' }))).toMatchObject({
      code: 'EXTRACT_NO_CONTAINER',
      message: expect.stringContaining('the item selector matched nothing'),
    });
  });

  it('throws EXTRACT_NO_ITEMS when blocks match but none has a title', () => {
    expect(catchError(() => run(body, { items: 'ul.l li' }))).toMatchObject({
      code: 'EXTRACT_NO_ITEMS',
      selector: 'ul.l li',
    });
  });

  it('throws EXTRACT_BAD_SELECTOR for invalid CSS in items or a field', () => {
    expect(catchError(() => run(body, { items: 'ul.l li[' }))).toMatchObject({
      code: 'EXTRACT_BAD_SELECTOR',
      selector: 'ul.l li[',
    });
    expect(catchError(() => run(body, { items: 'ul.l li', title: ['span:nth-child(x'] }))).toMatchObject({
      code: 'EXTRACT_BAD_SELECTOR',
    });
  });

  it('skips an invalid replace pattern with a warning instead of failing', () => {
    const ok = page(`<ul class="l"><li><a href="/1">一</a></li></ul>`);
    const result = run(
      ok,
      { items: 'ul.l li' },
      { replace: [{ field: 'title', pattern: '(', flags: 'g', replacement: '' }] },
    );
    expect(result.items).toHaveLength(1);
    expect(result.warnings.map((w) => w.code)).toEqual(['replace-invalid']);
  });
});

function catchError(fn: () => unknown): ExtractError {
  try {
    fn();
  } catch (error) {
    return error as ExtractError;
  }
  throw new Error('expected an error');
}
