/**
 * HTTP load on 127.0.0.1 for the serve benchmarks: wrk when it is installed (`apt-get install wrk`;
 * written in C, it leaves more of a 2-core machine to the server than a Node load generator),
 * else autocannon. Both keep `connections` keep-alive connections busy for `seconds`.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** What one load run measured. */
export interface LoadFigures {
  tool: 'wrk' | 'autocannon';
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers outside 2xx/3xx and socket errors: a figure with any is not a throughput figure. */
  failures: number;
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
): LoadFigures {
  const args = ['-t2', `-c${options.connections}`, `-d${options.seconds}s`, '--latency'];
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
  };
}

type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  headers?: Record<string, string>;
}) => Promise<{
  requests: { average: number };
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
): Promise<LoadFigures> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const result = await autocannon({ url, connections: options.connections, duration: options.seconds, headers });
  return {
    tool: 'autocannon',
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result['4xx'] + result['5xx'] + result.errors,
  };
}
