/**
 * HTTP load on 127.0.0.1 for the serve benchmarks: wrk when it is installed (`apt-get install wrk`;
 * written in C, it leaves more of a 2-core machine to the server than a Node load generator),
 * else autocannon. Both keep `connections` keep-alive connections busy for `seconds`, on one URL or
 * on a list of paths each requested once (cache misses).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What one load run measured. */
export interface LoadFigures {
  tool: 'wrk' | 'autocannon';
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers outside 2xx/3xx and socket errors: a figure with any is not a throughput figure. */
  failures: number;
  /** Requests answered in all. */
  requests: number;
}

/** Loads `url` with the given request headers. */
export async function loadLoopback(
  url: string,
  headers: Record<string, string>,
  options: { connections: number; seconds: number },
): Promise<LoadFigures> {
  if (hasWrk()) return runWrk(url, headers, options);
  return runAutocannon(url, headers, options);
}

/**
 * Loads the server at `baseUrl` with `paths` in order, each requested once (the first request of a
 * document: a miss on a rendering server), from `connections` keep-alive connections for `seconds`.
 * Once the list is used up, requests start over at its first path: a result with `requests` above
 * `paths.length` is not all first requests, and the caller should say so or use a longer list.
 */
export async function loadLoopbackPaths(
  baseUrl: string,
  paths: readonly string[],
  headers: Record<string, string>,
  options: { connections: number; seconds: number },
): Promise<LoadFigures> {
  if (paths.length === 0) throw new Error('loadLoopbackPaths: no paths to request');
  if (!hasWrk()) return runAutocannon(baseUrl, headers, options, paths);
  // One wrk thread: a second would need its own share of the list; one C thread sends far more
  // requests a second than a rendering server answers.
  const dir = mkdtempSync(join(tmpdir(), 'feedwright-wrk-'));
  try {
    // The list is read from a file: a Lua table literal of tens of thousands of strings does not load.
    const list = join(dir, 'paths.txt');
    writeFileSync(list, `${paths.join('\n')}\n`);
    const script = join(dir, 'paths.lua');
    writeFileSync(
      script,
      [
        'local paths = {}',
        `for line in io.lines(${JSON.stringify(list)}) do paths[#paths + 1] = line end`,
        'local sent = 0',
        'request = function()',
        '  sent = sent + 1',
        '  return wrk.format(nil, paths[((sent - 1) % #paths) + 1])',
        'end',
      ].join('\n'),
    );
    const figures = runWrk(baseUrl, headers, options, ['-t1', '-s', script]);
    if (!(figures.requests > 0)) throw new Error(`wrk sent no request from its path list (${script})`);
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- Internal helpers ---

let wrkFound: boolean | undefined;

function hasWrk(): boolean {
  wrkFound ??= spawnSync('wrk', ['--version'], { encoding: 'utf8' }).error === undefined;
  return wrkFound;
}

function runWrk(
  url: string,
  headers: Record<string, string>,
  options: { connections: number; seconds: number },
  extra: string[] = ['-t2'],
): LoadFigures {
  const args = [...extra, `-c${options.connections}`, `-d${options.seconds}s`, '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const run = spawnSync('wrk', [...args, url], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`wrk failed (${run.status}): ${run.stderr || run.stdout}`);
  const out = run.stdout;
  const number = (re: RegExp) => Number(re.exec(out)?.[1] ?? NaN);
  const latencyMs = (label: string) => {
    const match = new RegExp(`^\\s*${label}\\s+([0-9.]+)(us|ms|s)\\s*$`, 'm').exec(out);
    if (!match) return NaN;
    const value = Number(match[1]);
    return match[2] === 'us' ? value / 1000 : match[2] === 's' ? value * 1000 : value;
  };
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    tool: 'wrk',
    requestsPerSecond: number(/Requests\/sec:\s+([0-9.]+)/),
    p50Ms: latencyMs('50%'),
    p99Ms: latencyMs('99%'),
    failures:
      (number(/Non-2xx or 3xx responses:\s+(\d+)/) || 0) +
      (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
    requests: number(/(\d+) requests in /),
  };
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
  requests?: Array<{ setupRequest: (request: { path: string }) => { path: string } }>;
}) => Promise<{
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  '1xx': number;
  '4xx': number;
  '5xx': number;
  errors: number;
}>;

async function runAutocannon(
  url: string,
  headers: Record<string, string>,
  options: { connections: number; seconds: number },
  paths?: readonly string[],
): Promise<LoadFigures> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  let next = 0;
  const requests = paths
    ? [{ setupRequest: (request: { path: string }) => ({ ...request, path: paths[next++ % paths.length]! }) }]
    : undefined;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    headers,
    ...(requests ? { requests } : {}),
  });
  return {
    tool: 'autocannon',
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result['4xx'] + result['5xx'] + result.errors,
    requests: result.requests.total,
  };
}
