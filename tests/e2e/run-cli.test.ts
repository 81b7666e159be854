/**
 * End to end: a local server with realistic list pages (UTF-8 and GBK), the real `feedwright run`
 * command in a child process, and the feed files it writes, read back with a feed parser.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFeed } from 'feedsmith';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoSourceYaml } from '../helpers/demo-sources.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { runCli } from '../helpers/run-cli.js';
import { missingTools, parseWithFeedparser } from '../helpers/feed-consumers.js';

const ROOT = new URL('../../', import.meta.url);

const NEW_ROW_UTF8 =
  '<li><a href="./202611/t20261128_1101300.shtml" target="_blank" title="生态环境部发布2026年11月全国空气质量状况">生态环境部发布2026年11月全国空气质量状况</a><span class="date">2026-11-28</span></li>';

let server: TestServer;
let dir: string;
let utf8Page: string;
let gbkPage: Buffer;
let failGbk = false;

function feedwright(...args: string[]) {
  return runCli(dir, args);
}

beforeAll(async () => {
  utf8Page = await readFile(new URL('demo/site/ywdt/index.html', ROOT), 'utf8');
  gbkPage = await readFile(new URL('demo/site/hbt/tzgg.html', ROOT));
  server = await startTestServer({
    '/robots.txt': (_req, res) => void res.writeHead(404).end(),
    '/ywdt/': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(utf8Page),
    // No charset in the header: the page declares gb2312 in <meta>, as many government sites do.
    '/tzgg/': (_req, res) => {
      if (failGbk) res.writeHead(500, { 'content-type': 'text/html' }).end('<h1>500 Internal Server Error</h1>');
      else res.writeHead(200, { 'content-type': 'text/html' }).end(gbkPage);
    },
  });
  dir = await mkdtemp(join(tmpdir(), 'feedwright-e2e-'));
  await writeFile(
    join(dir, 'feedwright.yaml'),
    [
      'site:',
      '  title: e2e',
      '  url: https://feeds.example.org/',
      'store: sqlite://data/test.sqlite',
      'output: out',
      'defaults:',
      '  timezone: Asia/Shanghai',
      '  minDelay: 0ms',
      '  retries: 0',
      'sources:',
      ...demoSourceYaml(server.origin),
    ].join('\n'),
  );
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('feedwright run', () => {
  it('writes RSS, Atom and JSON feeds with the right Chinese titles, absolute links and dated items', async () => {
    const result = await feedwright('run', '-c', 'feedwright.yaml');
    expect(result.stderr).not.toMatch(/error/i);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/mee\s+updated\s+8\s+8/);
    expect(result.stdout).toMatch(/province\s+updated\s+6\s+6/);

    const rss = parseFeed(await readFile(join(dir, 'out/province.rss.xml'), 'utf8'));
    expect(rss.format).toBe('rss');
    const items = (rss.feed as { items: Array<{ title: string; link: string; pubDate: string }> }).items;
    expect(items).toHaveLength(6);
    expect(items[0]!.title).toBe('关于印发《某省2026-2027年秋冬季大气污染综合治理攻坚方案》的通知');
    // Cut short on the page ("…情况...") and restored from the link's title attribute.
    expect(items[1]!.title).toBe('某省生态环境厅关于2026年第三季度重点排污单位自动监控数据超标情况的通报');
    expect(items[0]!.link).toBe(`${server.origin}/tzgg/202611/t20261126_88123.html`);
    expect(items.every((item) => !/[\uFFFD]|Ã|Â/.test(item.title))).toBe(true);

    const atom = await readFile(join(dir, 'out/mee.atom.xml'), 'utf8');
    // Dates carry the +08:00 day boundary of Asia/Shanghai: 2026-11-27 local is 2026-11-26T16:00Z or later.
    const parsedAtom = parseFeed(atom);
    expect(parsedAtom.format).toBe('atom');
    const entries = (
      parsedAtom.feed as {
        entries: Array<{
          title: { value: string };
          links: Array<{ href: string }>;
          published?: string;
          updated: string;
        }>;
      }
    ).entries;
    expect(entries).toHaveLength(8);
    expect(entries[0]!.title.value).toContain('生态环境部召开部常务会议');
    expect(atom).toContain('<published>2026-11-27T00:00:00+08:00</published>');
    expect(entries[0]!.links[0]!.href).toBe(`${server.origin}/ywdt/202611/t20261127_1101234.shtml`);
    const first = new Date(entries[0]!.published ?? entries[0]!.updated);
    expect(first.getTime()).toBeGreaterThanOrEqual(Date.parse('2026-11-26T16:00:00Z'));
    expect(first.getTime()).toBeLessThan(Date.parse('2026-11-27T16:00:00Z'));

    const json = JSON.parse(await readFile(join(dir, 'out/mee.feed.json'), 'utf8')) as { items: unknown[] };
    expect(json.items).toHaveLength(8);
    await expect(stat(join(dir, 'out/index.html'))).resolves.toBeTruthy();
    await expect(stat(join(dir, 'out/feeds.opml'))).resolves.toBeTruthy();
  });

  const feedparserMissing = missingTools(['python']);
  it.skipIf(feedparserMissing.length > 0 && !process.env.CI)(
    'writes feeds that python3-feedparser reads cleanly (bozo 0, same entries)',
    async () => {
      expect(feedparserMissing, 'python3-feedparser is required in CI (.ci/run installs it)').toEqual([]);
      for (const [source, count] of [
        ['mee', 8],
        ['province', 6],
      ] as const) {
        const expectedTitles = (
          JSON.parse(await readFile(join(dir, `out/${source}.feed.json`), 'utf8')) as {
            items: Array<{ title: string }>;
          }
        ).items.map((i) => i.title);
        for (const format of ['rss', 'atom'] as const) {
          const parsed = await parseWithFeedparser(join(dir, `out/${source}.${format}.xml`));
          expect(parsed.bozo, `${source}.${format}: ${parsed.bozoException}`).toBe(false);
          expect(parsed.entries).toHaveLength(count);
          expect(parsed.entries.map((entry) => entry.title)).toEqual(expectedTitles);
          expect(
            parsed.entries.every(
              (entry) => entry.link.startsWith(server.origin) && typeof entry.published === 'number',
            ),
          ).toBe(true);
        }
      }
    },
  );

  it('announces nothing new on a second run over the same pages and leaves the files untouched', async () => {
    const before = await stat(join(dir, 'out/mee.rss.xml'));
    const result = await feedwright('run', '-c', 'feedwright.yaml');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/mee\s+(unchanged|same-body|not-modified)\s+(\d+|-)\s+0\s/);
    expect(result.stdout).toMatch(/province\s+(unchanged|same-body|not-modified)\s+(\d+|-)\s+0\s/);
    const after = await stat(join(dir, 'out/mee.rss.xml'));
    expect(after.mtimeMs).toBe(before.mtimeMs);
  });

  it('yields exactly one new item when the page gains one headline', async () => {
    utf8Page = utf8Page.replace('<ul id="div" class="list">', `<ul id="div" class="list">\n      ${NEW_ROW_UTF8}`);
    const result = await feedwright('run', '-c', 'feedwright.yaml', '--source', 'mee');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/mee\s+updated\s+9\s+1\s/);
    const rss = await readFile(join(dir, 'out/mee.rss.xml'), 'utf8');
    expect(rss.match(/<item>/g)).toHaveLength(9);
    expect(rss).toContain('生态环境部发布2026年11月全国空气质量状况');
  });

  it('keeps the earlier feed files of a source whose server fails, byte for byte, and exits 1', async () => {
    const files = ['province.rss.xml', 'province.atom.xml', 'province.feed.json'];
    const before = await Promise.all(files.map((name) => readFile(join(dir, 'out', name))));
    // The page gains a row too, so only the failure can explain unchanged files.
    const newRow =
      '<tr><td class="bt"><a href="/tzgg/202611/t20261127_88150.html">关于新增通知的公告</a></td><td class="sj">2026年11月27日</td></tr>\n';
    gbkPage = iconv.encode(
      iconv.decode(gbkPage, 'gb18030').replace('<tr><td class="bt">', `${newRow}<tr><td class="bt">`),
      'gb18030',
    );
    failGbk = true;
    const result = await feedwright('run', '-c', 'feedwright.yaml');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/province\s+failed/);
    expect(result.stdout).toMatch(/source "province".*500/);
    expect(result.stdout).toMatch(/mee\s+(unchanged|same-body|not-modified)/);
    const after = await Promise.all(files.map((name) => readFile(join(dir, 'out', name))));
    after.forEach((content, index) => expect(content.equals(before[index]!)).toBe(true));
  });

  it('rejects an invalid config with exit code 2 and names file, line and field', async () => {
    await writeFile(join(dir, 'bad.yaml'), 'sources:\n  - id: x\n    url: http://127.0.0.1:1/\n    itemz: li\n');
    const result = await feedwright('run', '-c', 'bad.yaml');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('bad.yaml:4:5 sources[0].itemz: unknown field "itemz"');
  });
});
