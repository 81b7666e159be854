/**
 * The compiled CLI runs from its one-file bundle (cli/feedwright.cjs, built beside the modules as
 * `npm run build` builds it: tests/global-setup.ts) through its V8 code cache; every end-to-end test
 * that starts the CLI runs it. Code compiled from a code cache gets no dynamic import() from Node 20,
 * so the bundle must not contain one.
 */
import { isAscii } from 'node:buffer';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { printsOnly } from '../../../src/cli/cli-bundle.js';
import { compiledModule, runCompiledScript } from '../../helpers/compiled-module-script.js';

const TEST_DIST = dirname(dirname(inject('testCli')));

const BUNDLE = join(dirname(inject('testCli')), 'feedwright.cjs');

describe('the CLI bundle', () => {
  it('loads through its code cache, and its modules find their files as the modules do', () => {
    const result = runCompiledScript([
      `import { loadCliBundle } from ${compiledModule('cli/cli-bundle.js')};`,
      `const bundle = loadCliBundle();`,
      `console.log(JSON.stringify({ origin: bundle?.origin, exports: Object.keys(bundle?.exports ?? {}) }));`,
    ]);
    expect(result).toEqual({ origin: 'bundle, code cache', exports: ['runCli'] });
  });

  it('is ASCII only, so it is read as one-byte text', () => {
    expect(isAscii(readFileSync(BUNDLE))).toBe(true);
  });

  it('has no dynamic import() left in it (the libraries a command loads late are required)', () => {
    const source = readFileSync(BUNDLE, 'utf8');
    const dynamicImports = source.match(/(?<![\w.$])import\(\s*["'`][^"'`]+["'`]\s*\)/g) ?? [];
    expect(dynamicImports).toEqual([]);
  });

  it('rewrites import.meta.url of each module to the module file, relative to the bundle', () => {
    const source = readFileSync(BUNDLE, 'utf8');
    expect(source).not.toContain('import.meta');
    expect(source).toContain('require("node:path").join(__dirname, "../config/zod-library.js")');
  });

  it('is skipped when the command line only asks for the version or for help', () => {
    expect(printsOnly(['node', 'feedwright'])).toBe(true);
    expect(printsOnly(['node', 'feedwright', '--version'])).toBe(true);
    expect(printsOnly(['node', 'feedwright', '-V'])).toBe(true);
    expect(printsOnly(['node', 'feedwright', 'run', '-h'])).toBe(true);
    expect(printsOnly(['node', 'feedwright', 'help', 'check'])).toBe(true);
    expect(printsOnly(['node', 'feedwright', 'run', '-c', 'feedwright.yaml'])).toBe(false);
    expect(printsOnly(['node', 'feedwright', 'check'])).toBe(false);
  });

  it('is left alone when the modules were compiled after it, and said to be broken when it cannot load', () => {
    // A copy inside .test-dist, so the bundle's packages still resolve from the project's node_modules,
    // with the package.json the modules read their version from (and their module type) above it.
    const outer = mkdtempSync(join(TEST_DIST, 'stale-bundle-'));
    const copy = join(outer, 'build');
    try {
      cpSync(join(TEST_DIST, '..', 'package.json'), join(outer, 'package.json'));
      // The whole compiled tree (the modules run when the bundle cannot), without other tests' copies.
      for (const entry of readdirSync(TEST_DIST))
        if (!entry.startsWith('stale-bundle-')) cpSync(join(TEST_DIST, entry), join(copy, entry), { recursive: true });
      const origin = () =>
        runCompiledScript([
          `import { loadCliBundle } from ${JSON.stringify(pathToFileURL(join(copy, 'cli', 'cli-bundle.js')).href)};`,
          `console.log(JSON.stringify({ origin: loadCliBundle()?.origin ?? 'modules' }));`,
        ]);
      const touch = (file: string, seconds: number) => utimesSync(join(copy, 'cli', file), seconds, seconds);
      touch('main.js', 2_000_000_000);
      touch('feedwright.cjs', 1_900_000_000);
      expect(origin()).toEqual({ origin: 'modules' });
      touch('feedwright.cjs', 2_000_000_100);
      expect(origin()).toEqual({ origin: 'bundle, code cache' });
      // Half a file, as a build cut short leaves it: said on stderr, and the modules run.
      const bundle = join(copy, 'cli', 'feedwright.cjs');
      writeFileSync(bundle, readFileSync(bundle, 'utf8').slice(0, 100_000));
      touch('feedwright.cjs', 2_000_000_200);
      const cli = spawnSync(process.execPath, [join(copy, 'cli', 'bin.js'), 'schema'], { encoding: 'utf8' });
      expect(cli.status).toBe(0);
      expect(JSON.parse(cli.stdout)).toMatchObject({ type: 'object' });
      expect(cli.stderr).toContain(`feedwright: cannot load ${bundle} (`);
      expect(cli.stderr).toContain('running the compiled modules instead. `npm run build` writes it again.');
      // Asking only for the version or for help does not load the bundle at all.
      for (const args of [['--version'], ['run', '--help'], ['help', 'check']]) {
        const printed = spawnSync(process.execPath, [join(copy, 'cli', 'bin.js'), ...args], { encoding: 'utf8' });
        expect(printed.stderr).not.toContain('cannot load');
        expect(printed.stdout).toMatch(args[0] === '--version' ? /^\d+\.\d+\.\d+/ : /^Usage: feedwright/);
      }
    } finally {
      rmSync(outer, { recursive: true, force: true });
    }
  });
});
