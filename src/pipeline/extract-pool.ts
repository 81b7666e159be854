/**
 * Extraction (HTML parse, selection, dates, post-processing) on worker threads, so a pass uses every
 * core: fetching, the store and feed writing stay on the main thread, where politeness, crash-safe
 * write order and SIGTERM handling live; a worker only turns a decoded page into items, which has
 * no side effects, so cancelling or losing a task loses nothing.
 *
 * A pool costs ~0.15 s of CPU per thread to start (each runs the extractors' bundle from its code
 * cache, extract-worker-bundle.ts; see loadDocument for why not cheerio's full build), so a pass starts
 * one only when it has enough pages to win that back (see {@link shouldUsePool}).
 */
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import type { Piscina as PiscinaPool } from 'piscina';
import { AppError, type ErrorCode } from '../errors.js';
import { ExtractError, extractItems, type ExtractInput, type ExtractOptions } from '../extract/index.js';
import type { ExtractResult } from '../model.js';
import type { ExtractFailure, ExtractTask } from './extract-worker.js';

/** Extracts a page: on a worker thread when a pool runs, else in this thread. */
export type ExtractPage = (input: ExtractInput, options: ExtractOptions) => Promise<ExtractResult>;

/** A running pool of extraction threads. */
export interface ExtractPool {
  extract: ExtractPage;
  threads: number;
  /** Stops the threads; tasks still queued reject. */
  close(): Promise<void>;
}

/**
 * Fewer pages than this are extracted in-process: a pool's start-up would cost more than it saves.
 * Cold `run`s of the first N peer pages (bench/peer-workload.ts, c=8, 2 cores; one thread against none,
 * median of 3-5 runs each, in several rounds), the wall time with the thread minus without: 24 pages
 * +215/-21 ms, 32 +20, 40 -27, 48 -54/+54, 56 +187, 64 -124/+169/-165, 80 -230/-112, 96 -142/-55, 128 -43
 * (200 pages: 13-20 % shorter), for 230-680 ms more CPU every time. Below 80 pages the gain was lost in
 * the noise of this machine, and the extra CPU was not.
 */
export const POOL_MIN_PAGES = 80;

/**
 * Young generation of each extraction thread, in MB. A thread inherits V8's default (16 MB semi-spaces,
 * as big as the main thread's) though it holds nothing between tasks: a task's tree dies young (see
 * DocumentScope). Cold `run` of the 200 peer pages at c=8 (load average 3.7-4.7, 2 runs each): peak RSS
 * 272/280 -> 231/243 MB with 2 threads and 219/225 -> 201/205 MB with 1, CPU 20.2-22.5 ms a page either way;
 * 4 MB promoted more and peaked at 296/300 MB.
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * Threads for `auto`: one per core beyond the main thread's, and at least one. The main thread keeps
 * about half of a page's CPU (fetch, decode, store, feed rendering, writes), so a thread for every core
 * left it none: on 2 cores, a cold `run` of the 200 peer pages at c=8 took 1.76-1.83 s on one thread
 * and 1.95-1.99 s on two (interleaved; README: Extraction threads).
 */
export function defaultPoolThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** Whether a pass of `pages` sources should extract on a pool: threads asked for, and enough pages. */
export function shouldUsePool(pages: number, threads: number = configuredThreads()): boolean {
  return threads > 0 && pages >= POOL_MIN_PAGES;
}

/**
 * Threads from FEEDWRIGHT_EXTRACT_THREADS: a number, or `auto` (see defaultPoolThreads); 0 (the default)
 * extracts in the main thread. Off by default: on the 2-core machine it was measured on, one thread
 * shortened a CPU-bound pass by about a quarter for ~10 % more CPU and ~20 MB more memory, and a pass
 * spaced by politeness or waiting on slow answers gains nothing (README: Extraction threads).
 */
export function configuredThreads(): number {
  const raw = process.env.FEEDWRIGHT_EXTRACT_THREADS?.trim();
  if (raw === undefined || raw === '') return 0;
  if (raw === 'auto') return defaultPoolThreads();
  const value = Number(raw);
  return Number.isInteger(value) && value >= 0 ? value : 0;
}

/**
 * A pool that starts its threads on the first page to extract; closing an unstarted pool is free.
 * When the threads cannot start (Node refuses worker threads some of its flags, such as
 * `--single-threaded-gc`, which piscina passes on), `onStartFailed` is told once and the pass
 * extracts in this thread instead of failing every source.
 */
export function createLazyExtractPool(
  threads: number = configuredThreads(),
  onStartFailed?: (error: unknown) => void,
): Pick<ExtractPool, 'extract' | 'close'> {
  let started: Promise<ExtractPool | undefined> | undefined;
  const start = () =>
    startExtractPool(threads).catch((error: unknown) => {
      onStartFailed?.(error);
      return undefined;
    });
  return {
    extract: async (input, options) => {
      const pool = await (started ??= start());
      return pool ? pool.extract(input, options) : extractInProcess(input, options);
    },
    close: async () => {
      if (started) await (await started)?.close();
    },
  };
}

/** Extraction in this thread, with the pool's asynchronous signature. */
export const extractInProcess: ExtractPage = async (input, options) => extractItems(input, options);

/** Starts a pool of `threads` extraction workers (piscina). */
export async function startExtractPool(threads: number = configuredThreads()): Promise<ExtractPool> {
  // Required, not imported: import() fails in the CLI's bundle (src/vendor/vendor-bundle.ts).
  const { Piscina } = createRequire(import.meta.url)('piscina') as typeof import('piscina');
  // Under tsx (tests, benchmarks) this module is a .ts file, and its thread runs the worker module (tsx's
  // loader takes it through require(), which a module with a top-level await cannot be); compiled, the
  // thread runs extract-thread.js, which runs the worker's bundle (extract-worker-bundle.ts).
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const pool: PiscinaPool = new Piscina({
    filename: new URL(extension === 'ts' ? './extract-worker.ts' : './extract-thread.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    // The main thread keeps at most a few pages per thread in flight: memory stays bounded.
    concurrentTasksPerWorker: 1,
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
    // A .ts worker needs tsx's loader in its thread too (tests run the sources under vitest).
    execArgv:
      extension === 'ts' && !process.execArgv.some((arg) => arg.includes('tsx'))
        ? [...process.execArgv, '--import', 'tsx']
        : process.execArgv,
  });
  return {
    threads,
    async extract(input, options) {
      const answer = (await pool.run({ input, options } satisfies ExtractTask)) as ExtractResult | ExtractFailure;
      if ('failed' in answer) throw reviveError(answer);
      return answer;
    },
    close: () => pool.destroy(),
  };
}

// --- Internal helpers ---

function reviveError(failure: ExtractFailure): Error {
  const code = failure.code as ErrorCode | undefined;
  if (failure.name === 'ExtractError' && code) return ExtractError.fromFields({ ...failure, code });
  if (code) return new AppError(code, failure.message, { sourceId: failure.sourceId, hint: failure.hint });
  const error = new Error(failure.message);
  error.name = failure.name;
  return error;
}
