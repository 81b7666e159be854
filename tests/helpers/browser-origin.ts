/**
 * A local origin (127.0.0.1) serving the pages a headless browser is needed for: a list filled by
 * script from a JSON endpoint, a JavaScript challenge stub (加速乐-style: HTTP 521, a cookie computed in
 * script, then a reload), an endless page, a page that tries to leave its host, a page that fires
 * hundreds of sub-requests, a page whose script reads a "router admin" answer into its list, a
 * page whose script never yields, and server redirects: a same-host chain,
 * one to a robots-disallowed path, one to another host, and a cookie gate that sets its cookie on a 302.
 */
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { startTestServer, type TestServer } from './http-server.js';

/** Debian's Chromium, which the browser tests drive. */
export const CHROMIUM = '/usr/bin/chromium';

/** True when the browser tests can run; in CI a missing Chromium fails them instead of skipping. */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing; CI must install chromium (.ci/run does)`);
  return false;
}

/** The origin and the knobs tests turn. */
export interface BrowserOrigin {
  server: TestServer;
  /** The value the challenge's cookie must have; change it to make the challenge come back. */
  secret: { seed: string };
  /** Rows the JSON endpoint and the challenge-protected list serve. */
  rows: Array<{ title: string; href: string; date: string }>;
  /** Responses of the endless page still open (ended on close). */
  close(): Promise<void>;
}

/** The cookie value the stub computes from its seed (the server checks the same). */
export function challengeAnswer(seed: string): string {
  let hash = 7;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007;
  return hash.toString(16);
}

/** Starts the origin. */
export async function startBrowserOrigin(): Promise<BrowserOrigin> {
  const secret = { seed: 'first-seed' };
  const rows = Array.from({ length: 5 }, (_, i) => ({
    title: `第${i + 1}号通知：关于开展大气污染防治专项检查的通知`,
    href: `/n/${i + 1}.html`,
    date: `2026-11-${String(10 + i).padStart(2, '0')}`,
  }));
  const open = new Set<ServerResponse>();
  const html = (res: ServerResponse, body: string, status = 200, headers: Record<string, string> = {}) =>
    void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers }).end(body);
  const listHtml = () =>
    `<html><head><title>通知公告</title></head><body><ul class="list">${rows
      .map((row) => `<li><a href="${row.href}">${row.title}</a><span>${row.date}</span></li>`)
      .join('')}</ul></body></html>`;

  const server = await startTestServer({
    '/robots.txt': (_req, res) =>
      void res.writeHead(200, { 'content-type': 'text/plain' }).end('User-agent: *\nDisallow: /private/\n'),
    '/api/list.json': (_req, res) =>
      void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(rows)),
    '/script-list/': (_req, res) =>
      html(
        res,
        `<html><head><title>通知公告</title></head><body><div class="nav">首页</div><ul class="list"></ul>
<script>
fetch('/api/list.json').then((r) => r.json()).then((rows) => {
  const list = document.querySelector('ul.list');
  for (const row of rows) {
    const li = document.createElement('li');
    li.innerHTML = '<a href="' + row.href + '">' + row.title + '</a><span>' + row.date + '</span>';
    list.appendChild(li);
  }
});
</script></body></html>`,
      ),
    '/private/list/': (_req, res) => html(res, listHtml()),
    '/plain-list/': (_req, res) => html(res, listHtml()),
    '/challenge/': (req, res) => {
      const cookie = req.headers.cookie ?? '';
      if (cookie.includes(`__jsl_clearance_s=${challengeAnswer(secret.seed)}`)) return html(res, listHtml());
      html(
        res,
        `<html><head></head><body><script>
var seed = ${JSON.stringify(secret.seed)};
var hash = 7;
for (var i = 0; i < seed.length; i++) hash = (hash * 31 + seed.charCodeAt(i)) % 1000000007;
setTimeout(function () {
  document.cookie = '__jsl_clearance_s=' + hash.toString(16) + ';max-age=3600;path=/';
  location.reload();
}, 150);
</script></body></html>`,
        521,
      );
    },
    '/endless/': (_req, res) => {
      // Headers and the list at once, then the document never ends.
      open.add(res);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.write(listHtml().replace('</body></html>', ''));
    },
    '/hang': (_req, res) => void open.add(res),
    '/endless-js/': (_req, res) =>
      html(
        res,
        listHtml().replace(
          '</body>',
          `<script>setInterval(() => fetch('/hang?' + Math.random()), 100);</script></body>`,
        ),
      ),
    '/escape/': (_req, res) =>
      html(
        res,
        listHtml().replace(
          '</body>',
          `<script>setTimeout(() => { location.href = 'http://localhost:${server.port}/elsewhere'; }, 30);</script></body>`,
        ),
      ),
    '/elsewhere': (_req, res) =>
      html(res, '<html><body><ul class="list"><li><a href="/x">escaped</a></li></ul></body></html>'),
    '/many/': (_req, res) =>
      html(
        res,
        listHtml().replace(
          '</body>',
          `<img src="/pixel.png"><img src="/pixel2.png"><script>for (let i = 0; i < 400; i++) fetch('/sub?' + i).catch(() => {});</script></body>`,
        ),
      ),
    '/sub': (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
    // A page whose script reads a "router admin" answer into its list.
    '/reach-in/': (_req, res) =>
      html(
        res,
        listHtml().replace(
          '</body>',
          `<script>fetch('/intranet.json').then((r) => r.text()).then((text) => {
  document.querySelector('ul.list').insertAdjacentHTML('beforeend', '<li><a href="/leak">' + text + '</a></li>');
}).catch(() => {});</script></body>`,
        ),
      ),
    // A list the page's script loads from an API on another origin, whose port the query names.
    '/api-elsewhere/': (_req, res) =>
      html(
        res,
        `<html><head><title>内网通知</title></head><body><ul class="list"></ul><script>
const port = new URLSearchParams(location.search).get('port');
fetch('http://127.0.0.1:' + port + '/api/list.json').then((r) => r.json()).then((rows) => {
  for (const row of rows) document.querySelector('ul.list').insertAdjacentHTML('beforeend', '<li><a href="' + row.href + '">' + row.title + '</a><span>' + row.date + '</span></li>');
});</script></body></html>`,
      ),
    // The same over a WebSocket whose port the query names (tests/helpers/websocket-server.ts).
    '/ws-reach/': (_req, res) =>
      html(
        res,
        listHtml().replace(
          '</body>',
          `<script>const port = new URLSearchParams(location.search).get('port');
const socket = new WebSocket('ws://127.0.0.1:' + port + '/feed');
socket.onmessage = (event) => document.querySelector('ul.list').insertAdjacentHTML('beforeend', '<li><a href="/leak">' + event.data + '</a></li>');</script></body>`,
        ),
      ),
    '/intranet.json': (_req, res) =>
      void res.writeHead(200, { 'content-type': 'application/json' }).end('"router admin password"'),
    '/pixel.png': (_req, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end(''),
    '/hung/': (_req, res) =>
      html(res, '<html><body><ul class="list"><li>x</li></ul><script>while (true) {}</script></body></html>'),
    '/not-found/': (_req, res) => html(res, '<html><body>gone</body></html>', 404),
    '/menu-shell/': (_req, res) =>
      html(
        res,
        `<html><head><title>通知公告</title></head><body>
<div class="header"><ul class="nav">${[
          '首页',
          '机构概况',
          '新闻中心',
          '政务公开',
          '政策法规',
          '办事服务',
          '互动交流',
          '专题专栏',
        ]
          .map((name, i) => `<li><a href="/c${i}/">${name}</a></li>`)
          .join('')}</ul></div>
<div class="left"><ul class="side">${['通知公告', '工作动态', '媒体报道', '图片新闻', '视频新闻']
          .map((name, i) => `<li><a href="/s${i}/">${name}</a></li>`)
          .join('')}</ul></div>
<div class="right"><div id="app"></div></div>
<div class="footer"><a href="/about">关于我们</a> | <a href="/map">网站地图</a> | <a href="/contact">联系我们</a></div>
<script>
fetch('/api/list.json').then((r) => r.json()).then((rows) => {
  document.getElementById('app').innerHTML = '<ul class="news">' + rows.map((row) =>
    '<li><a href="' + row.href + '">' + row.title + '</a><span class="time">' + row.date + '</span></li>').join('') + '</ul>';
});
</script></body></html>`,
      ),
    '/hop/1': (_req, res) => void res.writeHead(302, { location: '/hop/2' }).end(),
    '/hop/2': (_req, res) => void res.writeHead(301, { location: `${server.origin}/plain-list/` }).end(),
    '/redirect-private/': (_req, res) => void res.writeHead(302, { location: '/private/list/' }).end(),
    '/redirect-off/': (_req, res) =>
      void res.writeHead(302, { location: `http://localhost:${server.port}/elsewhere` }).end(),
    '/cookie-gate/': (req, res) => {
      if ((req.headers.cookie ?? '').includes(`gate=${challengeAnswer(secret.seed)}`)) return html(res, listHtml());
      res.writeHead(302, { location: '/cookie-gate/set' }).end();
    },
    '/cookie-gate/set': (_req, res) =>
      void res
        .writeHead(302, {
          location: '/cookie-gate/',
          'set-cookie': [`gate=${challengeAnswer(secret.seed)}; Max-Age=3600; Path=/; HttpOnly`, 'seen=1; Path=/'],
        })
        .end(),
  });
  return {
    server,
    secret,
    rows,
    async close() {
      for (const res of open) res.destroy();
      await server.close();
    },
  };
}
