/**
 * What a subscriber and an operator see after `feedwright run` over the bundled demo site: the
 * written feed files and index page, and the CLI's own output. Every check reads a file or stdout.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoSite, type DemoSite } from '../../demo/demo-site.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { startTestServer } from '../helpers/http-server.js';
import { cliCommand, runCli, spawnCli, type CliResult } from '../helpers/run-cli.js';

/** util-linux `script` gives the command a pseudo-terminal, as an operator's shell would. */
const SCRIPT = '/usr/bin/script';

let site: DemoSite;
let dir: string;
let firstRun: CliResult;
let secondRun: CliResult;
let firstIndex: { text: string; mtimeMs: number };

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
      '  - id: clean-air',
      `    url: ${site.origin}/feed.xml`,
      '    timezone: America/New_York',
      '  - id: odd-dates',
      `    url: ${site.origin}/ywdt/`,
      '    items: ul.list > li',
      '    date: a',
      'feeds:',
      '  - id: air',
      '    title: 大气',
      '    sources: all',
      '    include: [大气, 空气]',
    ].join('\n'),
  );
  firstRun = await feedwright('run', '-c', 'feedwright.yaml');
  firstIndex = { text: await output('index.html'), mtimeMs: (await stat(join(dir, 'out', 'index.html'))).mtimeMs };
  secondRun = await feedwright('run', '-c', 'feedwright.yaml');
}, 90_000);

/** One feed's card on the index page. */
function card(html: string, id: string): string {
  const start = html.indexOf(`id="feed-${id}"`);
  const end = html.indexOf('<li class="feed"', start);
  return html.slice(start, end === -1 ? undefined : end);
}

/** What a terminal shows for `raw` output: `\r\x1b[2K` clears the line, other escapes are dropped. */
function renderTerminal(raw: string): string[] {
  const lines: string[] = [];
  let current = '';
  const text = raw.replace(/\r\n/g, '\n');
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('\r\x1b[2K', i)) {
      current = '';
      i += 4;
    } else if (text[i] === '\n') {
      lines.push(current);
      current = '';
    } else if (text[i] === '\x1b') {
      const end = /^\x1b\[[0-9;?]*[A-Za-z]/.exec(text.slice(i));
      i += (end?.[0].length ?? 1) - 1;
    } else if (text[i] !== '\r') current += text[i];
  }
  if (current !== '') lines.push(current);
  return lines;
}

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

describe('index.html', () => {
  it('shows when each source was checked and its newest item, in the site zone', async () => {
    const mee = card(await output('index.html'), 'mee-news');
    expect(mee).toMatch(
      /上次检查 <span class="en" lang="en">Checked<\/span><\/dt><dd><time datetime="[^"]+">\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\+08:00<\/time>/,
    );
    expect(mee).toMatch(
      /最新条目 <span class="en" lang="en">Newest item<\/span><\/dt><dd><time datetime="[^"]+">\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\+08:00<\/time>/,
    );
  });

  it('lists the newest five headlines of each feed, linked to the articles', async () => {
    const html = await output('index.html');
    const headlines = card(html, 'mee-news').match(/<ol class="headlines">([\s\S]*?)<\/ol>/)?.[1] ?? '';
    const links = [...headlines.matchAll(/<li><a href="([^"]+)">([^<]+)<\/a>/g)];
    expect(links).toHaveLength(5);
    const rss = await output('mee-news.rss.xml');
    const firstItem = /<item>\s*<title>([^<]+)<\/title>\s*<link>([^<]+)<\/link>/.exec(rss);
    expect(links[0]?.[2]).toBe(firstItem?.[1]);
    expect(links[0]?.[1]).toBe(firstItem?.[2]);
    expect(card(html, 'air')).toMatch(/<ol class="headlines"><li><a href="http/);
  });

  it('says in subscriber words that the sources work, without repeating the feed title as description', async () => {
    const html = await output('index.html');
    expect(card(html, 'mee-news')).toContain('正常更新 <span lang="en">Working</span>');
    expect(card(html, 'mee-news')).toContain('<p class="desc">');
    expect(card(html, 'tw-news')).not.toContain('<p class="desc">');
    expect(html).not.toMatch(/<script/i);
  });

  it('is not rewritten by a second pass that finds nothing new', async () => {
    expect(secondRun.stdout).toContain('4/4 sources ok');
    expect(secondRun.stdout).toContain(', 0 file(s) written');
    expect(await output('index.html')).toBe(firstIndex.text);
    expect((await stat(join(dir, 'out', 'index.html'))).mtimeMs).toBe(firstIndex.mtimeMs);
  });
});

describe('a source without name:', () => {
  it('takes the page title for its feed title, converted like its items (convert: t2s)', async () => {
    expect(await output('tw-news.rss.xml')).toMatch(/<channel>\s*<title>新闻专区 - 环境部（示范站）<\/title>/);
    expect(JSON.parse(await output('tw-news.feed.json'))).toMatchObject({ title: '新闻专区 - 环境部（示范站）' });
    expect(card(await output('index.html'), 'tw-news')).toContain('新闻专区 - 环境部（示范站）</a></h3>');
  });
});

describe('feedwright serve (standalone)', () => {
  it("answers /metrics with every source's stored health, as its help says", async () => {
    const help = await feedwright('serve', '--help');
    expect(help.stdout).toContain('/metrics');
    const child = spawnCli(dir, ['serve', '-c', 'feedwright.yaml', '--port', '0']);
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout?.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const match = /at (http:\/\/\S+?)\/? \(/.exec(out);
          if (match?.[1]) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
      });
      const response = await fetch(`${url}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('feedwright_source_status{source="mee-news",status="not-modified"} 1');
      expect(text).toMatch(/feedwright_source_last_run_timestamp_seconds\{source="tw-news"\} \d+/);
      expect(text).toContain('feedwright_source_items_found{source="mee-news"} 8');
      expect(text).toContain('feedwright_source_consecutive_failures{source="clean-air"} 0');
    } finally {
      child.kill('SIGTERM');
    }
  }, 60_000);
});

describe('the run table', () => {
  it('shows fetch and wait time apart, and for an unchanged page the count kept from the last extraction', () => {
    expect(firstRun.stdout).toMatch(/SOURCE\s+STATUS\s+FOUND\s+NEW\s+FETCH MS\s+WAIT MS\s+TOTAL MS\s+NOTE/);
    expect(firstRun.stdout).toMatch(/^mee-news\s+updated\s+8\s+8\s+\d+\s+\d+\s+\d+/m);
    expect(secondRun.stdout).toMatch(/^mee-news\s+same-body\s+8\s+0\s+\d+\s+\d+\s+\d+/m);
    expect(secondRun.stdout).toMatch(/^tw-news\s+same-body\s+4\s+0\s/m);
  });
});

describe('the run table when a fetch has to wait', () => {
  it('puts a Retry-After wait in WAIT MS, not in FETCH MS', async () => {
    const page = await readFile(new URL('../../demo/site/ywdt/index.html', import.meta.url));
    let calls = 0;
    const flaky = await startTestServer({
      '/robots.txt': (_req, res) => void res.writeHead(404).end(),
      // The first answer asks to come back in 2 s; the retry gets the page.
      '/ywdt/': (_req, res) => {
        calls += 1;
        if (calls === 1) res.writeHead(503, { 'retry-after': '2', 'content-type': 'text/html' }).end('busy');
        else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
      },
    });
    try {
      const config = `store: sqlite://data/flaky.sqlite\noutput: flaky\ndefaults:\n  minDelay: 0ms\n  retries: 1\nsources:\n  - id: flaky\n    url: ${flaky.origin}/ywdt/\n    items: ul.list > li\n`;
      await writeFile(join(dir, 'flaky.yaml'), config);
      const run = await feedwright('run', '-c', 'flaky.yaml');
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const row = /^flaky\s+updated\s+8\s+8\s+(\d+)\s+(\d+)\s+(\d+)/m.exec(run.stdout);
      expect(row, run.stdout).not.toBeNull();
      const [fetchMs, waitMs, totalMs] = (row ?? []).slice(1).map(Number) as [number, number, number];
      expect(waitMs).toBeGreaterThanOrEqual(1900);
      expect(fetchMs).toBeLessThan(waitMs);
      expect(fetchMs + waitMs).toBeLessThanOrEqual(totalMs + 1);
    } finally {
      await flaky.close();
    }
  }, 60_000);
});

describe('status', () => {
  it("prints times in each source's own zone, with its offset", async () => {
    const status = await feedwright('status', '-c', 'feedwright.yaml');
    expect(status.stdout).toMatch(
      /^mee-news\s+(ok|not-modified)\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2} \+08:00\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2} \+08:00/m,
    );
    expect(status.stdout).toMatch(/^clean-air\s+\S+\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2} -0[45]:00/m);
    expect(status.stdout).not.toMatch(/\d{2}:\d{2}Z/);
  });
});

describe('the politeness warning', () => {
  it('is said once per host by check and run when a host is fetched more than once a minute, never by status or serve', async () => {
    const sources = ['a', 'b', 'c'].map(
      (id) =>
        `  - id: ${id}\n    url: ${site.origin}/ywdt/?${id}\n    items: ul.list > li\n    schedule: "*/2 * * * *"\n`,
    );
    await writeFile(
      join(dir, 'busy.yaml'),
      `store: sqlite://data/busy.sqlite\noutput: busy\ndefaults:\n  minDelay: 0ms\nsources:\n${sources.join('')}`,
    );
    const check = await feedwright('check', '-c', 'busy.yaml');
    expect(check.stdout + check.stderr).toMatch(/1\.5 times a minute on average by 3 source\(s\) \(a, b, c\)/);
    expect((check.stdout + check.stderr).match(/times a minute/g)).toHaveLength(1);
    const run = await feedwright('run', '-c', 'busy.yaml');
    expect((run.stdout + run.stderr).match(/times a minute/g)).toHaveLength(1);
    const status = await feedwright('status', '-c', 'busy.yaml');
    expect(status.stdout + status.stderr).not.toMatch(/times a minute/);
    // Seven sections of one site every 30 minutes is polite: no warning at all.
    const polite = Array.from({ length: 7 }, (_, n) => `  - id: s${n}\n    url: ${site.origin}/ywdt/?${n}\n`);
    await writeFile(join(dir, 'polite.yaml'), `defaults:\n  schedule: "*/30 * * * *"\nsources:\n${polite.join('')}`);
    const politeCheck = await feedwright('check', '-c', 'polite.yaml');
    expect(politeCheck.stdout + politeCheck.stderr).not.toMatch(/impolite|times a minute/);
  }, 60_000);
});

const missingScript = !existsSync(SCRIPT);
describe.skipIf(missingScript && !process.env.CI)('run on a terminal', () => {
  it('prints WARN lines above the progress bar, never glued to it', async () => {
    if (missingScript) throw new Error(`missing ${SCRIPT}: .ci/run must apt-get install bsdutils`);
    // Dates read from the headlines cannot be parsed: one warning per row, logged while the bar is drawn.
    await writeFile(
      join(dir, 'tty.yaml'),
      `store: sqlite://data/tty.sqlite\noutput: tty\ndefaults:\n  minDelay: 0ms\nsources:\n  - id: odd-dates\n    url: ${site.origin}/ywdt/\n` +
        '    items: ul.list > li\n    date: a\n  - id: mee-news\n' +
        `    url: ${site.origin}/ywdt/?again\n    items: ul.list > li\n`,
    );
    const command = cliCommand(['run', '-c', 'tty.yaml']);
    const quoted = command.map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(' ');
    // Asynchronously: the demo site answers from this very process.
    const result = await promisify(execFile)(SCRIPT, ['-qec', quoted, '/dev/null'], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const screen = renderTerminal(result.stdout);
    const warnLines = screen.filter((line) => /\bWARN\b/.test(line));
    expect(warnLines.length, screen.join('\n')).toBeGreaterThan(0);
    for (const line of warnLines) {
      expect(line, screen.join('\n')).toMatch(/^\d{2}:\d{2}:\d{2} WARN /);
      expect(line).not.toMatch(/\[[#.]{24}\]/);
    }
    expect(screen.some((line) => /^odd-dates\s+\S+/.test(line))).toBe(true);
  }, 90_000);
});
