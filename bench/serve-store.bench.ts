/**
 * Shared mode serving: feeds rendered from a Redis store (targets: ≥ 5,000 req/s for a cached feed,
 * ≥ 200 renders/s on a cache miss). 100 sources × 50 items in a fresh Redis namespace (deleted
 * afterwards). The server runs in a child process; autocannon loads it over loopback.
 * A miss is measured through the same site reader the server uses: each render reads the source's
 * version, history and state from Redis and renders RSS, Atom and JSON Feed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseConfigText } from '../src/config/index.js';
import type { AppConfig } from '../src/model.js';
import { createSiteReader } from '../src/pipeline/index.js';
import { createFeedServer, createRenderedCache } from '../src/serve/index.js';
import { openItemStore } from '../src/store/index.js';

const CHILD_FLAG = '--serve-store-child';
const SOURCES = 100;
const ITEMS = 50;
const DURATION_S = Number(process.env.BENCH_SERVE_SECONDS ?? 5);

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<{
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}>;

function buildConfig(namespace: string): AppConfig {
  const lines = [
    `store: redis://127.0.0.1:6379?namespace=${namespace}`,
    'site: { title: Bench, url: "https://feeds.example.org/" }',
    'sources:',
  ];
  for (let i = 0; i < SOURCES; i += 1)
    lines.push(`  - id: s${i}`, `    name: Source ${i}`, `    url: http://127.0.0.1:9/s${i}/`, '    items: li');
  lines.push('feeds:', '  - id: all', '    title: All', '    sources: all');
  return parseConfigText(lines.join('\n'), 'bench.yaml').config;
}

if (process.argv.includes(CHILD_FLAG)) {
  const namespace = process.argv[process.argv.indexOf(CHILD_FLAG) + 1]!;
  const config = buildConfig(namespace);
  const store = await openItemStore(config.store);
  const server = createFeedServer({
    outputDir: '/nonexistent',
    documents: createRenderedCache(
      createSiteReader(() => config, { store, site: config.site }),
      64 << 20,
    ),
    getHealth: async () => ({ ok: true }) as never,
  });
  const { url } = await server.listen('127.0.0.1', 0);
  process.send?.({ url });
} else {
  const namespace = `fwbench-serve-${process.pid}`;
  const config = buildConfig(namespace);
  const store = await openItemStore(config.store);
  let child: ChildProcess | undefined;
  try {
    for (let i = 0; i < SOURCES; i += 1) {
      const items = Array.from({ length: ITEMS }, (_, n) => ({
        title: `Source ${i} 通知 ${n} 关于大气污染防治的公告`,
        link: `http://127.0.0.1:9/s${i}/${n}.html`,
        summary: '摘要'.repeat(40),
      }));
      await store.commitItems(`s${i}`, items, {
        now: new Date('2026-11-30T08:00:00Z'),
        timezone: 'Asia/Shanghai',
        historySize: 200,
        retainDays: 180,
      });
      await store.saveSourceState(`s${i}`, { feedVersion: { n: 1, hash: `h${i}` } });
    }
    // Misses, in process: every render reads from Redis and renders the three formats.
    const reader = createSiteReader(() => config, { store, site: config.site });
    for (let i = 0; i < 10; i += 1) await reader.render(`s${i}.rss.xml`); // warm-up
    const started = performance.now();
    const cpu = process.cpuUsage();
    const rounds = 3;
    for (let round = 0; round < rounds; round += 1)
      for (let i = 0; i < SOURCES; i += 1) await reader.render(`s${i}.rss.xml`);
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    console.log(
      `cache miss (site reader, ${ITEMS}-item source feed, 3 formats): ${((rounds * SOURCES) / seconds).toFixed(0)} renders/s, ` +
        `${((used.user + used.system) / 1000 / (rounds * SOURCES)).toFixed(2)} ms CPU per render`,
    );

    child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, namespace], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolve) =>
      child!.once('message', (message: { url: string }) => resolve(message.url)),
    );
    // Misses through the server: the first request for each source's feed renders it (8 at a time).
    const missStarted = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < SOURCES) {
          const answer = await fetch(`${url}s${next++}.atom.xml`, { headers: { 'accept-encoding': 'gzip' } });
          if (answer.status !== 200) throw new Error(`cache miss answered ${answer.status}`);
          await answer.arrayBuffer();
        }
      }),
    );
    const missSeconds = (performance.now() - missStarted) / 1000;
    console.log(
      `cache miss through the server (first request of each of ${SOURCES} feeds, 8 concurrent, gzip): ${(SOURCES / missSeconds).toFixed(0)} renders/s`,
    );
    const require = createRequire(import.meta.url);
    const autocannon = require('autocannon') as Autocannon;
    const feedUrl = `${url}s7.rss.xml`;
    await autocannon({ url: feedUrl, connections: 32, duration: 1, headers: { 'accept-encoding': 'gzip' } });
    for (const [label, headers] of [
      ['cached feed, gzip', { 'accept-encoding': 'gzip' }],
      [
        'cached feed, 304',
        {
          'accept-encoding': 'gzip',
          'if-none-match': (await fetch(feedUrl, { headers: { 'accept-encoding': 'gzip' } })).headers.get('etag') ?? '',
        },
      ],
    ] as const) {
      const result = await autocannon({ url: feedUrl, connections: 32, duration: DURATION_S, headers });
      console.log(
        `${label}: ${result.requests.average.toFixed(0)} req/s (p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, non-2xx ${result.non2xx}, errors ${result.errors}); each request reads the source's version from Redis`,
      );
    }
  } finally {
    child?.kill('SIGTERM');
    await store.clear?.();
    await store.close();
  }
}
