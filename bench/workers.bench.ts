/**
 * Shared mode throughput: one pass of 300 changing sources run by 1, 2 and 3 worker processes on
 * one Redis. Each worker is a child process with what `start` opens in shared mode (the Redis
 * store, the fetcher with politeness shared in Redis, the BullMQ fire queue with the worker's
 * concurrency); only node-cron is left out: the parent has one worker queue the 300 fires of a
 * slot at once (deterministic job ids, as at a cron fire) and every worker pulls from the queue.
 *
 * Per worker count, in a fresh Redis namespace (deleted afterwards): a warm-up pass (every item
 * new; V8 compiles the hot paths, as in a long-running worker), then each page gains a headline
 * and the measured pass runs: every page fetched, extracted and deduplicated again, one new item
 * per source, its feed rendered and its version bumped. Shared mode's default without `output:`:
 * no files. Wall: from queueing to the last run's report. CPU: the workers' own (user + system,
 * summed) over the pass; the site (bench/list-site-server.ts, 30 headlines in ~60 KB GBK pages,
 * 20 ms latency, 50 hosts) runs in its own child and is reported apart. Start-up is not counted.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createClient } from '@keyv/redis';
import { parseConfigText } from '../src/config/index.js';
import { createSilentLogger } from '../src/log.js';
import type { AppConfig, RunReport } from '../src/model.js';
import { listSourceYaml, startListSite, type ListSite } from './list-site-server.js';

const CHILD_FLAG = '--workers-bench-child';
const SOURCES = 300;
const HOSTS = 50;
const LATENCY_MS = 20;
const WORKER_COUNTS = [1, 2, 3];

type ToChild = { type: 'enqueue'; fireAt: number } | { type: 'cpu' } | { type: 'stop' };
type FromChild =
  | { type: 'ready' }
  | { type: 'done'; sourceId: string; outcome: RunReport['outcome']; newItems: number }
  | { type: 'cpu'; ms: number }
  | { type: 'enqueued' };

function buildConfig(urls: string[], namespace: string): AppConfig {
  const lines = [
    `store: redis://127.0.0.1:6379?namespace=${namespace}`,
    'site: { title: Bench, url: "http://127.0.0.1:8080/" }',
    'defaults:',
    '  schedule: "* * * * *"',
    '  minDelay: 0ms',
    '  robots: ignore',
    '  retries: 0',
    'sources:',
  ];
  urls.forEach((url, i) => lines.push(...listSourceYaml({ id: `list-${i}`, url })));
  return parseConfigText(lines.join('\n'), 'bench.yaml').config;
}

if (process.argv.includes(CHILD_FLAG)) await runChild();
else await runParent();

// --- Parent ---

async function runParent(): Promise<void> {
  const site = await startListSite({
    hosts: HOSTS,
    lists: SOURCES,
    latencyMs: LATENCY_MS,
    rows: 30,
    chromeChars: 55_000,
  });
  const urls = Array.from({ length: SOURCES }, (_, i) => site.urlOf(i));
  const lines = [
    `setup: ${SOURCES} sources on ${HOSTS} hosts, ${LATENCY_MS} ms latency, ${site.page.rows} headlines in ${(site.page.bytes / 1024).toFixed(0)} KB GBK pages; each worker: concurrency 16, Redis store, shared politeness, BullMQ queue`,
  ];
  let version = 0;
  try {
    for (const count of WORKER_COUNTS) {
      const namespace = `fwbench-workers-${randomUUID()}`;
      const workers = await Promise.all(Array.from({ length: count }, () => startChild(urls, namespace)));
      try {
        await pass(workers, site, (version += 1)); // warm-up: every item new
        const figures = await pass(workers, site, (version += 1));
        const perWorker = figures.runsPerWorker.join(' + ');
        lines.push(
          `${count} worker(s): wall ${figures.wallMs.toFixed(0)} ms (${((SOURCES / figures.wallMs) * 1000).toFixed(0)} sources/s), ` +
            `workers' CPU ${(figures.cpuMs / 1000).toFixed(2)} s (${(figures.cpuMs / SOURCES).toFixed(1)} ms per source), ` +
            `site CPU ${(figures.siteCpuMs / 1000).toFixed(2)} s; runs ${perWorker}; ${figures.updated} updated, ${figures.newItems} new items`,
        );
        if (figures.updated !== SOURCES || figures.newItems !== SOURCES) process.exitCode = 1;
      } finally {
        for (const worker of workers) send(worker, { type: 'stop' });
        await Promise.all(workers.map((worker) => new Promise((resolve) => worker.once('exit', resolve))));
        await deleteNamespace(namespace);
      }
    }
  } finally {
    site.close();
  }
  lines.push(
    `machine: ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(2)} (shared with other jobs: wall figures are noisy)`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  if (process.exitCode === 1)
    process.stdout.write('ERROR: a measured pass did not update every source with one new item\n');
}

interface PassFigures {
  wallMs: number;
  cpuMs: number;
  siteCpuMs: number;
  runsPerWorker: number[];
  updated: number;
  newItems: number;
}

/** Sets the pages to `version`, queues every source's fire once, waits for all 300 reports. */
async function pass(workers: ChildProcess[], site: ListSite, version: number): Promise<PassFigures> {
  await site.setVersion(version);
  const cpuBefore = await Promise.all(workers.map(cpuOf));
  const siteBefore = await site.cpuMs();
  const runsPerWorker = workers.map(() => 0);
  let updated = 0;
  let newItems = 0;
  let done = 0;
  let release!: () => void;
  const finishedOnce = new Promise<void>((resolve) => (release = resolve));
  const started = performance.now();
  const finished = new Promise<void>((resolve) => {
    workers.forEach((worker, index) => {
      const onMessage = (message: FromChild) => {
        if (message.type !== 'done') return;
        runsPerWorker[index]! += 1;
        if (message.outcome === 'updated') updated += 1;
        newItems += message.newItems;
        done += 1;
        if (done === SOURCES) resolve();
      };
      worker.on('message', onMessage);
      void finishedOnce.then(() => worker.off('message', onMessage));
    });
  });
  send(workers[0]!, { type: 'enqueue', fireAt: Date.now() });
  await finished;
  const wallMs = performance.now() - started;
  release();
  const cpuAfter = await Promise.all(workers.map(cpuOf));
  return {
    wallMs,
    cpuMs: cpuAfter.reduce((sum, ms, i) => sum + ms - cpuBefore[i]!, 0),
    siteCpuMs: (await site.cpuMs()) - siteBefore,
    runsPerWorker,
    updated,
    newItems,
  };
}

function startChild(urls: string[], namespace: string): Promise<ChildProcess> {
  const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, namespace, JSON.stringify(urls)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (message: FromChild) =>
      message.type === 'ready' ? resolve(child) : reject(new Error('unexpected message')),
    );
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

function cpuOf(worker: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: FromChild) => {
      if (message.type !== 'cpu') return;
      worker.off('message', onMessage);
      resolve(message.ms);
    };
    worker.on('message', onMessage);
    send(worker, { type: 'cpu' });
  });
}

function send(worker: ChildProcess, message: ToChild): void {
  worker.send(message);
}

async function deleteNamespace(namespace: string): Promise<void> {
  const admin = createClient({ url: 'redis://127.0.0.1:6379' });
  await admin.connect();
  const keys = await admin.keys(`${namespace}*`);
  for (let i = 0; i < keys.length; i += 500) await admin.del(keys.slice(i, i + 500));
  await admin.close();
}

// --- Child: one worker ---

async function runChild(): Promise<void> {
  const args = process.argv.slice(process.argv.indexOf(CHILD_FLAG) + 1);
  const config = buildConfig(JSON.parse(args[1]!) as string[], args[0]!);
  const { openServices } = await import('../src/cli/services.js');
  const { openFireQueue } = await import('../src/schedule/fire-queue.js');
  const { runSource } = await import('../src/pipeline/index.js');
  const { splitStoreUrl } = await import('../src/store/index.js');
  const logger = createSilentLogger();
  const services = await openServices(config, logger);
  const byId = new Map(config.sources.map((source) => [source.id, source]));
  const store = splitStoreUrl(config.store);
  const queue = await openFireQueue({
    url: store.url,
    namespace: store.namespace,
    concurrency: config.worker.concurrency,
    logger,
    runSource: (sourceId) => runSource(byId.get(sourceId)!, services.deps),
    onReport: (report) =>
      process.send?.({ type: 'done', sourceId: report.sourceId, outcome: report.outcome, newItems: report.newItems }),
  });
  process.on('message', (message: ToChild) => {
    if (message.type === 'cpu') {
      const used = process.cpuUsage();
      process.send?.({ type: 'cpu', ms: (used.user + used.system) / 1000 });
    } else if (message.type === 'enqueue') {
      const fireAt = new Date(message.fireAt);
      void Promise.all(
        config.sources.map((source) => queue.enqueue({ sourceId: source.id, fireAt, slotMs: 60_000, delayMs: 0 })),
      ).then(() => process.send?.({ type: 'enqueued' }));
    } else if (message.type === 'stop') {
      void (async () => {
        await queue.close(10_000);
        await services.close();
        process.exit(0);
      })();
    }
  });
  process.send?.({ type: 'ready' });
}
