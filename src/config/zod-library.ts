/**
 * zod, as the config schema uses it. Compiled code runs it from the one-file bundle the build writes
 * beside it (`vendor/zod.cjs`, see src/vendor/vendor-bundle.ts), compiled from its V8 code cache:
 * every zod entry point loads all of zod's 60 locales, 99 files that cost a fresh process about
 * 60 ms of CPU to import, against about 20 ms for the bundle from its cache. Every command that
 * reads a config pays this (`check`, `run`, a worker's start-up). Run from src/ (tsx, vitest), zod
 * loads from node_modules.
 */
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { runVendorBundle, writeVendorCodeCache, type BundleOrigin, type RunBundle } from '../vendor/vendor-bundle.js';

/** Where the build writes the bundle, relative to this module (dist/config/ → dist/vendor/). */
const BUNDLE = fileURLToPath(new URL('../vendor/zod.cjs', import.meta.url));
let bundle: RunBundle<typeof import('zod')> | undefined;
let origin: BundleOrigin | 'node_modules';

/** zod's `z` namespace. */
export const zod: typeof z = loadZod();

/** Where zod was loaded from: for tests and diagnostics. */
export function zodLibraryOrigin(): BundleOrigin | 'node_modules' {
  return origin;
}

/**
 * Writes V8's code cache of the bundle beside it, with the functions this process has run so far
 * (the build builds the config schema and checks a config first). Returns false when zod did not
 * come from the bundle.
 */
export function writeZodBundleCodeCache(): boolean {
  if (!bundle) return false;
  writeVendorCodeCache(BUNDLE, bundle);
  return true;
}

// --- Internal helpers ---

function loadZod(): typeof z {
  bundle = runVendorBundle<typeof import('zod')>(BUNDLE);
  if (bundle) {
    origin = bundle.origin;
    return bundle.exports.z;
  }
  origin = 'node_modules';
  return (createRequire(import.meta.url)('zod') as typeof import('zod')).z;
}
