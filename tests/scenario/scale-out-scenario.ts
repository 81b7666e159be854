/**
 * `npm run scenario:scale`: the scale-out scenario of issue 15 with real processes, about 6 minutes
 * (not part of `npm test`). 3 workers (`start`, one with a drifted config) and 2 servers (`serve`) on
 * one Redis, reached through a TCP proxy on 127.0.0.1 so Redis can be cut without touching the
 * machine's shared Redis; 60 sources on 12 loopback hosts (127.0.0.1–12), every-minute schedule,
 * `minDelay` 1 s, a shared `output:` export.
 *
 * Timeline, in slots (minutes) from the first full one, F:
 * - F: the worker that fetches the slow page is SIGKILLed mid-run (a supervisor restarts it at F+1, with
 *   the config it ran: when that was the drifted worker, the drift is still there to be reported);
 * - F+1 +20 s: Redis refused (the proxy stops listening) for OUTAGE_SECONDS (default 60);
 * - F+3 +20 s: Redis silent (connections accepted, nothing forwarded) for OUTAGE_SECONDS;
 * - F+5 +35 s: workers stopped (SIGTERM), checks.
 *
 * Checked, and printed as figures: origin hits per page per slot (every fire once; a second hit only
 * for a job a worker logged as running again, after a stall or a failed attempt; no start-up pass), the killed fire completed within its slot, spacing per host across
 * workers (never under minDelay), no item lost (every item the origin showed is in its feed) or
 * duplicated (GUIDs), both servers answering identical feeds (none 404) during and after the run,
 * current within one fire, both servers and workers alive through the outages, drift reported,
 * the export (source feeds on disk equal to the served ones, site files written by the elected worker).
 * Exit code 0 when every check holds, 1 otherwise. Needs Redis on 127.0.0.1:6379 and iproute2's `ss`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { startSlotOrigins, type OriginHit, type SlotOrigins } from '../helpers/slot-origins.js';

const SLOT_MS = 60_000;
const HOSTS = 12;
const PER_HOST = 5;
const MIN_DELAY_MS = 1_000;
/** Spacing is decided at the workers; arrival at the origin also carries event-loop lag on a loaded machine. */
const LAG_TOLERANCE_MS = 150;
const SLOW_SOURCE = 's0-0';
const OUTAGE_MS = Number(process.env.OUTAGE_SECONDS ?? 60) * 1000;
const OUTAGE_OFFSET_MS = 20_000;
const CLI = new URL('../../src/cli/bin.ts', import.meta.url).pathname;
const TSX = import.meta.resolve('tsx');

type Hit = OriginHit;

interface Probe {
  at: number;
  node: number;
  status: number | 'error';
  ms: number;
}

const hits: Hit[] = [];
const probes: Probe[] = [];
const failures: string[] = [];
const figures: Record<string, unknown> = {};
const namespace = `fwscenario-${randomUUID()}`;
let onSlowRequest: ((hit: Hit) => void) | undefined;
const workerLogs: Array<{ pid: number; text: string }> = [];

function check(ok: boolean, what: string): void {
  if (!ok) failures.push(what);
  process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${what}\n`);
}

async function main(): Promise<number> {
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'feedwright-scenario-'));
  const origins = await startOrigins();
  const proxy = await startTcpProxy(6379);
  const children: ChildProcess[] = [];
  try {
    await writeFile(join(dir, 'shared.yaml'), configText(origins, proxy.port));
    await writeFile(join(dir, 'drifted.yaml'), configText(origins, proxy.port, '11s'));
    const workerConfigs = ['shared.yaml', 'shared.yaml', 'drifted.yaml'];
    const workers = workerConfigs.map((file) => spawnCli(dir, ['start', '-c', file]));
    const servers = [0, 1].map(() => spawnCli(dir, ['serve', '-c', 'shared.yaml', '--port', '0']));
    children.push(...workers, ...servers);
    const logs = workers.map((worker) => collect(worker.stderr!));
    const urls = await Promise.all(servers.map((node) => listeningUrl(node)));
    await Promise.all(logs.map((log) => waitUntil(() => log.text.includes('worker started'), 120_000)));
    const first = Math.floor(Date.now() / SLOT_MS) + 1;
    const slotStart = (n: number) => (first + n) * SLOT_MS;
    log(
      `processes up after ${Math.round((Date.now() - started) / 1000)} s; first full slot starts in ${Math.round((slotStart(0) - Date.now()) / 1000)} s`,
    );
    const prober = probeServers(urls);

    // Slot F: kill the worker that requests the slow page.
    let killedPid: number | undefined;
    const killed = new Promise<Hit>((resolve) => {
      onSlowRequest = (hit) => {
        if (killedPid !== undefined || hit.at < slotStart(0)) return;
        killedPid = pidOwningPort(hit.remotePort);
        workers.find((worker) => worker.pid === killedPid)?.kill('SIGKILL');
        resolve(hit);
      };
    });
    const killHit = await withTimeout(killed, 2 * SLOT_MS + 30_000, 'the slow page was never requested');
    log(`slot F: SIGKILLed worker ${killedPid} while it fetched ${SLOW_SOURCE}`);
    await currentWithinOneFire(urls, first, slotStart(0) + 45_000, 'slot F');
    await sleepUntil(slotStart(1));
    onSlowRequest = undefined;
    // As a supervisor would: the same command, the same config file. Restarting the drifted worker with
    // the shared config would remove the drift the check at the end looks for.
    const killedConfig = workerConfigs[workers.findIndex((worker) => worker.pid === killedPid)] ?? 'shared.yaml';
    figures.killedWorkerConfig = killedConfig;
    const restarted = spawnCli(dir, ['start', '-c', killedConfig]);
    children.push(restarted);
    logs.push(collect(restarted.stderr!));
    workers.push(restarted);
    workerConfigs.push(killedConfig);
    log(`slot F+1: the killed worker restarted with ${killedConfig}`);

    const refused = await outage(proxy, 'refused', slotStart(1) + OUTAGE_OFFSET_MS);
    await currentWithinOneFire(urls, first + 2, slotStart(2) + 45_000, 'slot F+2 (after the refused outage)');
    const silent = await outage(proxy, 'silent', slotStart(3) + OUTAGE_OFFSET_MS);
    await currentWithinOneFire(urls, first + 4, slotStart(4) + 45_000, 'slot F+4 (after the silent outage)');
    await sleepUntil(slotStart(5) + 35_000);
    prober.stop();

    const alive = children.filter(
      (child) => child.pid !== killedPid && child.exitCode === null && child.signalCode === null,
    );
    check(
      alive.length === children.length - 1,
      `every worker and server survived both outages (${alive.length}/${children.length - 1} alive)`,
    );
    const live = workers.filter((worker) => worker.pid !== killedPid);
    for (const worker of live) worker.kill('SIGTERM');
    const codes = await Promise.all(live.map(exitOf));
    check(
      codes.every((code) => code === 0),
      `workers stopped cleanly on SIGTERM (exit codes ${codes.join(', ')})`,
    );
    const allLogs = logs.map((entry) => entry.text).join('\n');
    workerLogs.push(...logs.map((entry, i) => ({ pid: workers[i]?.pid ?? 0, text: entry.text })));

    checkFires(allLogs, first, killHit);
    checkSpacing();
    await checkFeeds(urls, dir, first);
    checkServedDuring([refused, silent]);
    const health = (await (await fetch(`${urls[0]}healthz`)).json()) as { warnings?: string[] };
    check(
      health.warnings?.some(
        (warning) => warning.includes('runs a different config') && warning.includes('drifted.yaml'),
      ) === true,
      'config drift reported in /healthz (the worker with drifted.yaml)',
    );
    const elected = allLogs.match(/writes the site files/g)?.length ?? 0;
    figures.siteElections = elected;
    figures.siteRebuildsDiscarded = allLogs.match(/site rebuild discarded/g)?.length ?? 0;
    figures.firesLost = [...allLogs.matchAll(/(\d+) fire\(s\) were lost/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    figures.storeFenced = allLogs.match(/STORE_FENCED/g)?.length ?? 0;
    check(elected >= 1, `a site writer was elected (${elected} election(s) over the run)`);
    for (const node of servers) node.kill('SIGTERM');
    await Promise.all(servers.map(exitOf));
  } finally {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await proxy.close();
    await origins.close();
    await cleanRedis();
    if (failures.length > 0 || process.env.SCENARIO_KEEP_LOGS) await keepLogs();
    await rm(dir, { recursive: true, force: true });
  }
  figures.wallSeconds = Math.round((Date.now() - started) / 1000);
  process.stdout.write(`\nfigures: ${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(failures.length ? `\n${failures.length} check(s) failed\n` : '\nall checks passed\n');
  return failures.length ? 1 : 0;
}

// --- The checks ---

/**
 * Every page fetched once per slot, plus once for each logged re-run of that slot's job. A worker logs
 * `job <source>@<slot> runs again (…)` whenever it runs a job a second time: after a stall (its
 * worker was killed, the one case this scenario provokes) or a retry after a failed run. Those are
 * at-least-once re-runs that may fetch the page again; anything beyond them ran a fire twice.
 * Hits count by arrival time, so no pass may run before F: `worker.initialRun: false` is in the config.
 */
function checkFires(allLogs: string, first: number, killHit: Hit): void {
  const reruns = new Map<string, number>();
  for (const m of allLogs.matchAll(/job (\S+)@(\d+) runs again/g)) {
    const key = `/${decodeURIComponent(m[1]!)}/@${m[2]}`;
    reruns.set(key, (reruns.get(key) ?? 0) + 1);
  }
  const stalled = new Set([...allLogs.matchAll(/job (\S+)@(\d+) stalled/g)].map((m) => `${m[1]}@${m[2]}`));
  const pages = hits.filter((hit) => hit.path !== '/robots.txt');
  const early = pages.filter((hit) => hit.at < first * SLOT_MS);
  figures.pageFetchesBeforeF = early.length;
  check(
    early.length === 0,
    `no start-up pass (worker.initialRun: false): ${early.length} page fetch(es) before slot F`,
  );
  const histogram: Record<string, number> = {};
  let wrong = 0;
  let rerunFetches = 0;
  for (let slot = first; slot <= first + 5; slot += 1) {
    for (let host = 0; host < HOSTS; host += 1) {
      for (let n = 0; n < PER_HOST; n += 1) {
        const path = `/s${host}-${n}/`;
        const inSlot = pages.filter(
          (hit) => hit.host === host && hit.path === path && Math.floor(hit.at / SLOT_MS) === slot,
        );
        const count = inSlot.length;
        histogram[count] = (histogram[count] ?? 0) + 1;
        const allowed = 1 + (reruns.get(`${path}@${slot * SLOT_MS}`) ?? 0);
        if (count >= 1 && count <= allowed) rerunFetches += count - 1;
        else {
          wrong += 1;
          if (wrong <= 10) {
            const at = inSlot.map((hit) => `+${((hit.at % SLOT_MS) / 1000).toFixed(1)} s`).join(', ');
            log(
              `  ${path} slot F+${slot - first}: ${count} hit(s) (${at}); ${allowed - 1} logged re-run(s) of its job`,
            );
          }
        }
      }
    }
  }
  figures.hitsPerPagePerSlot = histogram;
  figures.stalledJobs = stalled.size;
  figures.jobReruns = [...reruns.values()].reduce((sum, count) => sum + count, 0);
  check(
    wrong === 0,
    `every fire ran once: 60 pages × 6 slots, ${figures.jobReruns} job re-run(s) logged (${stalled.size} stalled), ` +
      `${rerunFetches} page fetch(es) by re-runs, ${wrong} page-slot(s) off`,
  );
  const rerun = pages.find((hit) => hit.path === `/${SLOW_SOURCE}/` && hit.at > killHit.at);
  check(
    rerun !== undefined && Math.floor(rerun.at / SLOT_MS) === Math.floor(killHit.at / SLOT_MS),
    `the killed worker's fire was completed by another within its slot (${rerun ? `${Math.round((rerun.at - killHit.at) / 1000)} s after the kill` : 'never'})`,
  );
}

/** Requests to one host, from all workers together, never closer than minDelay. */
function checkSpacing(): void {
  let smallest = Infinity;
  const robots: number[] = [];
  const close: string[] = [];
  for (let host = 0; host < HOSTS; host += 1) {
    const sorted = hits.filter((hit) => hit.host === host).sort((a, b) => a.at - b.at);
    for (let i = 1; i < sorted.length; i += 1) {
      const [before, after] = [sorted[i - 1]!, sorted[i]!];
      const gap = after.at - before.at;
      smallest = Math.min(smallest, gap);
      if (gap < MIN_DELAY_MS - LAG_TOLERANCE_MS)
        close.push(
          `host ${host}: ${gap} ms between ${before.path} and ${after.path} at ${new Date(after.at).toISOString().slice(11, 23)} ` +
            `(+${((after.at % SLOT_MS) / 1000).toFixed(1)} s in its slot, ports ${before.remotePort}/${after.remotePort})`,
        );
    }
    robots.push(hits.filter((hit) => hit.host === host && hit.path === '/robots.txt').length);
  }
  figures.smallestGapPerHostMs = smallest;
  figures.gapsUnderMinDelay = close.length;
  for (const line of close.slice(0, 10)) log(`  ${line}`);
  figures.robotsFetchesPerHost = robots;
  figures.originRequests = hits.length;
  check(
    smallest >= MIN_DELAY_MS - LAG_TOLERANCE_MS,
    `per-host spacing across workers: smallest gap ${smallest} ms (minDelay ${MIN_DELAY_MS} ms)`,
  );
}

/** Both servers: identical bytes, none 404, no duplicate GUID, no lost item; the export matches. */
async function checkFeeds(urls: string[], dir: string, first: number): Promise<void> {
  const ids = Array.from({ length: HOSTS * PER_HOST }, (_, i) => `s${Math.floor(i / PER_HOST)}-${i % PER_HOST}`);
  const names = ['index.html', 'feeds.opml', 'all.rss.xml', 'all.atom.xml', ...ids.map((id) => `${id}.rss.xml`)];
  let differing = 0;
  let notOk = 0;
  let duplicates = 0;
  let lost = 0;
  let exportDiffers = 0;
  for (const name of names) {
    const answers = await Promise.all(urls.map((url) => fetch(`${url}${name}`)));
    const [a, b] = await Promise.all(answers.map((answer) => answer.text()));
    if (answers.some((answer) => answer.status !== 200)) notOk += 1;
    if (a !== b) differing += 1;
    if (!name.endsWith('.rss.xml')) continue;
    const guids = [...a!.matchAll(/<guid[^>]*>([^<]+)<\/guid>/g)].map((m) => m[1]);
    if (new Set(guids).size !== guids.length) duplicates += 1;
    const id = name.slice(0, -'.rss.xml'.length);
    if (ids.includes(id)) {
      // The page shows the items of its slot and the two before: a first run in F saw F-2..F.
      for (let slot = first - 2; slot <= first + 5; slot += 1) if (!a!.includes(`${id} item ${slot}<`)) lost += 1;
      const onDisk = await readFile(join(dir, 'out', name), 'utf8').catch(() => undefined);
      if (onDisk !== a) exportDiffers += 1;
    }
  }
  const exported = await readdir(join(dir, 'out'));
  figures.exportedFiles = exported.filter((name) => !name.startsWith('.')).length;
  check(notOk === 0, `both servers answer 200 for all ${names.length} documents (${notOk} not)`);
  check(differing === 0, `both servers answer identical bytes (${differing} document(s) differ)`);
  check(duplicates === 0, `no duplicate GUID in any feed (${duplicates} feed(s) with duplicates)`);
  check(lost === 0, `no item lost: every item the origin showed from F-2 to F+5 is in its feed (${lost} missing)`);
  check(exportDiffers === 0, `export: each source feed on disk equals the served one (${exportDiffers} differ)`);
  check(
    ['index.html', 'feeds.opml', 'all.rss.xml'].every((name) => exported.includes(name)),
    'export: site files written (index.html, feeds.opml, topic feed)',
  );
}

/** Every source feed on both servers holds the item of `slot` (the fire of that slot ran) and both agree. */
async function currentWithinOneFire(urls: string[], slot: number, at: number, when: string): Promise<void> {
  await sleepUntil(at);
  let stale = 0;
  let differing = 0;
  let notOk = 0;
  for (let i = 0; i < HOSTS * PER_HOST; i += 1) {
    const id = `s${Math.floor(i / PER_HOST)}-${i % PER_HOST}`;
    const answers = await Promise.all(urls.map((url) => fetch(`${url}${id}.rss.xml`).catch(() => undefined)));
    const texts = await Promise.all(answers.map(async (answer) => (answer ? answer.text() : '')));
    if (answers.some((answer) => answer?.status !== 200)) notOk += 1;
    if (texts[0] !== texts[1]) differing += 1;
    if (!texts.every((text) => text.includes(`${id} item ${slot}<`))) stale += 1;
  }
  check(
    stale === 0 && differing === 0 && notOk === 0,
    `${when}: 60 feeds current on both servers (${stale} stale, ${differing} differ, ${notOk} not 200)`,
  );
}

/** What the servers answered while Redis was away, and after. */
function checkServedDuring(outages: Array<{ kind: string; from: number; to: number }>): void {
  for (const { kind, from, to } of outages) {
    const during = probes.filter((probe) => probe.at >= from && probe.at < to);
    const statuses: Record<string, number> = {};
    for (const probe of during) statuses[String(probe.status)] = (statuses[String(probe.status)] ?? 0) + 1;
    figures[`servedDuring_${kind}`] = { statuses, slowestMs: Math.max(0, ...during.map((probe) => probe.ms)) };
  }
  const outside = probes.filter(
    (probe) => !outages.some(({ from, to }) => probe.at >= from - 1_000 && probe.at < to + 15_000),
  );
  const bad = outside.filter((probe) => probe.status !== 200);
  figures.probesOutsideOutages = outside.length;
  check(
    bad.length === 0,
    `servers answered 200 to every probe outside the outages (${bad.length} of ${outside.length} not)`,
  );
  check(!probes.some((probe) => probe.status === 404), 'no 404 at any time');
}

// --- Processes, origins, proxy ---

async function outage(
  proxy: TcpProxy,
  kind: 'refused' | 'silent',
  at: number,
): Promise<{ kind: string; from: number; to: number }> {
  await sleepUntil(at);
  const from = Date.now();
  if (kind === 'refused') await proxy.cut();
  else proxy.silence();
  log(`Redis ${kind} for ${OUTAGE_MS / 1000} s`);
  await sleep(OUTAGE_MS);
  await proxy.restore();
  log(`Redis back`);
  return { kind, from, to: Date.now() };
}

function startOrigins(): Promise<SlotOrigins> {
  return startSlotOrigins({
    hosts: HOSTS,
    slotMs: SLOT_MS,
    slowSource: SLOW_SOURCE,
    hits,
    slowHook: () => onSlowRequest,
  });
}

function configText(origins: SlotOrigins, redisPort: number, shutdownTimeout = '10s'): string {
  const lines = [
    `store: redis://127.0.0.1:${redisPort}?namespace=${namespace}`,
    'output: out',
    'worker:',
    '  jitter: 5s',
    '  initialRun: false',
    `  shutdownTimeout: ${shutdownTimeout}`,
    'defaults:',
    '  schedule: "* * * * *"',
    `  minDelay: ${MIN_DELAY_MS}ms`,
    '  retries: 0',
    'sources:',
  ];
  for (let host = 0; host < HOSTS; host += 1) {
    const port = origins.ports[host]!;
    for (let n = 0; n < PER_HOST; n += 1)
      lines.push(
        `  - id: s${host}-${n}`,
        `    url: http://127.0.0.${host + 1}:${port}/s${host}-${n}/`,
        '    items: li',
      );
  }
  lines.push('feeds:', '  - id: all', '    title: Everything', '    sources: all');
  return lines.join('\n');
}

function spawnCli(cwd: string, args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', TSX, CLI, ...args], {
    cwd,
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Polls one feed on each server every 2 s (status and time to answer). */
function probeServers(urls: string[]): { stop(): void } {
  let stopped = false;
  void (async () => {
    while (!stopped) {
      await Promise.all(
        urls.map(async (url, node) => {
          const at = Date.now();
          try {
            const answer = await fetch(`${url}s1-1.rss.xml`, { signal: AbortSignal.timeout(20_000) });
            await answer.arrayBuffer();
            probes.push({ at, node, status: answer.status, ms: Date.now() - at });
          } catch {
            probes.push({ at, node, status: 'error', ms: Date.now() - at });
          }
        }),
      );
      await sleep(2_000);
    }
  })();
  return { stop: () => void (stopped = true) };
}

/** Keeps every worker's log and the origin hits for a failed run (or with SCENARIO_KEEP_LOGS=1). */
async function keepLogs(): Promise<void> {
  const keep = await mkdtemp(join(tmpdir(), 'feedwright-scenario-logs-'));
  for (const [i, { pid, text }] of workerLogs.entries()) await writeFile(join(keep, `worker-${i}-${pid}.log`), text);
  await writeFile(join(keep, 'hits.json'), JSON.stringify(hits));
  log(`logs kept in ${keep}`);
}

async function cleanRedis(): Promise<void> {
  const admin = createClient({ url: 'redis://127.0.0.1:6379' });
  await admin.connect();
  const keys = await admin.keys(`${namespace}*`);
  for (let i = 0; i < keys.length; i += 500) await admin.del(keys.slice(i, i + 500));
  await admin.close();
}

function collect(stream: NodeJS.ReadableStream): { text: string } {
  const sink = { text: '' };
  stream.on('data', (chunk: Buffer) => (sink.text += chunk.toString('utf8')));
  return sink;
}

function listeningUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /at (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', () => reject(new Error(`serve exited: ${out}`)));
  });
}

/** The pid of the process whose TCP socket has local port `port` (iproute2's ss). */
function pidOwningPort(port: number): number | undefined {
  const out = execFileSync('ss', ['-tnpH', `sport = :${port}`], { encoding: 'utf8' });
  const match = /pid=(\d+)/.exec(out);
  return match ? Number(match[1]) : undefined;
}

function exitOf(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('timed out waiting for the workers to start');
    await sleep(100);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(what)))]);
}

function sleepUntil(at: number): Promise<void> {
  return sleep(at - Date.now());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}

function log(message: string): void {
  process.stdout.write(`[${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`scenario failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  return 1;
});
