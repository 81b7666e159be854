/**
 * Runs an ES module script in a fresh `node` with the V8 flags the CLI sets for itself, for tests of
 * compiled code (.test-dist/, built as dist/ is by tests/global-setup.ts): V8 accepts the vendor
 * bundles' code caches only under the flags they were made with. Returns the JSON the script prints.
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import { CLI_V8_FLAGS } from '../../bin/v8-flags.js';

/** The file URL (as a JavaScript string literal) of a compiled module, by its path under src/. */
export function compiledModule(pathUnderSrc: string): string {
  return JSON.stringify(pathToFileURL(join(dirname(dirname(inject('testCli'))), pathUnderSrc)).href);
}

/** Runs the script's lines as one ES module and parses what it printed as JSON. */
export function runCompiledScript(lines: string[]): unknown {
  const output = execFileSync(process.execPath, [...CLI_V8_FLAGS, '--input-type=module', '-e', lines.join('\n')], {
    encoding: 'utf8',
  });
  return JSON.parse(output) as unknown;
}
