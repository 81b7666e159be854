import { capNesting } from '../src/extract/html/nesting-cap.js';
const n = 2000;
const body =
  '<html><body>' +
  '<div>'.repeat(n) +
  '<ul><li><a href="/a/1.html">一个足够长的新闻标题第一条</a> 2019-08-01</li><li><a href="/a/2.html">一个足够长的新闻标题第二条</a></li></ul>' +
  '</div>'.repeat(n) +
  '</body></html>';
const c = capNesting(body, 5);
console.log(c.dropped, c.html.slice(0, 300));
