/**
 * The compiled CLI runs from its one-file bundle (cli/feedwright.cjs, built beside the modules as
 * `npm run build` builds it: tests/global-setup.ts) through its V8 code cache; every end-to-end test
 * that starts the CLI runs it. Code compiled from a code cache gets no dynamic import() from Node 20,
 * so the bundle must not contain one.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { compiledModule, runCompiledScript } from '../../helpers/compiled-module-script.js';

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
});
