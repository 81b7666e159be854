/**
 * Compiled code loads zod from the one-file bundle the build writes beside it (vendor/zod.cjs),
 * through its V8 code cache, and never from node_modules; the config checks work the same from it.
 */
import { describe, expect, it } from 'vitest';
import { compiledModule, runCompiledScript } from '../../helpers/compiled-module-script.js';

describe('zod in compiled code', () => {
  it('loads from the bundle beside it through its code cache, not from node_modules, and checks configs', () => {
    const result = runCompiledScript([
      `import { createRequire } from 'node:module';`,
      `import { parseConfigText } from ${compiledModule('config/index.js')};`,
      `import { zodLibraryOrigin } from ${compiledModule('config/zod-library.js')};`,
      `const good = parseConfigText('sources:\\n  - id: a\\n    url: http://127.0.0.1:8080/\\n', 'good.yaml');`,
      `let problem;`,
      `try { parseConfigText('sources:\\n  - id: a\\n    url: 12\\n', 'bad.yaml'); } catch (error) { problem = error.problems[0]; }`,
      `const files = Object.keys(createRequire(import.meta.url).cache);`,
      `console.log(JSON.stringify({`,
      `  origin: zodLibraryOrigin(),`,
      `  fromPackage: files.filter((file) => /node_modules[\\/]zod[\\/]/.test(file)).length,`,
      `  sources: good.config.sources.map((source) => source.id),`,
      `  problem: problem && { line: problem.line, field: problem.field },`,
      `}));`,
    ]);
    expect(result).toEqual({
      origin: 'bundle, code cache',
      fromPackage: 0,
      sources: ['a'],
      problem: { line: 3, field: 'sources[0].url' },
    });
  });
});
