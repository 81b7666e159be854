/**
 * A store that comes back empty (a zero-byte SQLite file) while the output folder holds feeds with
 * items: `run` must rebuild each source's history from its feed files, keeping item ids, GUIDs and
 * first-seen times, so the feeds keep their items and nothing is announced again; with
 * `emptyStore: refuse` it must refuse and leave the feeds alone.
 */
import { mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/http-server.js';
import { runCli } from '../helpers/run-cli.js';

interface JsonItem {
  id: string;
  title: string;
  _feedwright?: { id: string; first_seen: string };
}

let server: TestServer;
const dirs: string[] = [];
/** How many of the newest headlines each page shows (the audit: 50 once, 20 after the store was lost). */
const shown = { news: 60, other: 30 };

function listPage(source: 'news' | 'other', total: number): string {
  const rows = Array.from({ length: Math.min(total, shown[source]) }, (_, k) => {
    const i = total - 1 - k;
    const date = new Date(Date.UTC(2026, 8, 1) + i * 86_400_000).toISOString().slice(0, 10);
    return `<li><a href="/${source}/a${i}.html?utm_source=x">${source} 大气通知 ${i}</a><span class="date">${date}</span></li>`;
  });
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${source}</title></head><body><ul class="list">${rows.join('')}</ul></body></html>`;
}

beforeAll(async () => {
  server = await startTestServer({
    '/robots.txt': (_req, res) => void res.writeHead(404).end(),
    '/news/': (_req, res) =>
      void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(listPage('news', 60)),
    '/other/': (_req, res) =>
      void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(listPage('other', 30)),
  });
});

afterAll(async () => {
  await server?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function project(extra: string[] = []): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'feedwright-empty-store-'));
  dirs.push(dir);
  const source = (id: string) => [
    `  - id: ${id}`,
    `    url: ${server.origin}/${id}/`,
    '    items: ul.list > li',
    '    date: span.date',
  ];
  await writeFile(
    join(dir, 'feedwright.yaml'),
    [
      'store: sqlite://data/store.sqlite',
      'output: out',
      ...extra,
      'defaults:',
      '  minDelay: 0ms',
      '  retries: 0',
      '  maxItems: 50',
      'feeds:',
      '  - id: topic',
      '    title: Topic',
      '    sources: all',
      '    include: [大气]',
      '    maxItems: 400',
      'sources:',
      ...source('news'),
      ...source('other'),
    ].join('\n'),
  );
  return dir;
}

async function readItems(dir: string, id: string): Promise<JsonItem[]> {
  return (JSON.parse(await readFile(join(dir, 'out', `${id}.feed.json`), 'utf8')) as { items: JsonItem[] }).items;
}

/** The store file emptied the way the audit found it: zero bytes, no WAL left beside it. */
async function emptyStore(dir: string): Promise<void> {
  await truncate(join(dir, 'data/store.sqlite'), 0);
  await rm(join(dir, 'data/store.sqlite-wal'), { force: true });
  await rm(join(dir, 'data/store.sqlite-shm'), { force: true });
}

describe('an empty store while the feeds hold items', () => {
  it('rebuilds the history from the feeds: 50 stay 50, the topic keeps its items, GUIDs and first-seen times unchanged', async () => {
    // 60 on the page, 50 in the source's feed: the 10 oldest come back only through the topic feed.
    shown.news = 60;
    const dir = await project();
    const first = await runCli(dir, ['run', '-c', 'feedwright.yaml']);
    expect(first.code, first.stderr).toBe(0);
    const before = {
      news: await readItems(dir, 'news'),
      other: await readItems(dir, 'other'),
      topic: await readItems(dir, 'topic'),
    };
    expect(before.news).toHaveLength(50);
    expect(before.topic).toHaveLength(90);

    await emptyStore(dir);
    shown.news = 20;
    const second = await runCli(dir, ['run', '-c', 'feedwright.yaml']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toMatch(
      /source \\"news\\" had no history .* rebuilt 60 item\(s\) from .*news\.feed\.json, .*topic\.feed\.json/,
    );
    expect(second.stdout).toMatch(/news\s+\S+\s+20\s+0\s/);

    for (const id of ['news', 'other', 'topic'] as const) {
      const after = await readItems(dir, id);
      expect(
        after.map((item) => item.id),
        id,
      ).toEqual(before[id].map((item) => item.id));
      expect(
        after.map((item) => item._feedwright?.first_seen),
        id,
      ).toEqual(before[id].map((item) => item._feedwright?.first_seen));
    }
  });

  it('rebuilds from feeds written before they carried item ids (GUIDs give the ids back)', async () => {
    shown.news = 50;
    const dir = await project();
    expect((await runCli(dir, ['run', '-c', 'feedwright.yaml'])).code).toBe(0);
    const before = await readItems(dir, 'news');
    for (const id of ['news', 'other', 'topic']) {
      const file = join(dir, 'out', `${id}.feed.json`);
      const document = JSON.parse(await readFile(file, 'utf8')) as { items: JsonItem[] };
      for (const item of document.items) delete item._feedwright;
      await writeFile(file, JSON.stringify(document));
    }

    await emptyStore(dir);
    shown.news = 20;
    const second = await runCli(dir, ['run', '-c', 'feedwright.yaml']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/news\s+\S+\s+20\s+0\s/);
    expect((await readItems(dir, 'news')).map((item) => item.id)).toEqual(before.map((item) => item.id));
  });

  it('with `emptyStore: refuse`, refuses with STORE_EMPTY and a hint, and leaves the feeds as they were', async () => {
    shown.news = 50;
    const dir = await project(['emptyStore: refuse']);
    expect((await runCli(dir, ['run', '-c', 'feedwright.yaml'])).code).toBe(0);
    const feeds = await Promise.all(
      ['news', 'topic'].map((id) => readFile(join(dir, 'out', `${id}.feed.json`), 'utf8')),
    );

    await emptyStore(dir);
    shown.news = 20;
    const refused = await runCli(dir, ['run', '-c', 'feedwright.yaml']);
    expect(refused.code).toBe(1);
    const said = refused.stdout + refused.stderr;
    expect(said).toMatch(
      /holds no history for 2 source\(s\) \(news, other\) whose feeds in out hold 80 item\(s\); refusing to run/,
    );
    expect(said).toMatch(/emptyStore: rebuild/);
    expect(said).not.toMatch(/\n\s+at /);
    expect(
      await Promise.all(['news', 'topic'].map((id) => readFile(join(dir, 'out', `${id}.feed.json`), 'utf8'))),
    ).toEqual(feeds);
  });
});
