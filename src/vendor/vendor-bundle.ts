/**
 * Third-party libraries the build bundles into one CommonJS file each (`dist/vendor/*.cjs`,
 * scripts/bundle-vendor-libraries.ts), run here in place of their packages, compiled from V8's code
 * cache of them (`<bundle>.v8-cache`) when V8 accepts it.
 *
 * - Why: Node resolves, reads and compiles each file of a package on its own; BullMQ with node-redis
 *   is some 600 files, zod 99 (every zod entry loads its 60 locales). One file loads in about half the
 *   CPU, and its code cache saves compiling it and the functions its start-up runs.
 * - A code cache is accepted only from the same Node version and V8 flags (the CLI's flags,
 *   bin/v8-flags.js, are the build's); otherwise V8 compiles the source as usual.
 * - Only compiled code has bundles beside it: run from src/ (tsx, vitest), each library's loader
 *   falls back to its package in node_modules.
 * - No dynamic `import()` in a bundle: Node 20 loses the import callback of code compiled from a code
 *   cache written by another process (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), so it would work only
 *   when V8 rejected the cache. None is given, so it fails the same way either way; what a bundle
 *   loads late, it loads with `require` (see cli-bundle.ts, whose test checks for it).
 */
import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** How a bundle was run: from its code cache, or compiled from its source. */
export type BundleOrigin = 'bundle, code cache' | 'bundle';

/** A bundle's exports and how it was compiled. */
export interface RunBundle<T> {
  exports: T;
  origin: BundleOrigin;
  script: Script;
}

/**
 * Runs the bundle at `path` as a CommonJS module (the same wrapper and arguments Node gives one),
 * compiled from its code cache when V8 accepts that; undefined when there is no bundle. An error
 * inside it is thrown.
 */
export function runVendorBundle<T>(path: string): RunBundle<T> | undefined {
  const source = readWrappedSource(path);
  if (source === undefined) return undefined;
  // Into the buffer the source was read into: the source is a string of its own by now, and V8 reads
  // the cache only while it compiles the script.
  const cachedData = readIntoBuffer(codeCachePath(path), 0, 0);
  const script = new Script(source, { filename: path, cachedData });
  const module = { exports: {} };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(path), module, path, dirname(path));
  const origin = cachedData && !script.cachedDataRejected ? 'bundle, code cache' : 'bundle';
  return { exports: module.exports as T, origin, script };
}

/**
 * {@link runVendorBundle} for a bundle the build makes of feedwright's own compiled modules (the CLI,
 * the extraction thread), unless it is missing or older than `madeFrom`, a module the compiler writes
 * on every build (the TypeScript was compiled again without `npm run build`, which bundles after
 * compiling): undefined then, and the caller runs the modules, which are what was built last.
 */
export function runBuiltBundle<T>(path: string, madeFrom: string): RunBundle<T> | undefined {
  const built = statSync(path, { throwIfNoEntry: false })?.mtimeMs;
  if (built === undefined) return undefined;
  const compiled = statSync(madeFrom, { throwIfNoEntry: false })?.mtimeMs;
  if (compiled !== undefined && compiled > built) return undefined;
  return runVendorBundle<T>(path);
}

/**
 * Writes V8's code cache of a bundle that has run in this process (after `warmUp`, so the functions
 * it ran are in the cache too) beside it. The build runs this in a fresh `node` with the CLI's flags.
 */
export function writeVendorCodeCache(path: string, run: RunBundle<unknown>): void {
  writeFileSync(codeCachePath(path), run.script.createCachedData());
}

// --- Internal helpers ---

function codeCachePath(bundle: string): string {
  return `${bundle}.v8-cache`;
}

/**
 * The bundle's text inside the function wrapper Node gives a CommonJS module, opening on the source's
 * first line so line numbers in stack traces are the file's. The wrapper and the file are read into
 * one buffer and decoded once: wrapping the decoded text in a template made a string V8 flattened
 * into a second 2.8 MB copy to compile it.
 *
 * The build makes each bundle ASCII only (scripts/ascii-bundle.ts): read as latin1 it becomes a
 * one-byte string without a UTF-8 decode, 22-23 ms instead of 41-43 for the 2.8 MB CLI bundle on a
 * 2.1 GHz machine. A bundle that is not ASCII (written by an older build) is UTF-8.
 */
function readWrappedSource(path: string): string | undefined {
  const bytes = readIntoBuffer(path, WRAPPER_HEAD.length, WRAPPER_TAIL.length);
  if (bytes === undefined) return undefined;
  bytes.write(WRAPPER_HEAD, 0, 'latin1');
  bytes.write(WRAPPER_TAIL, bytes.length - WRAPPER_TAIL.length, 'latin1');
  const file = bytes.subarray(WRAPPER_HEAD.length, bytes.length - WRAPPER_TAIL.length);
  return bytes.toString(isAscii(file) ? 'latin1' : 'utf8');
}

const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {';
const WRAPPER_TAIL = '\n})';

/**
 * The file at `path` read into a buffer this module reuses, after `head` bytes left free and with
 * `tail` bytes free after it; undefined when there is no such file. The view is only valid until the
 * next read.
 *
 * - Why one buffer: a start-up reads two to three bundles and their code caches, up to 10 MB. Each
 *   read into a buffer of its own touched fresh memory, and a page fault costs ~12 µs of CPU on these
 *   virtual machines (~2,500 of them for a redis:// worker's bundles); reading all of them into one
 *   buffer, the size of the largest, saved 18 ms of CPU over the three bundles in a bare process.
 * - The buffer is dropped a second after the last read (a start-up's reads come within that), so a
 *   long-running worker does not keep its megabytes.
 */
function readIntoBuffer(path: string, head: number, tail: number): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    const needed = head + size + tail;
    if (readBuffer === undefined || readBuffer.length < needed) readBuffer = Buffer.allocUnsafeSlow(needed);
    let read = 0;
    while (read < size) {
      const count = readSync(fd, readBuffer, head + read, size - read, read);
      if (count === 0) break;
      read += count;
    }
    releaseReadBufferLater();
    return readBuffer.subarray(0, head + read + tail);
  } finally {
    closeSync(fd);
  }
}

let readBuffer: Buffer | undefined;
let releaseTimer: NodeJS.Timeout | undefined;

function releaseReadBufferLater(): void {
  if (releaseTimer) releaseTimer.refresh();
  else
    releaseTimer = setTimeout(() => {
      readBuffer = undefined;
      releaseTimer = undefined;
    }, 1_000).unref();
}
