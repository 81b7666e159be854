/**
 * Once per `vitest run`: transpiles src/ to plain JavaScript in `.test-dist/` (esbuild, one file per
 * file, ~0.5 s) for the end-to-end tests' CLI children. A child then starts in about half the time it
 * takes through tsx (which transpiles every module again in every child); the suite spawns the CLI
 * some hundred times. Type checking stays with `tsc --noEmit` in `npm test`. The vendor libraries
 * and the CLI itself are bundled beside it as `npm run build` bundles them into dist/, so the CLI
 * children run the one-file CLI (cli/feedwright.cjs) and load the libraries as the compiled CLI does.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { TestProject } from 'vitest/node';
import { bundleCli } from '../scripts/bundle-cli.js';
import { bundleVendorLibraries } from '../scripts/bundle-vendor-libraries.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** One level below the root, like dist/, so src/defaults/version.ts finds ../../package.json. */
const OUT = join(ROOT, '.test-dist');

export default async function setup(project: TestProject): Promise<void> {
  rmSync(OUT, { recursive: true, force: true });
  await build({
    entryPoints: listSources(join(ROOT, 'src')),
    outdir: OUT,
    outbase: join(ROOT, 'src'),
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'warning',
  });
  await bundleVendorLibraries(OUT);
  await bundleCli(OUT);
  project.provide('testCli', join(OUT, 'cli', 'bin.js'));
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The transpiled CLI entry (`.test-dist/cli/bin.js`). */
    testCli: string;
  }
}

// --- Internal helpers ---

function listSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}
