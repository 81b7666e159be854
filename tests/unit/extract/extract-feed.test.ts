import { describe, expect, it } from 'vitest';
import { extractItems, sniffContent, type ExtractOptions } from '../../../src/extract/index.js';

const NOW = new Date('2019-08-28T09:00:00+08:00');

function run(body: string, contentType: string, extra: Partial<ExtractOptions> = {}) {
  return extractItems(
    { body, contentType, url: 'https://feeds.example.cn/env/rss.xml' },
    {
      sourceId: 'feed',
      type: 'auto',
      selectors: {},
      timezone: 'Asia/Shanghai',
      now: NOW,
      replace: [],
      summaryLength: 30,
      ...extra,
    },
  );
}

const RSS2 = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>环境要闻</title><link>https://www.example.cn/</link><description>d</description><language>zh-cn</language>
<item><title>生态环境部 &amp; 发改委联合发文</title><link>/2019/0827/a.html?utm_medium=rss</link><guid isPermaLink="false">news-1001</guid>
  <pubDate>Tue, 27 Aug 2019 14:30:00 CST</pubDate><dc:creator>记者 李四</dc:creator><category>大气</category><category>政策</category>
  <description><![CDATA[<p onclick="x()">摘要 <b>加粗</b><script>bad()</script><img src="/i/1.png"></p>]]></description>
  <enclosure url="/i/cover.jpg" type="image/jpeg" length="1234"/></item>
<item><title>没有时区的日期</title><link>https://www.example.cn/b.html</link><pubDate>2019-08-26 10:00:00</pubDate><description>纯文本摘要，没有任何标签，但是很长很长很长很长很长很长很长很长很长。</description></item>
<item><description>只有描述没有标题的条目也要保留下来</description><link>https://www.example.cn/c.html</link><pubDate>不是日期</pubDate></item>
<item><title>重复</title><link>https://www.example.cn/b.html#comments</link></item>
</channel></rss>`;

describe('extractItems on feeds', () => {
  it('reads RSS 2.0: entities, relative links, CST as +08:00 in Asia/Shanghai, zone-less dates in the source zone', () => {
    const result = run(RSS2, 'application/rss+xml; charset=utf-8');
    expect(result.mode).toBe('feed');
    expect(result.page).toEqual({ title: '环境要闻', language: 'zh-cn', alternateFeeds: [] });
    const [first, second, third] = result.items;
    expect(first).toMatchObject({
      title: '生态环境部 & 发改委联合发文',
      link: 'https://feeds.example.cn/2019/0827/a.html?utm_medium=rss',
      canonicalLink: 'https://feeds.example.cn/2019/0827/a.html',
      sourceGuid: 'news-1001',
      published: { date: new Date('2019-08-27T14:30:00+08:00'), precision: 'time' },
      author: '记者 李四',
      categories: ['大气', '政策'],
      image: 'https://feeds.example.cn/i/cover.jpg',
      summaryIsHtml: true,
      summary: '<p>摘要 <b>加粗</b><img src="https://feeds.example.cn/i/1.png" /></p>',
    });
    expect(second?.published).toEqual({ date: new Date('2019-08-26T10:00:00+08:00'), precision: 'time' });
    expect(second?.summaryIsHtml).toBeUndefined();
    expect([...(second?.summary ?? '')].length).toBe(30);
    expect(third?.title).toBe('只有描述没有标题的条目也要保留下来');
    expect(third?.published).toBeUndefined();
    expect(result.items).toHaveLength(3);
    expect(result.warnings.map((w) => [w.code, w.text ?? ''])).toEqual([
      ['date-unparsed', '不是日期'],
      ['duplicates-collapsed', ''],
    ]);
  });

  it('reads CST as US Central when the source zone is not a China zone', () => {
    const result = run(RSS2, 'application/rss+xml', { timezone: 'America/Chicago' });
    expect(result.items[0]?.published?.date.toISOString()).toBe('2019-08-27T20:30:00.000Z');
  });

  it('reads RSS 0.91', () => {
    const body = `<?xml version="1.0"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">
      <rss version="0.91"><channel><title>旧版</title><link>http://old.example.cn/</link><description>d</description><language>zh-cn</language>
      <item><title>旧版条目</title><link>http://old.example.cn/1.html</link><description>描述</description></item></channel></rss>`;
    expect(run(body, 'text/xml').items.map((item) => [item.title, item.link, item.summary])).toEqual([
      ['旧版条目', 'http://old.example.cn/1.html', '描述'],
    ]);
  });

  it('reads RSS 1.0 (RDF) with dc:date', () => {
    const body = `<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="http://rdf.example.cn/"><title>RDF</title><link>http://rdf.example.cn/</link><description>d</description></channel>
      <item rdf:about="http://rdf.example.cn/1"><title>RDF 条目</title><link>http://rdf.example.cn/1</link><dc:date>2019-08-27T10:00:00+08:00</dc:date><dc:subject>水</dc:subject></item>
      </rdf:RDF>`;
    const [item] = run(body, 'application/rdf+xml').items;
    expect(item).toMatchObject({
      title: 'RDF 条目',
      link: 'http://rdf.example.cn/1',
      sourceGuid: 'http://rdf.example.cn/1',
      categories: ['水'],
    });
    expect(item?.published?.date.toISOString()).toBe('2019-08-27T02:00:00.000Z');
  });

  it('reads Atom 1.0: xml:base, HTML titles, alternate links, published vs updated, text summaries', () => {
    const body = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/posts/" xml:lang="en">
      <title>Env blog</title><id>urn:x</id><updated>2019-08-27T10:00:00Z</updated><link rel="self" href="https://blog.example.org/atom.xml"/>
      <entry><title type="html">&lt;b&gt;Clean&lt;/b&gt; air &amp;amp; water</title><id>tag:blog,2019:1</id>
        <link rel="enclosure" href="a.mp3"/><link rel="alternate" href="clean-air"/>
        <published>2019-08-26T08:00:00+02:00</published><updated>2019-08-27T09:00:00+02:00</updated>
        <summary>Plain text summary</summary><author><name>Ann</name></author><author><name>Bo</name></author><category term="air" label="Air"/></entry>
      <entry><title>No dates given a zone</title><id>tag:blog,2019:2</id><link href="https://blog.example.org/2"/><updated>2019-08-25T12:00:00</updated>
        <content type="html">&lt;p&gt;Body&lt;/p&gt;</content></entry>
    </feed>`;
    const result = run(body, 'application/atom+xml', { timezone: 'Europe/Berlin' });
    expect(result.page.title).toBe('Env blog');
    expect(result.page.language).toBe('en');
    const [first, second] = result.items;
    expect(first).toMatchObject({
      title: 'Clean air & water',
      link: 'https://blog.example.org/posts/clean-air',
      sourceGuid: 'tag:blog,2019:1',
      summary: 'Plain text summary',
      author: 'Ann, Bo',
      categories: ['Air'],
    });
    expect(first?.published?.date.toISOString()).toBe('2019-08-26T06:00:00.000Z');
    expect(first?.updated?.date.toISOString()).toBe('2019-08-27T07:00:00.000Z');
    expect(second?.published?.date.toISOString()).toBe('2019-08-25T10:00:00.000Z');
    expect(second).toMatchObject({ summary: '<p>Body</p>', summaryIsHtml: true });
  });

  it('reads JSON Feed 1.1, sniffed from the body when served as text/plain', () => {
    const body = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'JSON 要闻',
      home_page_url: 'https://json.example.cn/',
      language: 'zh-CN',
      items: [
        {
          id: 'j1',
          url: '/j/1',
          title: 'JSON 条目',
          date_published: '2019-08-27T10:00:00+08:00',
          tags: ['土壤'],
          authors: [{ name: '王五' }],
          content_text: '正文',
        },
        { id: 'j2', content_html: '<p>只有 <em>HTML</em> 内容</p>', date_modified: '2019-08-26' },
      ],
    });
    const result = run(body, 'text/plain');
    expect(result.mode).toBe('feed');
    expect(
      result.items.map((item) => [item.title, item.link, item.sourceGuid, item.published?.date.toISOString()]),
    ).toEqual([
      ['JSON 条目', 'https://feeds.example.cn/j/1', 'j1', '2019-08-27T02:00:00.000Z'],
      ['只有 HTML 内容', undefined, 'j2', '2019-08-25T16:00:00.000Z'],
    ]);
    expect(result.items[0]).toMatchObject({ categories: ['土壤'], author: '王五', summary: '正文' });
  });

  it('throws EXTRACT_PARSE for a broken or unknown feed', () => {
    expect(() =>
      run('<rss version="2.0"><channel><title>x</title><item><title>a</item></channel>', 'application/rss+xml'),
    ).toThrowError(expect.objectContaining({ code: 'EXTRACT_PARSE', sourceId: 'feed' }));
    expect(() => run('{"not":"a feed"}', 'application/json')).toThrowError(
      expect.objectContaining({ code: 'EXTRACT_PARSE' }),
    );
    expect(() => run('<html><body>x</body></html>', 'text/html', { type: 'feed' })).toThrowError(
      expect.objectContaining({ code: 'EXTRACT_PARSE' }),
    );
  });

  it('names an anti-bot challenge served in place of the feed', () => {
    const stub =
      '<html><head><script>var x=1;document.cookie="acw_sc__v2=5f1a…";location.reload();</script></head></html>';
    expect(() => run(stub, 'text/html', { type: 'feed' })).toThrowError(
      expect.objectContaining({ code: 'EXTRACT_CHALLENGE', message: expect.stringContaining('(Aliyun WAF)') }),
    );
  });
});

describe('sniffContent', () => {
  it.each([
    ['<?xml version="1.0"?>\n<!-- c --><rss version="2.0">', 'text/html', 'feed'],
    ['\ufeff  <feed xmlns="http://www.w3.org/2005/Atom">', 'text/xml', 'feed'],
    ['<?xml version="1.0"?><?xml-stylesheet href="s.xsl"?><rdf:RDF>', 'application/xml', 'feed'],
    ['<!DOCTYPE html><html><head>', 'text/html', 'html'],
    [
      '<?xml version="1.0"?>\n<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "http://my.netscape.com/publish/formats/rss-0.91.dtd">\n<rss version="0.91">',
      'text/xml',
      'feed',
    ],
    [
      '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY nbsp "&#160;"><!ENTITY copy "&#169;">]><rss version="2.0">',
      'application/xml',
      'feed',
    ],
    ['<!DOCTYPE html [<!ENTITY x "y">]><html><body>', 'text/xml', 'html'],
    ['<html><body>rss</body></html>', 'text/xml', 'html'],
    ['anything', 'application/atom+xml; charset=utf-8', 'feed'],
    ['anything', 'application/feed+json', 'feed'],
    ['{"version":"https://jsonfeed.org/version/1.1"}', 'text/plain', 'feed'],
  ])('sniffs %j served as %s as %s', (body, type, expected) => {
    expect(sniffContent(body, type)).toBe(expected);
  });
});
