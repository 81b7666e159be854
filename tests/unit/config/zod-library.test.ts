/**
 * Compiled code loads zod from the one-file bundle the build writes beside it (vendor/zod.cjs),
 * through its V8 code cache, and never from node_modules; the config checks work the same from it.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { CLI_V8_FLAGS } from '../../../bin/v8-flags.js';

describe('zod in compiled code', () => {
  it('loads from the bundle beside it through its code cache, not from node_modules, and checks configs', () => {
    // .test-dist/ is compiled and bundled as dist/ is (tests/global-setup.ts).
    const config = join(dirname(dirname(inject('testCli'))), 'config');
    const url = (file: string) => JSON.stringify(pathToFileURL(join(config, file)).href);
    const script = [
      `import { createRequire } from 'node:module';`,
      `import { parseConfigText } from ${url('index.js')};`,
      `import { zodLibraryOrigin } from ${url('zod-library.js')};`,
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
    ].join('\n');
    // With the V8 flags the CLI sets for itself: V8 accepts the code cache only under the flags it was made with.
    const output = execFileSync(process.execPath, [...CLI_V8_FLAGS, '--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({
      origin: 'bundle, code cache',
      fromPackage: 0,
      sources: ['a'],
      problem: { line: 3, field: 'sources[0].url' },
    });
  });
});
