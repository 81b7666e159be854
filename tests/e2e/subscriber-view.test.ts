/**
 * What a subscriber and an operator see after `feedwright run` over the bundled demo site: the
 * written feed files and index page, and the CLI's own output. Every check reads a file or stdout.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoSite, type DemoSite } from '../../demo/demo-site.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

let site: DemoSite;
let dir: string;
let firstRun: CliResult;

function feedwright(...args: string[]) {
  return runCli(dir, args);
}

function output(name: string): Promise<string> {
  return readFile(join(dir, 'out', name), 'utf8');
}

beforeAll(async () => {
  site = await startDemoSite(0);
  dir = await mkdtemp(join(tmpdir(), 'feedwright-view-'));
  await writeFile(
    join(dir, 'feedwright.yaml'),
    [
      'site:',
      '  title: view test',
      '  language: zh-CN',
      'store: sqlite://data/view.sqlite',
      'output: out',
      'defaults:',
      '  timezone: Asia/Shanghai',
      '  minDelay: 0ms',
      '  retries: 0',
      'sources:',
      '  - id: mee-news',
      '    name: 生态环境部 · 要闻动态',
      `    url: ${site.origin}/ywdt/`,
      '    items: ul.list > li',
      '  - id: tw-news',
      `    url: ${site.origin}/tw/news/`,
      '    timezone: Asia/Taipei',
      '    items: div.news-list > div.card',
      '    title: h3 a',
      '    date: p.meta',
      '    summary: p.desc',
      '    convert: t2s',
      'feeds:',
      '  - id: air',
      '    title: 大气',
      '    sources: all',
      '    include: [大气, 空气]',
    ].join('\n'),
  );
  firstRun = await feedwright('run', '-c', 'feedwright.yaml');
}, 60_000);

afterAll(async () => {
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('feeds after conversion between Chinese scripts', () => {
  it('declares zh-Hans for a Big5 zh-Hant-TW page converted with t2s', async () => {
    expect(firstRun.code, firstRun.stderr).toBe(0);
    expect(await output('tw-news.rss.xml')).toContain('<language>zh-Hans</language>');
    expect(await output('tw-news.atom.xml')).toContain('xml:lang="zh-Hans"');
    expect(JSON.parse(await output('tw-news.feed.json'))).toMatchObject({ language: 'zh-Hans' });
  });
});
