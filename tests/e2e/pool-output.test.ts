/**
 * A pass whose pages are extracted on worker threads writes the same bytes as a pass that extracts
 * them in the main thread: a UTF-8 page, a GBK page declared only in its `<meta>` (decoded by the main
 * thread, extracted in a worker), and the same GBK page read through selectors that match only the
 * browser-shaped (parse5) tree, which a thread parses with cheerio's full build loaded on first need.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { createFetcher } from '../../src/fetch/index.js';
import { createSilentLogger } from '../../src/log.js';
import type { AppConfig } from '../../src/model.js';
import { startExtractPool, type ExtractPool } from '../../src/pipeline/extract-pool.js';
import { runPass, type PipelineDeps } from '../../src/pipeline/index.js';
import { openItemStore } from '../../src/store/index.js';
import { demoSourceYaml } from '../helpers/demo-sources.js';
import { startTestServer, type TestServer } from '../helpers/http-server.js';

const ROOT = new URL('../../', import.meta.url);
const NOW = new Date('2026-11-30T08:00:00Z');

let server: TestServer;
let dir: string;
let pool: ExtractPool;

beforeAll(async () => {
  const utf8Page = await readFile(new URL('demo/site/ywdt/index.html', ROOT), 'utf8');
  const gbkPage = await readFile(new URL('demo/site/hbt/tzgg.html', ROOT));
  server = await startTestServer({
    '/robots.txt': (_req, res) => void res.writeHead(404).end(),
    '/ywdt/': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(utf8Page),
    // No charset in the header: the page declares gb2312 in <meta>.
    '/tzgg/': (_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end(gbkPage),
  });
  dir = await mkdtemp(join(tmpdir(), 'feedwright-pool-output-'));
  pool = await startExtractPool(2);
});

afterAll(async () => {
  await pool?.close();
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('worker-thread pool', () => {
  it('writes byte-identical feed files to a pass without one (UTF-8 and GBK pages, parse5 fallback)', async () => {
    const calls = { extract: 0 };
    const inProcess = await passOutput('in-process', {});
    const pooled = await passOutput('pooled', {
      extract: (input, options) => {
        calls.extract += 1;
        return pool.extract(input, options);
      },
    });
    expect(calls).toEqual({ extract: 3 });
    expect([...pooled.keys()]).toEqual([...inProcess.keys()]);
    expect([...inProcess.keys()]).toEqual(
      expect.arrayContaining(['mee.rss.xml', 'province.atom.xml', 'all.feed.json']),
    );
    for (const [name, bytes] of inProcess) expect(pooled.get(name)?.equals(bytes), name).toBe(true);
    // The GBK page was decoded and extracted (not an empty feed that would match trivially).
    const gbkFeed = inProcess.get('province.rss.xml')?.toString('utf8') ?? '';
    expect(gbkFeed.match(/<item>/g)?.length ?? 0).toBeGreaterThan(3);
    expect(gbkFeed).toMatch(/[\u4e00-\u9fff]{4}/);
    expect(
      inProcess
        .get('province-tbody.rss.xml')
        ?.toString('utf8')
        .match(/<item>/g)?.length ?? 0,
    ).toBeGreaterThan(3);
  });
});

// --- Internal helpers ---

/** Runs one pass into its own output folder and store; returns the files written, by name. */
async function passOutput(name: string, overrides: Partial<PipelineDeps>): Promise<Map<string, Buffer>> {
  const out = join(dir, name);
  const config = buildConfig(out);
  const store = await openItemStore(config.store);
  const fetcher = createFetcher({ logger: createSilentLogger(), now: () => NOW.getTime() });
  const deps: PipelineDeps = {
    fetcher,
    store,
    outputDir: config.output,
    site: config.site,
    now: () => NOW,
    logger: createSilentLogger(),
    ...overrides,
  };
  try {
    const { reports } = await runPass(config, deps, { concurrency: 3 });
    expect(reports.map((report) => [report.sourceId, report.outcome])).toEqual([
      ['mee', 'updated'],
      ['province', 'updated'],
      ['province-tbody', 'updated'],
    ]);
  } finally {
    await fetcher.close();
    await store.close();
  }
  const files = new Map<string, Buffer>();
  for (const file of (await readdir(out)).sort()) files.set(file, await readFile(join(out, file)));
  return files;
}

function buildConfig(out: string): AppConfig {
  const text = [
    'site:',
    '  title: pool output',
    '  url: https://feeds.example.org/',
    'store: memory://',
    `output: ${out}`,
    'defaults:',
    '  timezone: Asia/Shanghai',
    '  minDelay: 0ms',
    '  retries: 0',
    '  robots: ignore',
    'feeds:',
    '  - id: all',
    '    title: All',
    '    sources: all',
    'sources:',
    ...demoSourceYaml(server.origin),
    // tbody is implied: only the parse5 tree has it, so this source is read on that tree.
    '  - id: province-tbody',
    `    url: ${server.origin}/tzgg/?tbody`,
    '    items: table.tzgg > tbody > tr',
    '    title: td.bt a',
    '    date: td.sj',
  ].join('\n');
  return parseConfigText(text, join(out, 'feedwright.yaml')).config;
}
