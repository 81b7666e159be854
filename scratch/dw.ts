import { extractItems } from '../src/extract/index.js';
const rows = Array.from({length: 8}, (_, i) => `<li><a href="/a/${i}.html" target="_blank"><script>var t = "关于开展第${i}批生态环境执法检查工作的通知"; document.write(t.length > 40 ? t.substr(0, 40) + "..." : t);</script></a><span><script>document.write("2024-11-${10+i} 09:30:00".substring(0,10));</script></span></li>`).join('\n');
const html = `<html><body><ul class="nav"><li><a href="/">首页</a></li><li><a href="/x/">新闻</a></li></ul><div class="list"><ul>${rows}</ul></div></body></html>`;
const r = extractItems({ body: html, url: 'http://example.gov.cn/list/', contentType: 'text/html' } as never, { sourceId: 'x', type: 'html', selectors: {}, timezone: 'Asia/Shanghai', now: new Date('2024-11-29T09:00:00+08:00'), summaryLength: 200, replace: [] } as never);
console.log(r.mode, r.selectors, r.items.length, r.warnings.map(w=>w.code));
for (const i of r.items.slice(0, 4)) console.log(JSON.stringify(i.title), i.link, i.published?.date.toISOString());
