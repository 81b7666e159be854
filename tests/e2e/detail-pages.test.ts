/**
 * End to end: a source given only its URL (automatic list detection) with `detail:` enrichment, run by
 * the real CLI against a local server. Asserts on what the server saw: detail pages are fetched only for
 * new items, once each, never more at a time than the per-host limit, and a failing detail page leaves its
 * item in the feed with the list page's data and a warning.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { runCli } from '../helpers/run-cli.js';

interface JsonFeedItem {
  id: string;
  title: string;
  url: string;
  date_published: string;
  summary?: string;
  content_text?: string;
  content_html?: string;
}

const ROWS = [
  {
    path: '/news/201908/t20190827_1001.html',
    title: '生态环境部召开部常务会议审议《生态环境标准管理办法》',
    date: '2019-08-27',
  },
  { path: '/news/201908/t20190826_1002.html', title: '全国生态环境监测信息公开平台上线试运行', date: '' },
  { path: '/news/201908/t20190825_1003.html', title: '长江入河排污口排查整治专项行动部署会召开', date: '2019-08-25' },
];
const NEW_ROW = {
  path: '/news/201908/t20190828_1004.html',
  title: '生态环境部通报7月全国环境空气质量状况',
  date: '2019-08-28',
};

function listPage(rows: typeof ROWS): string {
  const items = rows
    .map(
      (row) =>
        `<li><a href="${row.path}" target="_blank">${row.title}</a>${row.date ? `<span class="date">${row.date}</span>` : ''}</li>`,
    )
    .join('\n');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>要闻动态</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/news/">新闻</a><a href="/gk/">信息公开</a><a href="/fw/">服务</a></div>
<div class="main"><ul class="list">${items}</ul><div class="page"><a href="index_1.html">下一页</a></div></div>
<div class="footer"><a href="/about/">关于我们</a> <a href="/map/">网站地图</a></div></body></html>`;
}

const DETAILS: Record<string, string> = {
  [ROWS[0]!.path]:
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${ROWS[0]!.title}</title><meta name="PubDate" content="2019-08-27 10:21">
<meta name="description" content="生态环境部部长主持召开部常务会议，审议并原则通过《生态环境标准管理办法》，会议强调要加快构建生态环境标准体系。"></head>
<body><h1>${ROWS[0]!.title}</h1><p>正文……</p></body></html>`,
  [ROWS[1]!.path]: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${ROWS[1]!.title}</title>
<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2019-08-26T09:30:00+08:00"}</script></head>
<body><article><h1>${ROWS[1]!.title}</h1><p>为进一步推进生态环境信息公开，全国生态环境监测信息公开平台于8月26日上线试运行，公众可查询各地空气和水环境质量监测数据。</p></article></body></html>`,
  [NEW_ROW.path]: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${NEW_ROW.title}</title></head>
<body><h1>${NEW_ROW.title}</h1><div class="info">来源：大气司　发布时间：2019-08-28 15:30</div><p>7月，全国337个地级及以上城市平均优良天数比例为80.1%，同比上升2.5个百分点。细颗粒物浓度同比下降。</p></body></html>`,
};

let server: TestServer;
let dir: string;
let rows = [...ROWS];
let inFlight = 0;
let maxInFlight = 0;

function detailFetches(): number {
  return server.requests.filter((r) => r.path.startsWith('/news/2019')).length;
}

beforeAll(async () => {
  server = await startTestServer({
    '/robots.txt': (_req, res) => void res.writeHead(404).end(),
    '/news/': (_req, res) =>
      void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(listPage(rows)),
    // The third item's page is broken.
    [ROWS[2]!.path]: (_req, res) => void res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>500</h1>'),
  });
  for (const [path, html] of Object.entries(DETAILS)) {
    server.route(path, async (_req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 40));
      inFlight -= 1;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    });
  }
  dir = await mkdtemp(join(tmpdir(), 'feedwright-detail-'));
  await writeFile(
    join(dir, 'feedwright.yaml'),
    [
      'site:',
      '  title: detail e2e',
      'store: sqlite://data/test.sqlite',
      'output: out',
      'defaults:',
      '  timezone: Asia/Shanghai',
      '  minDelay: 0ms',
      '  retries: 0',
      '  perHost: 1',
      'sources:',
      '  - id: news',
      `    url: ${server.origin}/news/`,
      '    detail:',
      '      fields: [date, summary]',
    ].join('\n'),
  );
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function readItems(): Promise<JsonFeedItem[]> {
  return (JSON.parse(await readFile(join(dir, 'out/news.feed.json'), 'utf8')) as { items: JsonFeedItem[] }).items;
}

describe('detail pages through the real CLI', () => {
  it("fetches each new item's page once, takes its date and summary, and keeps an item whose page fails", async () => {
    const result = await runCli(dir, ['run', '-c', 'feedwright.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/news\s+updated\s+3\s+3/);
    expect(server.count('/news/')).toBe(1);
    for (const row of ROWS) expect(server.count(row.path)).toBe(1);
    expect(maxInFlight).toBe(1);
    // The failure is reported, not fatal.
    const warning = result.stderr
      .split('\n')
      .find((line) => line.includes('detail page of') && line.includes(ROWS[2]!.title));
    expect(warning).toMatch(/HTTP 500/);
    expect(warning).toMatch(/keeps its list-page data/);

    const items = await readItems();
    const byTitle = new Map(items.map((item) => [item.title, item]));
    expect(items).toHaveLength(3);
    // A day on the list page, the time from the detail page's <meta name="PubDate">.
    expect(new Date(byTitle.get(ROWS[0]!.title)!.date_published).toISOString()).toBe('2019-08-27T02:21:00.000Z');
    expect(JSON.stringify(byTitle.get(ROWS[0]!.title))).toContain('会议强调要加快构建生态环境标准体系');
    // No date on the list page: JSON-LD datePublished.
    expect(new Date(byTitle.get(ROWS[1]!.title)!.date_published).toISOString()).toBe('2019-08-26T01:30:00.000Z');
    expect(JSON.stringify(byTitle.get(ROWS[1]!.title))).toContain('全国生态环境监测信息公开平台于8月26日上线试运行');
    // The failed page: list-page date (midnight in Asia/Shanghai), no summary.
    const failed = byTitle.get(ROWS[2]!.title)!;
    expect(new Date(failed.date_published).toISOString()).toBe('2019-08-24T16:00:00.000Z');
    expect(failed.summary ?? failed.content_text ?? failed.content_html ?? '').not.toContain('正文');
  });

  it('fetches exactly one detail page when the list gains one item, and none for known or recently failed items', async () => {
    const before = detailFetches();
    rows = [NEW_ROW, ...ROWS];
    const result = await runCli(dir, ['run', '-c', 'feedwright.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/news\s+updated\s+4\s+1/);
    expect(detailFetches() - before).toBe(1);
    expect(server.count(NEW_ROW.path)).toBe(1);
    expect(server.count(ROWS[2]!.path)).toBe(1);
    const items = await readItems();
    const added = items.find((item) => item.title === NEW_ROW.title)!;
    // Labelled visible date (发布时间：2019-08-28 15:30) replaces the list page's bare day.
    expect(new Date(added.date_published).toISOString()).toBe('2019-08-28T07:30:00.000Z');
    expect(JSON.stringify(added)).toContain('全国337个地级及以上城市平均优良天数比例');
  });

  it('fetches no detail page when the list page is unchanged', async () => {
    const before = detailFetches();
    const result = await runCli(dir, ['run', '-c', 'feedwright.yaml']);
    expect(result.code).toBe(0);
    expect(detailFetches()).toBe(before);
  });
});
