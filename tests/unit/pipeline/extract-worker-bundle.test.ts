/**
 * The compiled extraction thread (.test-dist/, built as dist/ is): it runs the worker's one-file
 * bundle, compiled from its code cache, and a pool on it extracts what the main thread's modules do.
 * The scripts run in a fresh `node` that sets the CLI's V8 flags as bin/feedwright.js does (worker
 * threads refuse V8 flags given on the command line, and the cache is accepted only under them).
 */
import { isAscii } from 'node:buffer';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { compiledModule, runCompiledThreadsScript } from '../../helpers/compiled-module-script.js';

const OUT = dirname(dirname(inject('testCli')));

const PAGE = JSON.stringify({
  body: '<html><body><ul class="l"><li><a href="./a.html">生态环境部印发《生态环境标准管理办法》</a><span>2019-08-27</span></li><li><a href="./b.html">关于大气污染防治的公告</a><span>8月26日</span></li><li><a href="./c.html">关于开展第二轮中央生态环境保护督察的通知</a><span>2019-08-20</span></li></ul></body></html>',
  contentType: 'text/html; charset=utf-8',
  url: 'http://www.example.gov.cn/news/index.html',
});

/** Extracts the page in a thread of a compiled pool and in this thread; prints both and the thread's bundle origin. */
const COMPARE = [
  `const { Worker } = await import('node:worker_threads');`,
  `const origin = await new Promise((resolve, reject) => {`,
  `  const worker = new Worker(\`Promise.all([import('node:worker_threads'), import(${compiledModule('pipeline/extract-worker-bundle.js')})]).then(([{ parentPort }, m]) => parentPort.postMessage(m.loadExtractWorkerBundle()?.origin ?? 'none'))\`, { eval: true });`,
  `  worker.once('message', (value) => { resolve(value); void worker.terminate(); });`,
  `  worker.once('error', reject);`,
  `});`,
  `const { startExtractPool } = await import(${compiledModule('pipeline/extract-pool.js')});`,
  `const { extractItems } = await import(${compiledModule('extract/index.js')});`,
  `const { parseSourceSelectors } = await import(${compiledModule('field-selector/parse-field-selector.js')});`,
  `const input = ${PAGE};`,
  // A table written without <tbody>: its selector matches only the browser-shaped (parse5) tree, which a
  // thread loads from node_modules on first need.
  `const table = { ...input, body: input.body.replace(/<ul class="l">(.*)<\\/ul>/, (_, rows) => '<table>' + rows.replaceAll('<li>', '<tr><td>').replaceAll('</li>', '</td></tr>') + '</table>') };`,
  `const cases = [[input, { items: 'ul.l li', date: ['span'] }], [input, {}], [table, { items: 'table > tbody > tr', date: ['span'] }]];`,
  `const options = (selectors) => ({ sourceId: 't', type: 'html', selectors: parseSourceSelectors(selectors), timezone: 'Asia/Shanghai', now: new Date('2019-08-28T09:00:00+08:00'), replace: [], summaryLength: 40 });`,
  `const results = cases.map(([page, selectors]) => extractItems(page, options(selectors)));`,
  `const pool = await startExtractPool(1);`,
  `const pooled = [];`,
  `for (const [page, selectors] of cases) pooled.push(await pool.extract(page, options(selectors)));`,
  `await pool.close();`,
  `console.log(JSON.stringify({ origin, inThread: results, pooled }));`,
];

interface Compared {
  origin: string;
  inThread: Array<{ items: Array<{ title: string; published?: { date: string; precision: string } }> }>;
  pooled: unknown[];
}

describe('the extraction thread of the compiled CLI', () => {
  it('is one ASCII file with no dynamic import() and no import.meta (code from a code cache gets no import callback)', () => {
    const bytes = readFileSync(join(OUT, 'pipeline', 'extract-worker.cjs'));
    expect(isAscii(bytes)).toBe(true);
    const source = bytes.toString('latin1');
    expect(source.match(/(?<![\w.$])import\(\s*["'`][^"'`]+["'`]\s*\)/g) ?? []).toEqual([]);
    expect(source).not.toContain('import.meta');
    // cheerio on htmlparser2 is in it; the libraries a page may need late stay outside, loaded on need.
    expect(source).toContain('node_modules/htmlparser2/');
    expect(source).not.toContain('node_modules/parse5/');
  });

  it('runs the worker bundle from its code cache and extracts what the modules extract in the main thread', () => {
    const { origin, inThread, pooled } = runCompiledThreadsScript(COMPARE).printed as Compared;
    expect(origin).toBe('bundle, code cache');
    expect(pooled).toEqual(inThread);
    // Both modes read the three rows with their dates (not two empty results that would match trivially).
    for (const result of inThread) expect(result.items.map((item) => item.title)).toHaveLength(3);
    expect(inThread[0]?.items[1]?.published).toEqual({ date: '2019-08-25T16:00:00.000Z', precision: 'day' });
  });

  it('runs the modules when the bundle is older than them, and when it is broken', () => {
    const bundle = join(OUT, 'pipeline', 'extract-worker.cjs');
    const saved = join(mkdtempSync(join(tmpdir(), 'feedwright-worker-bundle-')), 'extract-worker.cjs');
    copyFileSync(bundle, saved);
    const modified = statSync(bundle).mtime;
    const origins = [
      `const { default: extract } = await import(${compiledModule('pipeline/extract-thread.js')});`,
      `const { loadExtractWorkerBundle } = await import(${compiledModule('pipeline/extract-worker-bundle.js')});`,
      `const { parseSourceSelectors } = await import(${compiledModule('field-selector/parse-field-selector.js')});`,
      `const options = { sourceId: 't', type: 'html', selectors: parseSourceSelectors({ items: 'ul.l li' }), timezone: 'UTC', now: new Date(0), replace: [], summaryLength: 40 };`,
      `let origin; try { origin = loadExtractWorkerBundle()?.origin ?? 'none'; } catch { origin = 'broken'; }`,
      `console.log(JSON.stringify({ origin, items: extract({ input: ${PAGE}, options }).items.length }));`,
    ];
    try {
      // Older than the compiled worker module: a compile without the bundling step.
      utimesSync(bundle, new Date(0), new Date(0));
      expect(runCompiledThreadsScript(origins).printed).toEqual({ origin: 'none', items: 3 });
      // Half a file, as a build cut short leaves it.
      writeFileSync(bundle, 'module.exports = { default: function (');
      utimesSync(bundle, modified, modified);
      const broken = runCompiledThreadsScript(origins);
      expect(broken.printed).toEqual({ origin: 'broken', items: 3 });
      expect(broken.stderr).toContain('cannot load its bundle');
      expect(broken.stderr).toContain('`npm run build` writes it again');
    } finally {
      copyFileSync(saved, bundle);
      utimesSync(bundle, modified, modified);
      rmSync(dirname(saved), { recursive: true, force: true });
    }
  });
});
