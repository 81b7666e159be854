/**
 * Where a cold `run` of the peer workload (peer-workload.ts: 200 Chinese list pages, c=8) spends its
 * CPU, by package and by feedwright stage: the run's main thread is sampled with `--cpu-prof`, and
 * each sample is charged to the function it was in. Functions of the CLI's bundle are placed by the
 * `// <path>` line esbuild writes above each module it bundles; the rest by their file (node_modules,
 * Node's own `node:` modules), native functions by name (better-sqlite3's statements run natively).
 * Issue 14 keeps each named package in its role (cheerio extracts, undici fetches, keyv stores,
 * npm `feed` writes RSS and Atom) and asks for each one's share where a budget is missed: this prints it.
 * The profiler itself slows the run (the percentages, not the milliseconds, are the figures); CPU of
 * other threads (the profiler's sampling thread, V8's optimising compiler, the GC's helpers) is the
 * difference from the process total.
 * Run: `node --import tsx bench/cold-shares.bench.ts`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDist } from './build-dist.js';
import { PEER_PAGES, runColdCli, startPeerSite } from './peer-workload.js';

const BUNDLE = fileURLToPath(new URL('../dist/cli/feedwright.cjs', import.meta.url));

/** Packages shown as one: a library and the packages it is built from. */
const PACKAGE_GROUPS: Record<string, string> = {
  ...Object.fromEntries(
    [
      'cheerio',
      'cheerio-select',
      'htmlparser2',
      'domhandler',
      'domutils',
      'dom-serializer',
      'domelementtype',
      'css-select',
      'css-what',
      'nth-check',
      'boolbase',
      'entities',
    ].map((name) => [name, 'cheerio (htmlparser2, domhandler, css-select…)']),
  ),
  feed: 'feed (xml-js)',
  'xml-js': 'feed (xml-js)',
  sax: 'feed (xml-js)',
  undici: 'undici',
  keyv: 'keyv + better-sqlite3',
  '@keyv/serialize': 'keyv + better-sqlite3',
  '@keyv/sqlite': 'keyv + better-sqlite3',
  'better-sqlite3': 'keyv + better-sqlite3',
  'node-cron': 'node-cron',
};
/** better-sqlite3's statement and transaction methods, which run natively (no file in the profile). */
const SQLITE_NATIVE = new Set(['run', 'all', 'get', 'iterate', 'exec', 'prepare', 'pluck', 'raw', 'pragma']);

await main();

// --- Internal helpers ---

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

async function main(): Promise<void> {
  await buildDist('cold-shares');
  const site = await startPeerSite();
  const dir = mkdtempSync(join(tmpdir(), 'feedwright-cold-shares-'));
  try {
    const profiles = join(dir, 'profiles');
    // No extraction threads: the main thread's profile is then the whole pass.
    const run = runColdCli(site, join(dir, 'run'), 8, {
      threads: '0',
      nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profiles, '--cpu-prof-interval', '250'],
    });
    const [file] = readdirSync(profiles).filter((name) => name.endsWith('.cpuprofile'));
    if (file === undefined) throw new Error('cold-shares bench: the run wrote no CPU profile');
    const profile = JSON.parse(readFileSync(join(profiles, file), 'utf8')) as CpuProfile;
    const shares = chargeSamples(profile, bundleSections(readFileSync(BUNDLE, 'utf8')));
    const mainMs = [...shares.values()].reduce((sum, ms) => sum + ms, 0);
    process.stdout.write(
      `cold \`run\` of ${PEER_PAGES} pages, c=8, under the profiler: ${run.cpuMs.toFixed(0)} ms CPU in all ` +
        `(${(run.cpuMs / PEER_PAGES).toFixed(2)} ms a page); main thread busy ${mainMs.toFixed(0)} ms, ` +
        `other threads (the profiler's own, V8's compiler, GC helpers) ~${Math.max(0, run.cpuMs - mainMs).toFixed(0)} ms\n`,
    );
    process.stdout.write('main thread, by package and feedwright stage:\n');
    for (const [name, ms] of [...shares].sort((a, b) => b[1] - a[1]).slice(0, 24))
      process.stdout.write(
        `  ${((ms / mainMs) * 100).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(6)} ms  ${name}\n`,
      );
    const named = [
      'cheerio (htmlparser2, domhandler, css-select…)',
      'feed (xml-js)',
      'undici',
      'keyv + better-sqlite3',
    ];
    process.stdout.write(
      `the named packages: ${named.map((name) => `${name.split(' (')[0]} ${(((shares.get(name) ?? 0) / mainMs) * 100).toFixed(1)} %`).join(', ')}\n`,
    );
  } finally {
    site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Each module's first line in the bundle (0-based, as the profile counts), in order: esbuild's `// <path>` lines. */
function bundleSections(bundle: string): Array<{ line: number; path: string }> {
  const sections: Array<{ line: number; path: string }> = [];
  bundle.split('\n').forEach((text, line) => {
    const path = /^\/\/ ((?:node_modules|dist)\/\S+)$/.exec(text)?.[1];
    if (path) sections.push({ line, path });
  });
  return sections;
}

/** Milliseconds of busy main-thread samples per package or stage. */
function chargeSamples(profile: CpuProfile, sections: Array<{ line: number; path: string }>): Map<string, number> {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const shares = new Map<string, number>();
  profile.samples.forEach((id, index) => {
    const frame = nodes.get(id)?.callFrame;
    const ms = (profile.timeDeltas[index + 1] ?? 0) / 1000;
    if (!frame || frame.functionName === '(idle)') return;
    const name = chargeTo(frame, sections);
    shares.set(name, (shares.get(name) ?? 0) + ms);
  });
  return shares;
}

function chargeTo(frame: ProfileNode['callFrame'], sections: Array<{ line: number; path: string }>): string {
  const { url, functionName, lineNumber } = frame;
  if (url.endsWith('feedwright.cjs')) return chargeModule(sectionAt(sections, lineNumber));
  if (url.includes('/node_modules/')) return chargeModule(url.slice(url.lastIndexOf('node_modules/')));
  if (url.includes('/dist/vendor/')) return 'zod (config checks)';
  if (url.startsWith('node:')) return "Node.js's own modules (streams, fs, crypto, buffer, module loading)";
  if (url.startsWith('wasm:')) return 'undici';
  if (url === '' && SQLITE_NATIVE.has(functionName)) return 'keyv + better-sqlite3';
  if (functionName === '(garbage collector)') return 'garbage collection';
  if (url === '' && functionName.startsWith('RegExp: ')) return 'regular expressions (V8)';
  if (url === '' && functionName === 'decode') return 'TextDecoder (GBK pages, ICU)';
  return url === '' ? `native: ${functionName || '(anonymous)'}` : url;
}

function sectionAt(sections: Array<{ line: number; path: string }>, line: number): string {
  let low = 0;
  let high = sections.length - 1;
  let found = 'dist/cli';
  while (low <= high) {
    const middle = (low + high) >> 1;
    const section = sections[middle]!;
    if (section.line <= line) {
      found = section.path;
      low = middle + 1;
    } else high = middle - 1;
  }
  return found;
}

/** `node_modules/<package>/…` to its group or package; `dist/<stage>/…` to the feedwright stage. */
function chargeModule(path: string): string {
  const stage = /^dist\/([^/]+)\//.exec(path)?.[1];
  if (stage) return `feedwright ${stage}`;
  const name = /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? path;
  return PACKAGE_GROUPS[name] ?? name;
}
