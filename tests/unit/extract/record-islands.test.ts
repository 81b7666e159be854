import { describe, expect, it } from 'vitest';
import { extractItems } from '../../../src/extract/index.js';
import { expandRecordIslands } from '../../../src/extract/html/record-islands.js';
import { plainExtractOptions } from '../../helpers/extract-options.js';

const ROW = (n: number, day: number) =>
  `<li><a href="/art/2024/11/${day}/art_1229_${n}.html" title="关于第${n}号事项的通知全文">关于第${n}号事项的通知</a><span>2024-11-${day}</span></li>`;

const island = (records: string[]) =>
  `<script type="text/xml"><datastore><nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&columnid=1229&unitid=4488593"></a>]]></nextgroup>` +
  `<recordset>${records.map((record) => `<record><![CDATA[\n${record}\n]]></record>`).join('\n')}</recordset></datastore></script>`;

describe('expandRecordIslands', () => {
  it('puts the records of a script data island where the script stood, and keeps the rest', () => {
    const page = `<body><div id="4488593">${island([ROW(1, 20), ROW(2, 19)])}<script>$('#4488593').jpage({});</script></div></body>`;
    const expanded = expandRecordIslands(page);
    expect(expanded).toBe(
      `<body><div id="4488593">${ROW(1, 20)}\n${ROW(2, 19)}<script>$('#4488593').jpage({});</script></div></body>`,
    );
  });

  it('returns the page itself when it has no island (no copy)', () => {
    const page = '<body><ul><li><a href="/a.html">a</a></li></ul><script>var recordset = 1;</script></body>';
    expect(expandRecordIslands(page)).toBe(page);
    const mentioned = '<body><script>// <recordset> is filled by the server</script></body>';
    expect(expandRecordIslands(mentioned)).toBe(mentioned);
  });

  it('reads escaped records and upper-case tags', () => {
    const escaped = ROW(3, 18).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
    const page = `<DIV><SCRIPT type="text/xml"><DATASTORE><RECORDSET><RECORD>${escaped}</RECORD></RECORDSET></DATASTORE></SCRIPT></DIV>`;
    expect(expandRecordIslands(page)).toBe(`<DIV>${ROW(3, 18)}</DIV>`);
  });

  it('joins a record split into several CDATA sections', () => {
    const page = `<div><script type="text/xml"><datastore><recordset><record><![CDATA[<li>a ]]]]><![CDATA[> b</li>]]></record></recordset></datastore></script></div>`;
    expect(expandRecordIslands(page)).toBe('<div><li>a ]]> b</li></div>');
  });

  it('reads a whole datastore document (the CMS data proxy answer)', () => {
    const answer = `<?xml version="1.0" encoding="utf-8"?>\n<datastore><totalrecord>386</totalrecord><totalpage>26</totalpage><recordset><record><![CDATA[${ROW(4, 17)}]]></record><record><![CDATA[${ROW(5, 16)}]]></record></recordset></datastore>`;
    expect(expandRecordIslands(answer)).toBe(`<html><body>\n${ROW(4, 17)}\n${ROW(5, 16)}\n</body></html>`);
  });

  it('leaves a broken island as it is: a script that never closes, a record that never ends', () => {
    const unclosed = `<div><script type="text/xml"><datastore><recordset><record><![CDATA[${ROW(6, 15)}`;
    expect(expandRecordIslands(unclosed)).toBe(unclosed);
    const noTagEnd = '<div><recordset><script';
    expect(expandRecordIslands(noTagEnd)).toBe(noTagEnd);
  });
});

describe('extracting a page whose list is a script data island (Hanweb jpage)', () => {
  const page = `<html><head><title>通知公告</title></head><body>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/col/col1204/index.html">新闻中心</a></li><li><a href="/col/col1205/index.html">政务公开</a></li></ul>
<div class="list-content"><div id="4488593">${island([20, 19, 18, 15, 14, 12, 8].map((day, i) => ROW(100 + i, day)))}
<script>$(document).ready(function(){ $('#4488593').jpage({ perPage: 15 }); });</script></div></div></body></html>`;
  const NOW = new Date('2024-11-29T00:00:00+08:00');
  const input = { body: page, contentType: 'text/html', url: 'http://sthjj.example.gov.cn/col/col1229/index.html' };

  it('finds the rows automatically, with links and dates', () => {
    const result = extractItems(input, plainExtractOptions('hanweb', NOW));
    expect(result.mode).toBe('auto');
    expect(result.items).toHaveLength(7);
    expect(result.items[0]).toMatchObject({
      title: '关于第100号事项的通知',
      link: 'http://sthjj.example.gov.cn/art/2024/11/20/art_1229_100.html',
    });
    expect(result.items.every((item) => item.published !== undefined)).toBe(true);
  });

  it('takes selectors written against the rows the browser shows', () => {
    const result = extractItems(
      input,
      plainExtractOptions('hanweb', NOW, { selectors: { items: 'div.list-content li' } }),
    );
    expect(result.items.map((item) => item.title)).toHaveLength(7);
  });
});
