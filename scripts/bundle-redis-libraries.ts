/**
 * Bundles BullMQ and @keyv/redis (with node-redis and their other dependencies) into one CommonJS
 * file, `<outDir>/vendor/redis-libraries.cjs`, which src/store/redis-library.ts loads in place of the
 * packages when it is there (compiled code: `npm run build` writes it into dist/; the test setup
 * into .test-dist/).
 *
 * Why: a redis:// worker loads both libraries to start, some 400 CommonJS files. Node resolves, reads
 * and wraps each one; from one file the same code loads in about half the CPU (bench on this
 * machine, `require` of both in a bare process: 240 ms from node_modules, 130 ms from the bundle,
 * node alone 50 ms). That is what keeps a worker's start-up under its 0.5 s CPU budget.
 *
 * Not minified, so a stack trace through the libraries stays readable; their licence comments are
 * kept. msgpackr-extract (BullMQ's optional native MessagePack addon) stays outside: it finds its
 * prebuilt binary from its own folder. Then a fresh `node`, with the V8 flags the CLI sets for itself
 * (V8 rejects a cache made under other flags), loads the bundle through the compiled redis-library.js
 * in `outDir` and writes V8's code cache of it beside it (`.v8-cache`), so this must run after the
 * TypeScript is compiled into `outDir`.
 *
 * Run: `tsx scripts/bundle-redis-libraries.ts [outDir]` (default dist/), as `npm run build` does.
 */
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { CLI_V8_FLAGS } from '../bin/v8-flags.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The bundle's path relative to the output folder (dist/ or .test-dist/). */
export const REDIS_LIBRARIES_BUNDLE = join('vendor', 'redis-libraries.cjs');

/** Writes `<outDir>/vendor/redis-libraries.cjs`, exporting `{ bullmq, keyvRedis }`, and its code cache. */
export async function bundleRedisLibraries(outDir: string): Promise<void> {
  await build({
    stdin: {
      contents: "module.exports = { bullmq: require('bullmq'), keyvRedis: require('@keyv/redis') };",
      resolveDir: ROOT,
      sourcefile: 'redis-libraries-entry.cjs',
      loader: 'js',
    },
    outfile: join(outDir, REDIS_LIBRARIES_BUNDLE),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['msgpackr-extract'],
    logLevel: 'warning',
  });
  const loader = pathToFileURL(join(outDir, 'store', 'redis-library.js')).href;
  const cache = spawnSync(
    process.execPath,
    [
      ...CLI_V8_FLAGS,
      '--input-type=module',
      '-e',
      `import { writeRedisBundleCodeCache } from ${JSON.stringify(loader)}; if (!writeRedisBundleCodeCache()) process.exit(3);`,
    ],
    { stdio: 'inherit' },
  );
  if (cache.status !== 0) throw new Error(`could not write the code cache of ${join(outDir, REDIS_LIBRARIES_BUNDLE)}`);
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url))
  await bundleRedisLibraries(resolve(ROOT, process.argv[2] ?? 'dist'));
