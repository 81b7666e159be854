/**
 * Builds dist/ as `npm run build` does (tsc, the vendor bundles, the CLI's bundle), for the benchmarks
 * that time the compiled CLI.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../scripts/bundle-cli.js';
import { bundleVendorLibraries } from '../scripts/bundle-vendor-libraries.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Compiles src/ into dist/ and writes the Redis bundle; throws, naming the bench, when the build fails. */
export async function buildDist(bench: string): Promise<void> {
  const build = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
    { cwd: ROOT, stdio: 'inherit' },
  );
  if (build.status !== 0) throw new Error(`${bench} bench: \`tsc -p tsconfig.build.json\` failed; fix the build first`);
  await bundleVendorLibraries(join(ROOT, 'dist'));
  await bundleCli(join(ROOT, 'dist'));
}
