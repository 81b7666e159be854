/**
 * The extraction thread's code as one file: the build bundles the compiled worker module
 * (extract-worker.js, with cheerio, htmlparser2 and the extractors it imports) into
 * `extract-worker.cjs` beside this module (scripts/bundle-cli.ts) and writes V8's code cache of it,
 * made after extracting sample pages (with selectors and found automatically), so it holds the
 * functions extraction compiles. A pool thread runs it through extract-thread.ts.
 *
 * Why: each thread is a fresh V8 isolate, and Node 20 has no compile cache for ES modules: a thread
 * resolved, read and compiled the ~150 modules of extraction, then compiled every function the first
 * time a page ran it. Starting a pool and extracting a first small page took 285-294 ms of the
 * process's CPU with one thread and 542-564 ms with two from the modules, 186-189 and 332-345 ms from
 * the bundle and its cache (three runs each).
 */
import { fileURLToPath } from 'node:url';
import type { ExtractResult } from '../model.js';
import { runBuiltBundle, writeVendorCodeCache, type RunBundle } from '../vendor/vendor-bundle.js';
import type { ExtractFailure, ExtractTask } from './extract-worker.js';

/** What the bundle exports: the worker module's default export. */
export interface ExtractWorkerBundle {
  default: (task: ExtractTask) => ExtractResult | ExtractFailure;
}

/**
 * The bundle beside this module, run (its top level only); undefined when there is none, or when it
 * is older than the compiled worker module (the TypeScript was compiled again without `npm run build`):
 * the modules are then what was built last.
 */
export function loadExtractWorkerBundle(): RunBundle<ExtractWorkerBundle> | undefined {
  return runBuiltBundle<ExtractWorkerBundle>(BUNDLE, WORKER_MODULE);
}

/** Writes V8's code cache of a bundle that has run in this process (the build extracts sample pages first). */
export function writeExtractWorkerCodeCache(bundle: RunBundle<ExtractWorkerBundle>): void {
  writeVendorCodeCache(BUNDLE, bundle);
}

// --- Internal helpers ---

/** Where the build writes the bundle: beside this module (dist/pipeline/). */
const BUNDLE = fileURLToPath(new URL('./extract-worker.cjs', import.meta.url));
/** The module the bundle is made from; the compiler writes it on every build. */
const WORKER_MODULE = fileURLToPath(new URL('./extract-worker.js', import.meta.url));
