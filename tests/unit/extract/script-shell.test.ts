/** Recognising a page whose list is built by script (what `render: auto` hands to the browser). */
import { describe, expect, it } from 'vitest';
import { describeScriptShell } from '../../../src/extract/index.js';

const shells: Array<[string, string, RegExp]> = [
  [
    'an inline fetch of a JSON endpoint',
    '<ul class="list"></ul><script>fetch("/api/list.json").then((r) => r.json())</script>',
    /inline script loads data/,
  ],
  ['jQuery ajax', '<div id="news"></div><script>$.ajax({ url: "/list.do" })</script>', /inline script loads data/],
  ['an empty Vue/React mount point', '<div id="app"></div><script src="/js/app.js"></script>', /empty mount point/],
  [
    'next to no text besides external scripts',
    '<body><p>加载中</p><script src="/static/list.js"></script></body>',
    /next to no text besides 1 external script/,
  ],
];

const pages: Array<[string, string]> = [
  ['a page without scripts', '<ul><li><a href="/1">一</a></li></ul>'],
  [
    'a text-rich page with an analytics script',
    `<p>${'政策文件发布说明'.repeat(40)}</p><script src="https://stats.example/hm.js"></script>`,
  ],
  ['a page with a harmless inline script', '<p>x</p><script>document.title = "通知"</script>'],
];

describe('describeScriptShell', () => {
  it.each(shells)('recognises %s', (_name, body, reason) => {
    expect(describeScriptShell(body)).toMatch(reason);
  });
  it.each(pages)('leaves alone %s', (_name, body) => {
    expect(describeScriptShell(body)).toBeUndefined();
  });
});
