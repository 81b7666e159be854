/**
 * Bundles third-party libraries into one CommonJS file each under `<outDir>/vendor/`, which their
 * loaders run in place of the packages when the file is there (src/vendor/vendor-bundle.ts;
 * compiled code: `npm run build` writes them into dist/, the test setup into .test-dist/):
 * - `redis-libraries.cjs`: BullMQ and @keyv/redis, with node-redis and their other dependencies
 *   (src/store/redis-library.ts). A redis:// worker loads both to start, some 600 CommonJS files; a
 *   bare process `require`s them in 240 ms of CPU from node_modules, 130 ms from the bundle. The
 *   bundle's node-redis builds its client classes in linear time (scripts/redis-commander-patch.ts).
 * - `zod.cjs`: zod (src/config/zod-library.ts), 99 files with its 60 locales, which every zod entry
 *   loads; ~60 ms of CPU to import, ~20 ms from the bundle and its code cache.
 *
 * Not minified, so a stack trace through the libraries stays readable; their licence comments are
 * kept. msgpackr-extract (BullMQ's optional native MessagePack addon) stays outside: it finds its
 * prebuilt binary from its own folder. Then a fresh `node`, with the V8 flags the CLI sets for itself
 * (V8 rejects a cache made under other flags), loads each bundle through its compiled loader in
 * `outDir` and writes V8's code cache of it beside it (`.v8-cache`), so this must run after the
 * TypeScript is compiled into `outDir`. zod's cache is written after a config has been checked, so
 * it also holds the functions checking one runs.
 *
 * Run: `tsx scripts/bundle-vendor-libraries.ts [outDir]` (default dist/), as `npm run build` does.
 */
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { writeAsciiOnly } from './ascii-bundle.js';
import { redisCommanderPatchPlugin } from './redis-commander-patch.js';
import { CLI_V8_FLAGS } from '../bin/v8-flags.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Writes the bundles into `<outDir>/vendor/` and their code caches. */
export async function bundleVendorLibraries(outDir: string): Promise<void> {
  await Promise.all([
    bundle(
      outDir,
      'redis-libraries',
      "module.exports = { bullmq: require('bullmq'), keyvRedis: require('@keyv/redis') };",
    ),
    bundle(outDir, 'zod', "module.exports = require('zod');"),
  ]);
  const module = (path: string) => JSON.stringify(pathToFileURL(join(outDir, path)).href);
  writeCodeCache(
    'redis-libraries',
    `import { writeRedisBundleCodeCache } from ${module('store/redis-library.js')}; if (!writeRedisBundleCodeCache()) process.exit(3);`,
  );
  writeCodeCache(
    'zod',
    [
      `import { parseConfigText } from ${module('config/index.js')};`,
      `import { writeZodBundleCodeCache } from ${module('config/zod-library.js')};`,
      `parseConfigText(${JSON.stringify(SAMPLE_CONFIG)}, 'feedwright.yaml');`,
      'if (!writeZodBundleCodeCache()) process.exit(3);',
    ].join('\n'),
  );
}

// --- Internal helpers ---

/** A config touching most of the schema, checked before zod's code cache is written. */
const SAMPLE_CONFIG = [
  'site:',
  '  title: Build',
  '  url: http://127.0.0.1:8080/',
  'defaults:',
  '  timezone: Asia/Shanghai',
  '  minDelay: 1s',
  'sources:',
  '  - id: list',
  '    url: http://127.0.0.1:8080/news/',
  '    items: ul.list li',
  '    title: a',
  '    link: a@href',
  '    date: span.date',
  '  - id: auto',
  '    url: http://127.0.0.1:8080/notices/',
  '',
].join('\n');

async function bundle(outDir: string, name: string, entry: string): Promise<void> {
  await build({
    stdin: { contents: entry, resolveDir: ROOT, sourcefile: `${name}-entry.cjs`, loader: 'js' },
    outfile: join(outDir, 'vendor', `${name}.cjs`),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['msgpackr-extract'],
    logLevel: 'warning',
    plugins: [redisCommanderPatchPlugin((message) => console.warn(`bundle ${name}: ${message}`))],
  });
  writeAsciiOnly(join(outDir, 'vendor', `${name}.cjs`));
}

function writeCodeCache(name: string, script: string): void {
  const cache = spawnSync(process.execPath, [...CLI_V8_FLAGS, '--input-type=module', '-e', script], {
    stdio: 'inherit',
  });
  if (cache.status !== 0) throw new Error(`could not write the code cache of vendor/${name}.cjs`);
}

if (process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url))
  await bundleVendorLibraries(resolve(ROOT, process.argv[2] ?? 'dist'));
