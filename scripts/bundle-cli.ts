/**
 * Bundles the compiled CLI (`<outDir>/cli/run-cli.js` and everything it imports) into one CommonJS
 * file, `<outDir>/cli/feedwright.cjs`, which the executable runs in place of the modules
 * (src/cli/cli-bundle.ts), and writes V8's code cache of it beside it; and the same for the extraction
 * thread (`<outDir>/pipeline/extract-worker.js` into `extract-worker.cjs`, src/pipeline/extract-worker-bundle.ts),
 * which a pool thread runs in place of the modules.
 *
 * - Left outside, loaded from node_modules when a command needs them: the browser (playwright-core),
 *   the extraction pool (piscina), the Redis libraries (their own bundle), feed parsing (feedsmith),
 *   detail summaries (linkedom, Readability), Chinese conversion (opencc-js), and better-sqlite3, a
 *   native addon. Packages loaded with `createRequire` (zod, yaml, undici's modules…) are resolved at
 *   run time as before.
 * - `import.meta.url` in each bundled module becomes that module's own file URL, computed from the
 *   bundle's folder at run time, so the paths built from it (the vendor bundles, package.json, the
 *   pool's worker file; node-cron's path to its daemon) are the same as from the modules.
 * - The code cache is written by a fresh `node` with the CLI's V8 flags after a `run` of two sources
 *   (one with selectors in GBK, one found automatically in UTF-8) served from 127.0.0.1, so it holds
 *   the functions a run compiles; V8 accepts it only from the same Node version and flags. The thread's
 *   cache is written after the sample page is extracted with selectors and found automatically.
 *
 * Must run after the TypeScript is compiled into `outDir` and the vendor bundles are written.
 * Run: `tsx scripts/bundle-cli.ts [outDir]` (default dist/), as `npm run build` does.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { CLI_V8_FLAGS } from '../bin/v8-flags.js';
import { writeAsciiOnly } from './ascii-bundle.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Packages a command loads only when it needs them, and the native SQLite addon: not bundled. */
const EXTERNAL = [
  'better-sqlite3',
  'playwright-core',
  'piscina',
  'bullmq',
  '@keyv/redis',
  'feedsmith',
  'linkedom',
  '@mozilla/readability',
  'opencc-js',
];

/** Writes `<outDir>/cli/feedwright.cjs`, `<outDir>/pipeline/extract-worker.cjs` and their code caches. */
export async function bundleCli(outDir: string): Promise<void> {
  const cliDir = join(outDir, 'cli');
  const pipelineDir = join(outDir, 'pipeline');
  await Promise.all([
    bundleModule(join(cliDir, 'run-cli.js'), join(cliDir, 'feedwright.cjs')),
    bundleModule(join(pipelineDir, 'extract-worker.js'), join(pipelineDir, 'extract-worker.cjs')),
  ]);
  writeCodeCache(join(cliDir, 'feedwright.cjs'), cliWarmUpScript(cliDir));
  writeCodeCache(join(pipelineDir, 'extract-worker.cjs'), workerWarmUpScript(pipelineDir));
}

// --- Internal helpers ---

/** One CommonJS file of `entry` and what it imports (but EXTERNAL), ASCII only (scripts/ascii-bundle.ts). */
async function bundleModule(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    plugins: [moduleUrls(dirname(outfile))],
    logLevel: 'warning',
  });
  writeAsciiOnly(outfile);
}

/** Runs `script` (which ends by writing the bundle's code cache) in a fresh `node` under the CLI's V8 flags. */
function writeCodeCache(bundle: string, script: string): void {
  const cache = spawnSync(process.execPath, [...CLI_V8_FLAGS, '--input-type=module', '-e', script], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (cache.status !== 0) throw new Error(`could not write the code cache of ${bundle}`);
}

/** Rewrites `import.meta.url` in every bundled module to the module's own URL, found from the bundle's `__dirname`. */
function moduleUrls(bundleDir: string): Plugin {
  return {
    name: 'module-urls',
    setup(plugin) {
      plugin.onLoad({ filter: /\.m?js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes('import.meta.url')) return undefined;
        const path = JSON.stringify(relative(bundleDir, args.path));
        const url = `require("node:url").pathToFileURL(require("node:path").join(__dirname, ${path})).href`;
        return { contents: source.replaceAll('import.meta.url', `(${url})`), loader: 'js' };
      });
    },
  };
}

/** The script the CLI's cache is written by: a local site, a config, `run`, then the cache. */
function cliWarmUpScript(cliDir: string): string {
  const module = (name: string) => JSON.stringify(pathToFileURL(join(cliDir, name)).href);
  return [
    `import { createServer } from 'node:http';`,
    `import { createRequire } from 'node:module';`,
    `import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';`,
    `import { tmpdir } from 'node:os';`,
    `import { join } from 'node:path';`,
    `import { loadCliBundle, writeCliBundleCodeCache } from ${module('cli-bundle.js')};`,
    `const iconv = createRequire(${JSON.stringify(join(ROOT, 'package.json'))})('iconv-lite');`,
    `const page = ${JSON.stringify(SAMPLE_LIST_PAGE)};`,
    `const server = createServer((request, response) => {`,
    `  const gbk = request.url.startsWith('/gbk/');`,
    `  response.writeHead(200, { 'content-type': 'text/html; charset=' + (gbk ? 'gbk' : 'utf-8') });`,
    `  response.end(gbk ? iconv.encode(page, 'gbk') : page);`,
    `});`,
    `await new Promise((done) => server.listen(0, '127.0.0.1', done));`,
    `const base = 'http://127.0.0.1:' + server.address().port;`,
    `const dir = mkdtempSync(join(tmpdir(), 'feedwright-build-'));`,
    `writeFileSync(join(dir, 'feedwright.yaml'), [`,
    `  'site: { title: Build, url: "http://127.0.0.1:8080/" }',`,
    `  'store: sqlite://' + join(dir, 'store.sqlite'),`,
    `  'output: ' + join(dir, 'output'),`,
    `  'defaults: { timezone: Asia/Shanghai, minDelay: 0ms, robots: ignore, retries: 0 }',`,
    `  'sources:',`,
    `  '  - { id: list, url: "' + base + '/gbk/list.html", items: ul.list li, title: a, link: a@href, date: span.date }',`,
    `  '  - { id: auto, url: "' + base + '/utf8/list.html" }',`,
    `].join('\\n'));`,
    `const bundle = loadCliBundle();`,
    `if (!bundle) process.exit(3);`,
    `await bundle.exports.runCli([process.execPath, 'feedwright', 'run', '-c', join(dir, 'feedwright.yaml'), '--json']);`,
    `server.close();`,
    `rmSync(dir, { recursive: true, force: true });`,
    `if (process.exitCode) process.exit(4);`,
    `writeCliBundleCodeCache(bundle);`,
  ].join('\n');
}

/**
 * The script the extraction thread's cache is written by: the sample page through the bundle's worker
 * function with selectors, then found automatically, then the cache.
 */
function workerWarmUpScript(pipelineDir: string): string {
  const module = (name: string) => JSON.stringify(pathToFileURL(join(pipelineDir, name)).href);
  const options = (selectors: string) =>
    `{ sourceId: 'build', type: 'html', selectors: parseSourceSelectors(${selectors}), timezone: 'Asia/Shanghai', now: new Date(), replace: [], summaryLength: 200 }`;
  return [
    `import { loadExtractWorkerBundle, writeExtractWorkerCodeCache } from ${module('extract-worker-bundle.js')};`,
    `import { parseSourceSelectors } from ${module('../field-selector/parse-field-selector.js')};`,
    `const bundle = loadExtractWorkerBundle();`,
    `if (!bundle) process.exit(3);`,
    `const input = { body: ${JSON.stringify(SAMPLE_LIST_PAGE)}, contentType: 'text/html; charset=utf-8', url: 'http://127.0.0.1/list.html' };`,
    `for (const options of [${options("{ items: 'ul.list li', title: 'a', link: 'a@href', date: 'span.date' }")}, ${options('{}')}]) {`,
    `  const answer = bundle.exports.default({ input, options });`,
    `  if ('failed' in answer || answer.items.length !== 30) process.exit(4);`,
    `}`,
    `writeExtractWorkerCodeCache(bundle);`,
  ].join('\n');
}

/** A notice board's list page: navigation, 30 dated headlines, a footer. */
const SAMPLE_LIST_PAGE = [
  '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>通知公告</title></head><body>',
  '<div class="nav"><ul>',
  ...['首页', '机构设置', '新闻发布', '政务公开', '政策法规', '办事服务', '互动交流'].map(
    (name, i) => `<li><a href="/channel/${i}/">${name}</a></li>`,
  ),
  '</ul></div><div class="main"><h2>通知公告</h2><ul class="list">',
  ...Array.from(
    { length: 30 },
    (_, i) =>
      `<li><a href="/news/201908/t${20190827 - i}_${700000 + i}.html">生态环境部印发《生态环境标准管理办法（第${i + 1}号）》</a>` +
      `<span class="date">2019-08-${String(27 - (i % 27)).padStart(2, '0')}</span></li>`,
  ),
  '</ul><div class="page">共 30 条 <a href="?page=2">下一页</a></div></div>',
  '<div class="footer"><p>版权所有 © 生态环境部</p><p><a href="/sitemap/">网站地图</a> | <a href="/contact/">联系我们</a></p></div>',
  '</body></html>',
].join('\n');

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url))
  await bundleCli(resolve(ROOT, process.argv[2] ?? 'dist'));
