/**
 * Fetch throughput and cost: 1,000 sources (distinct URLs) spread over 50 fake hosts, from a local
 * server that answers every request after 20 ms. The server (bench/list-site-server.ts) runs in a
 * CHILD process so only the fetcher's CPU is counted here.
 *
 * Setup: 50 listeners on 127.0.0.1 (one port per fake host, so the per-host limit of 2 applies
 * per port), 20 sources per host, default global limit 16 and per-host limit 2. The per-host
 * minimum delay is set to 0: with the default 1 s, 20 sources per host would take 20 s by design
 * (politeness, not cost). robots.txt is obeyed (one 404 per host, the realistic case).
 * Pages are realistic list pages: ~60,000 characters of headlines (~82 KB in GBK), gzip-compressed,
 * charset in the header; each source has its own page.
 *
 * Pass 1 fetches everything; pass 2 sends the ETags back and every source answers 304 (two more
 * 304 passes follow, to show the 304 path once pass 1's garbage has been collected).
 * Targets: pass 1 within 1.3× the ideal (latency × sources / effective concurrency);
 * pass 2 under 10 % of pass 1's CPU time. Warm-up rounds on other URLs run first (JIT) and three
 * rounds are reported as medians. (No forced GC between passes: a forced full GC was measured to
 * discard optimised code and double both passes' CPU.) For scale, the same 304s are also sent
 * with bare undici `request()` (the floor any undici-based fetcher pays per request) and over
 * bare sockets with no HTTP library (what loopback TCP and the event loop alone cost).
 *
 * Reading the figures: with 2 cores shared by this process, its GC threads and the server child,
 * response latency grows with the CPU the client spends per response, and other processes on
 * the machine add to it — compare the load averages printed at the start and the end. The
 * server's real per-response delay is printed too (its timers fire a little late), with the wall
 * time the pass's requests (robots.txt included) need at that delay. The 304 pass is mostly
 * loopback TCP and undici's own parsing, so its ratio to pass 1 cannot go below the floors'
 * ratios, printed below it.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { Agent, request } from 'undici';
import { createFetcher, DEFAULT_USER_AGENT, defaultFetchPolicy, type Fetcher } from '../src/fetch/index.js';
import type { FetchPolicy, FetchResult, FetchValidators } from '../src/model.js';
import { startListSite, type ListSite } from './list-site-server.js';
import { median } from './measure.js';

const HOSTS = 50;
const SOURCES = 1_000;
const LATENCY_MS = 20;
const GLOBAL_LIMIT = 16;
const PER_HOST_LIMIT = 2;
const ROUNDS = 3;
const WARM_UP_ROUNDS = 3;
/** Extra 304 passes after pass 2, to see the 304 path without pass 1's GC debt. */
const STEADY_PASSES = 2;

await runBenchmark();

// --- Internal helpers ---

interface PassFigures {
  wallMs: number;
  cpuMs: number;
  /** Of cpuMs, the main (JavaScript) thread's share; the rest is V8's helper threads (GC, compiler). NaN off Linux. */
  mainThreadCpuMs: number;
  /** CPU the server child spent meanwhile (not part of cpuMs; shows what the machine had to share). */
  serverCpuMs: number;
  /** Mean delay the server really added per response (LATENCY_MS plus timer lateness on shared cores). */
  serverDelayMs: number;
  /** Per source: the outcome in a word, and the validators to send next time (bodies are dropped at once, as the pipeline would). */
  outcomes: Array<{ url: string; outcome: string; validators: FetchValidators }>;
  requests: number;
}

/** One measured round: a fresh fetcher (so robots.txt is fetched again), pass 1, pass 2, and the bare-undici floor. */
interface Round {
  first: PassFigures;
  second: PassFigures;
  /** CPU of a 304 pass once the first pass's garbage is collected (the third of three 304 passes). */
  steadyCpuMs: number;
  /** CPU of the same 304s sent with bare undici request(), and with bare sockets. */
  undiciFloorCpuMs: number;
  socketFloorCpuMs: number;
}

async function runBenchmark(): Promise<void> {
  const loadAtStart = loadavg()[0] ?? 0;
  const site = await startListSite({ hosts: HOSTS, lists: SOURCES, latencyMs: LATENCY_MS });
  try {
    const policy: FetchPolicy = { ...defaultFetchPolicy(), minHostDelayMs: 0, perHostConcurrency: PER_HOST_LIMIT };
    const urls = Array.from({ length: SOURCES }, (_, i) => site.urlOf(i));
    await warmUp(site, policy);
    const rounds: Round[] = [];
    for (let i = 0; i < ROUNDS; i += 1) rounds.push(await runRound(site, urls, policy));
    report(site, rounds, process.resourceUsage().maxRSS / 1024, loadAtStart);
  } finally {
    site.close();
  }
}

async function runRound(server: ListSite, urls: string[], policy: FetchPolicy): Promise<Round> {
  const fetcher = createFetcher({ concurrency: GLOBAL_LIMIT });
  const first = await runPass(server, fetcher, urls, policy, () => undefined);
  const validators = new Map(first.outcomes.map((o) => [o.url, o.validators] as const));
  const second = await runPass(server, fetcher, urls, policy, (url) => validators.get(url));
  // Pass 2 also pays for collecting pass 1's garbage; later 304 passes show the 304 path alone.
  let steady = second;
  for (let i = 0; i < STEADY_PASSES; i += 1)
    steady = await runPass(server, fetcher, urls, policy, (url) => validators.get(url));
  await fetcher.close();
  const undiciFloorCpuMs = await measureUndiciFloor(urls, validators);
  const socketFloorCpuMs = await measureSocketFloor(urls, validators);
  return { first, second, steadyCpuMs: steady.cpuMs, undiciFloorCpuMs, socketFloorCpuMs };
}

/**
 * Runs both paths (200 and 304) on other URLs until V8 has optimised them — it takes about three
 * rounds of 1,000 — so neither pass is charged for compilation. A long-running worker is in this
 * steady state.
 */
async function warmUp(site: ListSite, policy: FetchPolicy): Promise<void> {
  const fetcher = createFetcher({ concurrency: GLOBAL_LIMIT });
  const urls = Array.from({ length: SOURCES }, (_, i) => site.urlOf(i, 'warm'));
  for (let round = 0; round < WARM_UP_ROUNDS; round += 1) {
    const outcomes = await Promise.all(
      urls.map((url) => fetcher.fetch({ sourceId: 'warm', url, policy, purpose: 'page' }).then(summarize)),
    );
    await Promise.all(
      outcomes.map((o) =>
        fetcher.fetch({ sourceId: 'warm', url: o.url, policy, purpose: 'page', validators: o.validators }),
      ),
    );
  }
  await fetcher.close();
}

async function runPass(
  server: ListSite,
  fetcher: Fetcher,
  urls: string[],
  policy: FetchPolicy,
  validatorsFor: (url: string) => FetchValidators | undefined,
): Promise<PassFigures> {
  const before = fetcher.stats().requests;
  const serverBefore = await server.cpuMs();
  const delaysBefore = await server.delays();
  const cpu = process.cpuUsage();
  const mainBefore = readMainThreadCpuMs();
  const started = performance.now();
  const outcomes = await Promise.all(
    urls.map((url, i) =>
      fetcher
        .fetch({ sourceId: `source-${i}`, url, policy, purpose: 'page', validators: validatorsFor(url) })
        .then(summarize),
    ),
  );
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const mainThreadCpuMs = readMainThreadCpuMs() - mainBefore;
  const serverCpuMs = (await server.cpuMs()) - serverBefore;
  const delaysAfter = await server.delays();
  const serverDelayMs = (delaysAfter.totalMs - delaysBefore.totalMs) / (delaysAfter.responses - delaysBefore.responses);
  return {
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    mainThreadCpuMs,
    serverCpuMs,
    serverDelayMs,
    outcomes,
    requests: fetcher.stats().requests - before,
  };
}

/** CPU time of this process's main thread so far, in ms (Linux schedstat, ns precision); NaN elsewhere. */
function readMainThreadCpuMs(): number {
  try {
    return Number(readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch (error) {
    // Not Linux (or no procfs): the split is informative only, the totals stand without it.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Number.NaN;
    throw error;
  }
}

function summarize(result: FetchResult): PassFigures['outcomes'][number] {
  const ok = result.kind === 'fetched' && result.charset === 'gb18030' && result.body.includes('生态环境部印发');
  const outcome = result.kind === 'fetched' ? (ok ? 'decoded' : 'wrong') : result.reason;
  return { url: result.requestedUrl, outcome, validators: result.validators };
}

/**
 * The same 304 pass with bare undici request() (16 workers, same headers, no gate, robots or
 * result building): the floor any fetcher on undici pays, to judge pass 2's overhead.
 */
async function measureUndiciFloor(urls: string[], validators: Map<string, FetchValidators>): Promise<number> {
  const agent = new Agent({ keepAliveTimeout: 10_000 });
  const headers = { 'user-agent': DEFAULT_USER_AGENT, accept: 'text/html', 'accept-encoding': 'gzip, deflate, br' };
  const cpuMs = await measureFloor(urls, async (url) => {
    const response = await request(url, {
      dispatcher: agent,
      headers: { ...headers, 'if-none-match': validators.get(url)?.etag ?? '' },
    });
    await response.body.dump();
  });
  await agent.close();
  return cpuMs;
}

/**
 * The same 304s with no HTTP library at all: kept-alive sockets per host, each request written
 * as one string and the answer read up to the blank line that ends its headers (a 304 has no
 * body). What the kernel's loopback TCP and the event loop cost per exchange on this machine:
 * no HTTP client, however lean, goes below it.
 */
async function measureSocketFloor(urls: string[], validators: Map<string, FetchValidators>): Promise<number> {
  const idle = new Map<string, Socket[]>();
  const exchange = (url: URL, etag: string): Promise<void> =>
    new Promise((resolve, reject) => {
      const pool = idle.get(url.host) ?? [];
      idle.set(url.host, pool);
      const socket = pool.pop() ?? connect(Number(url.port), url.hostname).setNoDelay(true);
      let head = '';
      const onData = (chunk: Buffer): void => {
        head += chunk.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        socket.off('data', onData).off('error', reject);
        pool.push(socket);
        resolve();
      };
      socket.on('data', onData).on('error', reject);
      socket.write(
        `GET ${url.pathname}${url.search} HTTP/1.1\r\nhost: ${url.host}\r\nuser-agent: ${DEFAULT_USER_AGENT}\r\nif-none-match: ${etag}\r\n\r\n`,
      );
    });
  const cpuMs = await measureFloor(urls, (url) => exchange(new URL(url), validators.get(url)?.etag ?? ''));
  for (const socket of [...idle.values()].flat()) socket.destroy();
  return cpuMs;
}

/** CPU of one round of `send` over every URL with GLOBAL_LIMIT workers, after WARM_UP_ROUNDS unmeasured rounds. */
async function measureFloor(urls: string[], send: (url: string) => Promise<void>): Promise<number> {
  const round = async (): Promise<number> => {
    let next = 0;
    const cpu = process.cpuUsage();
    const worker = async (): Promise<void> => {
      for (let i = next++; i < urls.length; i = next++) await send(urls[i] as string);
    };
    await Promise.all(Array.from({ length: GLOBAL_LIMIT }, worker));
    const used = process.cpuUsage(cpu);
    return (used.user + used.system) / 1000;
  };
  for (let i = 0; i < WARM_UP_ROUNDS; i += 1) await round();
  return round();
}

function report(site: ListSite, rounds: Round[], peakRssMb: number, loadAtStart: number): void {
  const effective = Math.min(GLOBAL_LIMIT, HOSTS * PER_HOST_LIMIT);
  const idealMs = (LATENCY_MS * SOURCES) / effective;
  const wall1 = median(rounds.map((r) => r.first.wallMs));
  const wall2 = median(rounds.map((r) => r.second.wallMs));
  const cpu1 = median(rounds.map((r) => r.first.cpuMs));
  const cpu2 = median(rounds.map((r) => r.second.cpuMs));
  const steady = median(rounds.map((r) => r.steadyCpuMs));
  const undiciFloor = median(rounds.map((r) => r.undiciFloorCpuMs));
  const socketFloor = median(rounds.map((r) => r.socketFloorCpuMs));
  const cpuRatio = median(rounds.map((r) => r.second.cpuMs / r.first.cpuMs));
  const wallRatio = wall1 / idealMs;
  const list = (values: number[]): string => values.map((v) => v.toFixed(0)).join(', ');
  const last = rounds[rounds.length - 1] as Round;
  const lines = [
    `setup: ${SOURCES} sources on ${HOSTS} hosts, ${LATENCY_MS} ms server latency, global limit ${GLOBAL_LIMIT}, per host ${PER_HOST_LIMIT}, host delay 0; ${ROUNDS} rounds, medians shown`,
    `pass 1 (200, ${site.page.rows} headlines, ${(site.page.bytes / 1024).toFixed(0)} KB GBK, ${(site.page.gzipBytes / 1024).toFixed(1)} KB gzip): ${countOutcomes(rounds, 'first', 'decoded')}/${SOURCES * ROUNDS} decoded as gb18030, ${last.first.requests} requests per round (incl. ${last.first.requests - SOURCES} robots.txt)`,
    `  wall        ${wall1.toFixed(0)} ms (rounds: ${list(rounds.map((r) => r.first.wallMs))})   ideal ${idealMs.toFixed(0)} ms (${LATENCY_MS} ms × ${SOURCES} / ${effective})`,
    `              ratio ${wallRatio.toFixed(2)}× the ideal (target ≤ 1.30×) ${wallRatio <= 1.3 ? 'OK' : 'MISSED'}`,
    explainWall(rounds, 'first', wall1, effective),
    `  throughput  ${((SOURCES / wall1) * 1000).toFixed(0)} sources/s   (server child meanwhile: ${median(rounds.map((r) => r.first.serverCpuMs)).toFixed(0)} ms CPU)`,
    `  CPU         ${(cpu1 / 1000).toFixed(3)} s (rounds: ${list(rounds.map((r) => r.first.cpuMs))} ms)   ${(cpu1 / SOURCES).toFixed(3)} ms per source`,
    `              of which the main thread ${(median(rounds.map((r) => r.first.mainThreadCpuMs)) / 1000).toFixed(3)} s, V8 helper threads (GC, compiler) the rest`,
    `pass 2 (304): ${countOutcomes(rounds, 'second', 'http-304')}/${SOURCES * ROUNDS} not-modified, ${last.second.requests} requests per round`,
    `  wall        ${wall2.toFixed(0)} ms = ${(wall2 / idealMs).toFixed(2)}× the ideal   throughput ${((SOURCES / wall2) * 1000).toFixed(0)} sources/s`,
    explainWall(rounds, 'second', wall2, effective),
    `  CPU         ${(cpu2 / 1000).toFixed(3)} s (rounds: ${list(rounds.map((r) => r.second.cpuMs))} ms)   ${(cpu2 / SOURCES).toFixed(3)} ms per source, main thread ${(median(rounds.map((r) => r.second.mainThreadCpuMs)) / 1000).toFixed(3)} s`,
    `              = ${(cpuRatio * 100).toFixed(1)} % of pass 1 (target < 10 %) ${cpuRatio < 0.1 ? 'OK' : 'MISSED'}`,
    `  steady      a 3rd 304 pass in a row: ${(steady / 1000).toFixed(3)} s CPU = ${((steady / cpu1) * 100).toFixed(1)} % of pass 1 (pass 2 also collects pass 1's garbage)`,
    `  floors      the same 304s with bare undici request(): ${(undiciFloor / 1000).toFixed(3)} s CPU = ${((undiciFloor / cpu1) * 100).toFixed(1)} % of pass 1 (feedwright's 304 path costs ${(cpu2 / undiciFloor).toFixed(2)}× that in pass 2, ${(steady / undiciFloor).toFixed(2)}× in the 3rd pass)`,
    `              with bare sockets and no HTTP library: ${(socketFloor / 1000).toFixed(3)} s CPU = ${((socketFloor / cpu1) * 100).toFixed(1)} % of pass 1 (loopback TCP and the event loop alone)`,
    `peak RSS      ${peakRssMb.toFixed(0)} MB`,
    `machine       ${cpus().length} cores, load average ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0]?.toFixed(2)} at the end (other processes share the cores: wall figures are noisy)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (
    countOutcomes(rounds, 'first', 'decoded') !== SOURCES * ROUNDS ||
    countOutcomes(rounds, 'second', 'http-304') !== SOURCES * ROUNDS
  ) {
    process.stdout.write('ERROR: not every source gave the expected result\n');
    process.exitCode = 1;
  }
}

/**
 * Where the wall time beyond the ideal comes from: the ideal counts sources at exactly
 * LATENCY_MS, while the pass also sends robots.txt requests and the server's timers fire late
 * on shared cores. The rest is time the client itself spent between responses.
 */
function explainWall(rounds: Round[], pass: 'first' | 'second', wallMs: number, effective: number): string {
  const delayMs = median(rounds.map((r) => r[pass].serverDelayMs));
  const requests = median(rounds.map((r) => r[pass].requests));
  const floorMs = (delayMs * requests) / effective;
  return `              the server really added ${delayMs.toFixed(1)} ms per response; ${requests} requests at that latency need ${floorMs.toFixed(0)} ms → ${(wallMs / floorMs).toFixed(2)}× that (the rest is the client's own time)`;
}

function countOutcomes(rounds: Round[], pass: 'first' | 'second', outcome: string): number {
  return rounds.reduce((sum, round) => sum + round[pass].outcomes.filter((o) => o.outcome === outcome).length, 0);
}
