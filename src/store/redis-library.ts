/**
 * The Redis libraries (BullMQ, and @keyv/redis over node-redis), loaded on first use with require(),
 * and the one way feedwright creates its Redis connections.
 *
 * - From one bundled file when it is there (src/vendor/vendor-bundle.ts): compiled code finds
 *   `vendor/redis-libraries.cjs` beside it (written by `npm run build`,
 *   scripts/bundle-vendor-libraries.ts). Some 600 CommonJS files as one load in about half the CPU
 *   (130 ms instead of 240 in a bare process): a redis:// worker's start-up budget. Run from src/
 *   (tsx, vitest), the packages load from node_modules.
 * - The bundle is compiled from V8's code cache of it (`redis-libraries.cjs.v8-cache`, written by the
 *   build with {@link writeRedisBundleCodeCache}) when V8 accepts it. It saves compiling 2.8 MB and
 *   the functions its start-up runs: a bare process loading the bundle, 0.12–0.13 s of CPU without
 *   the cache, 0.09–0.10 s with it (node alone 0.05 s).
 * - require(), not import(): imported from ES modules, Node 20 first runs its CommonJS export scanner
 *   over node-redis' re-export chains (hundreds of files); `import('@keyv/redis')` with BullMQ cost
 *   ~0.32 s of CPU in a fresh process, `require` ~0.19 s. Every user in the process takes it from
 *   here, so there is one copy of the library (an ESM and a CommonJS copy would both load).
 * - One client class: node-redis' createClient builds a class carrying every Redis command (743
 *   closures, and as many for MULTI) per call, as its cache is keyed on the whole options (URL, name
 *   and socket included): from node_modules 40-100 ms of CPU per client (quadratic in V8, see
 *   scripts/redis-commander-patch.ts; ~5 ms from the bundle, whose copy the build changes), and a
 *   worker opens five (store, politeness scripts, site election, fire queue ×2). The class only
 *   depends on RESP, modules, functions and scripts, so clients without those share one class, built
 *   once: ~0.3 ms each.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { RedisClientOptions, RedisClientType } from '@keyv/redis';
import { runVendorBundle, writeVendorCodeCache, type BundleOrigin } from '../vendor/vendor-bundle.js';

/** @keyv/redis (createClient, createKeyv…), loaded on the first call. */
export function loadRedisLibrary(): typeof import('@keyv/redis') {
  return loadLibraries().keyvRedis;
}

/** BullMQ, loaded on the first call. */
export function loadBullMQ(): typeof import('bullmq') {
  return loadLibraries().bullmq;
}

/** Where the libraries were loaded from (undefined before the first load): for tests and diagnostics. */
export function redisLibraryOrigin(): BundleOrigin | 'node_modules' | undefined {
  return libraryOrigin;
}

/**
 * Loads the bundle in this process and writes V8's code cache of it beside it (the build runs this
 * in a fresh `node`, whose flags the CLI's are). Returns false when there is no bundle.
 */
export function writeRedisBundleCodeCache(): boolean {
  const run = runVendorBundle<RedisLibraries>(BUNDLE);
  if (!run) return false;
  writeVendorCodeCache(BUNDLE, run);
  return true;
}

/** A node-redis client (not connected), as `createClient(options)` makes it, sharing one command class when it can. */
export function createRedisClient(options: RedisClientOptions): RedisClientType {
  const { createClient } = loadRedisLibrary();
  if (options.RESP !== undefined || options.modules || options.functions || options.scripts)
    return createClient(options) as RedisClientType;
  sharedFactory ??= sharedClassFactory() ?? ((plain) => createClient(plain) as RedisClientType);
  return sharedFactory(options);
}

// --- Internal helpers ---

interface RedisLibraries {
  bullmq: typeof import('bullmq');
  keyvRedis: typeof import('@keyv/redis');
}

const requireModule = createRequire(import.meta.url);
/** Where the build writes the bundle, relative to this module (dist/store/ → dist/vendor/). */
const BUNDLE = fileURLToPath(new URL('../vendor/redis-libraries.cjs', import.meta.url));
let libraries: RedisLibraries | undefined;
let libraryOrigin: BundleOrigin | 'node_modules' | undefined;
let sharedFactory: ((options: RedisClientOptions) => RedisClientType) | undefined;

function loadLibraries(): RedisLibraries {
  if (libraries) return libraries;
  const run = runVendorBundle<RedisLibraries>(BUNDLE);
  libraries = run?.exports;
  libraryOrigin = run?.origin;
  if (!libraries) {
    libraries = {
      bullmq: requireModule('bullmq') as typeof import('bullmq'),
      keyvRedis: requireModule('@keyv/redis') as typeof import('@keyv/redis'),
    };
    libraryOrigin = 'node_modules';
  }
  return libraries;
}

/**
 * `RedisClient.factory({})`, reached through a client: createClient returns an object whose prototype
 * is an instance of the command class, whose constructor inherits the static factory. The class is
 * built once, by `createClient({})` (never connected); the factory call then finds it in node-redis'
 * cache, keyed on the same `{}`. Undefined (every client then built by createClient) if a node-redis
 * release changes that shape.
 */
function sharedClassFactory(): ((options: RedisClientOptions) => RedisClientType) | undefined {
  const client = loadRedisLibrary().createClient({});
  const instance = Object.getPrototypeOf(client) as object | null;
  const commandClass = instance && (Object.getPrototypeOf(instance) as { constructor?: unknown } | null)?.constructor;
  const factory = (commandClass as { factory?: unknown } | undefined)?.factory;
  if (typeof factory !== 'function') return undefined;
  const create = (factory as (config: object) => unknown).call(commandClass, {});
  return typeof create === 'function' ? (create as (options: RedisClientOptions) => RedisClientType) : undefined;
}
