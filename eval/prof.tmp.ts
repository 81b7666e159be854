import { extractItems } from '../src/extract/index.js';
const n = Number(process.argv[2] ?? 5000);
const rows = Array.from(
  { length: n },
  (_, i) => `<li><a href="/a/${i}.html">一个足够长的新闻标题第${i}条消息</a><span>2019-08-01</span></li>`,
).join('');
const body = `<html><body><ul>${rows}</ul></body></html>`;
const t = process.cpuUsage();
const r = extractItems(
  { body, contentType: 'text/html', url: 'http://x/' },
  {
    sourceId: 'b',
    type: 'html',
    selectors: {},
    timezone: 'Asia/Shanghai',
    now: new Date(),
    replace: [],
    summaryLength: 200,
  },
);
console.log(n, r.items.length, (process.cpuUsage(t).user / 1000).toFixed(0), 'ms');
