/**
 * Start-up cost: each command loads only the packages it uses. The CLI runs from the sources in a
 * child process with loader hooks that log every module it imports; the test reads which packages
 * appeared (a package list, not a timing, so it holds on a loaded machine).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = new URL('../../src/cli/bin.ts', import.meta.url).pathname;
const TSX = import.meta.resolve('tsx');
const HOOKS = new URL('../helpers/module-load-hooks.mjs', import.meta.url).href;
const HEAVY = [
  'undici',
  'zod',
  'cheerio',
  'parse5',
  '@keyv/redis',
  'linkedom',
  '@mozilla/readability',
  'feedsmith',
  'opencc-js',
  'sanitize-html',
  'better-sqlite3',
  'pino',
  'feed',
];

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'feedwright-lazy-'));
  const sources = Array.from(
    { length: 3 },
    (_, i) => `  - id: s${i}\n    url: http://127.0.0.1:9/list-${i}.html\n    items: ul li\n`,
  ).join('');
  await writeFile(
    join(dir, 'feedwright.yaml'),
    `site:\n  title: t\n  url: http://127.0.0.1:8080/\nstore: memory://\ndefaults:\n  retries: 0\n  minDelay: 0ms\n  robots: ignore\nsources:\n${sources}`,
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lazy loading', () => {
  it('--version and --help load none of the heavy packages', async () => {
    for (const flag of ['--version', '--help']) {
      const loaded = await packagesLoadedBy([flag]);
      expect(
        loaded.filter((name) => HEAVY.includes(name)),
        flag,
      ).toEqual([]);
      expect(loaded).toContain('commander');
    }
  });

  it('check of a config without problems loads js-yaml and zod: no yaml, fetcher, store, renderer or optional extractor', async () => {
    const loaded = await packagesLoadedBy(['check', '-c', 'feedwright.yaml']);
    expect(loaded).toEqual(expect.arrayContaining(['js-yaml', 'zod', 'css-what']));
    const unexpected = [
      // A config without problems is read by js-yaml; `yaml` (positions) only when there is one to point at.
      'yaml',
      // Plain selectors (`ul li`) are settled by css-what; cheerio-select compiles the others.
      'cheerio-select',
      'css-select',
      // No pattern to compile.
      're2js',
      'undici',
      // Selectors are checked by cheerio-select alone.
      'cheerio',
      'htmlparser2',
      'parse5',
      '@keyv/redis',
      'linkedom',
      'feedsmith',
      'opencc-js',
      'sanitize-html',
      'better-sqlite3',
      'feed',
    ];
    expect(loaded.filter((name) => unexpected.includes(name))).toEqual([]);
  });

  it('check of a config with problems loads yaml to point at them, and cheerio-select for a pseudo-class', async () => {
    await writeFile(
      join(dir, 'problems.yaml'),
      'sources:\n  - id: a\n    url: https://example.org/\n    items: "li:first-child"\n  - id: b\n    url: https://example.org/b\n    itmes: li\n',
    );
    const loaded = await packagesLoadedBy(['check', '-c', 'problems.yaml']);
    expect(loaded).toEqual(expect.arrayContaining(['js-yaml', 'zod', 'yaml', 'cheerio-select']));
  });

  it('start loads the scheduler and the store, not the fetch, extract, feed or serve stages, nor a Redis client', async () => {
    // The worker is stopped once it says it started: what a source's first run needs is loaded then, not before.
    const { packages, sources } = await modulesLoadedBy(['start', '-c', 'feedwright.yaml', '--no-initial-run'], {
      until: 'worker started',
    });
    expect(packages).toEqual(expect.arrayContaining(['node-cron', 'keyv']));
    expect(sources).toEqual(expect.arrayContaining(['schedule/create-scheduler.ts', 'store/item-store.ts']));
    const runPath = [
      'undici',
      'cheerio',
      'parse5',
      'htmlparser2',
      'feed',
      'chardet',
      'iconv-lite',
      'piscina',
      '@keyv/redis',
      '@redis/client',
      'bullmq',
      'yaml',
      'cheerio-select',
      're2js',
      // The config is validated by the zod schema; the logger and the SQLite store are the worker's own.
      ...HEAVY.filter((name) => !['zod', 'pino', 'better-sqlite3'].includes(name)),
    ];
    expect(packages.filter((name) => runPath.includes(name))).toEqual([]);
    // Of the stages, only the two pure helpers the empty-store check reads feed files with.
    const stageModules = sources.filter((path) => /^(fetch|extract|feed|serve)\//.test(path));
    expect(stageModules.sort()).toEqual(['extract/url/canonicalize-url.ts', 'feed/feed-file-names.ts']);
    expect(sources).not.toContain('pipeline/run-source.ts');
    expect(sources).not.toContain('pipeline/publish-site.ts');
    // The renderer is a handle until its first page: launching, the page pool and the render are not loaded.
    expect(sources.filter((path) => path.startsWith('browser/')).sort()).toEqual([
      'browser/browser-processes.ts',
      'browser/create-renderer.ts',
    ]);
  });

  it('run on a memory store loads no Redis client, linkedom, Readability, feedsmith, OpenCC or sanitize-html', async () => {
    // The sources point at a closed port: the run fails fast, after every module a pass needs was loaded.
    const loaded = await packagesLoadedBy(['run', '-c', 'feedwright.yaml']);
    expect(loaded).toEqual(expect.arrayContaining(['undici', 'cheerio', 'feed']));
    const optional = ['@keyv/redis', 'linkedom', '@mozilla/readability', 'feedsmith', 'opencc-js', 'sanitize-html'];
    expect(loaded.filter((name) => optional.includes(name))).toEqual([]);
  });

  it('an extraction thread loads cheerio on htmlparser2 alone: no undici, and parse5 only for a page that needs its tree', async () => {
    // What a pool thread runs (extract-worker.ts): one page the fast tree serves, then one whose
    // selector matches only the browser-shaped tree (an implied <tbody>).
    const worker = new URL('../../src/pipeline/extract-worker.ts', import.meta.url).href;
    const script = [
      `const { default: extractInWorker } = await import(${JSON.stringify(worker)});`,
      `const { parseSourceSelectors } = await import(${JSON.stringify(new URL('../../src/field-selector/parse-field-selector.ts', import.meta.url).href)});`,
      `const { appendFileSync } = await import('node:fs');`,
      `const options = (items) => ({ sourceId: 't', type: 'html', selectors: parseSourceSelectors({ items }), timezone: 'UTC', now: new Date(0), replace: [], summaryLength: 40 });`,
      `const input = { body: '<ul><li><a href="/a">甲</a></li></ul><table><tr><td><a href="/b">乙</a></td></tr></table>', contentType: 'text/html', url: 'http://127.0.0.1/' };`,
      `const fast = extractInWorker({ input, options: options('ul > li') });`,
      `appendFileSync(process.env.MODULE_LOG, '--- parse5 page\\n');`,
      `const repaired = extractInWorker({ input, options: options('table > tbody > tr') });`,
      `console.log(JSON.stringify([fast.items.length, repaired.items.length]));`,
    ].join('\n');
    const log = join(dir, 'modules-extract-thread.log');
    await rm(log, { force: true });
    const output = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, ['--import', HOOKS, '--import', TSX, '--input-type=module', '-e', script], {
        cwd: dir,
        env: { ...process.env, MODULE_LOG: log },
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.on('close', () => resolve(text));
    });
    expect(output.trim()).toBe('[1,1]');
    const [before = '', after = ''] = (await readFile(log, 'utf8')).split('--- parse5 page');
    const packagesIn = (text: string) => [
      ...new Set(
        text
          .split('\n')
          .map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1])
          .filter((name): name is string => !!name),
      ),
    ];
    expect(packagesIn(before)).toEqual(expect.arrayContaining(['cheerio', 'htmlparser2']));
    expect(packagesIn(before).filter((name) => ['undici', 'parse5', 'encoding-sniffer'].includes(name))).toEqual([]);
    expect(packagesIn(after)).toContain('parse5');
  });
});

// --- Internal helpers ---

/** Runs the CLI with the module-logging hooks and returns the npm packages it loaded. */
async function packagesLoadedBy(args: string[]): Promise<string[]> {
  return (await modulesLoadedBy(args)).packages;
}

/**
 * Runs the CLI with the module-logging hooks until it exits (or, with `until`, until its output says
 * so; it is then stopped with SIGTERM) and returns the npm packages and the src/ modules it loaded.
 */
async function modulesLoadedBy(
  args: string[],
  { until }: { until?: string } = {},
): Promise<{ packages: string[]; sources: string[] }> {
  const log = join(dir, `modules-${args[0]}.log`);
  await rm(log, { force: true });
  const output = await new Promise<string>((resolve) => {
    const child = spawn(process.execPath, ['--import', HOOKS, '--import', TSX, CLI, ...args], {
      cwd: dir,
      env: { ...process.env, MODULE_LOG: log },
    });
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (until !== undefined && text.includes(until)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('close', () => resolve(text));
  });
  if (until !== undefined) expect(output, `the command's output`).toContain(until);
  const urls = (await readFile(log, 'utf8')).split('\n');
  const packages = urls
    .map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1])
    .filter((name): name is string => !!name);
  const sources = urls.map((url) => /\/src\/(.+\.ts)$/.exec(url)?.[1]).filter((path): path is string => !!path);
  return {
    packages: [...new Set(packages)].filter(
      (name) => name !== 'tsx' && name !== 'esbuild' && name !== 'get-tsconfig' && name !== 'resolve-pkg-maps',
    ),
    sources: [...new Set(sources)],
  };
}
