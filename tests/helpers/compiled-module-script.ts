/**
 * Runs an ES module script in a fresh `node` with the V8 flags the CLI sets for itself, for tests of
 * compiled code (.test-dist/, built as dist/ is by tests/global-setup.ts): V8 accepts the vendor
 * bundles' code caches only under the flags they were made with. Returns the JSON the script prints.
 */
import { execFileSync, spawnSync } from 'node:child_process';
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

/**
 * The same for a script that starts worker threads, which refuse V8 flags given on the command line:
 * the flags are set by the script's first lines, as bin/feedwright.js sets them. Its lines must load
 * compiled modules with `await import()`: static imports are evaluated before those lines run, so
 * what they compile would miss the flags (runCompiledScript sets them on the command line for that).
 * Returns the JSON it printed and what it wrote to stderr; throws when it exits other than 0.
 */
export function runCompiledThreadsScript(lines: string[]): { printed: unknown; stderr: string } {
  const script = [
    `import { setFlagsFromString } from 'node:v8';`,
    `for (const flag of ${JSON.stringify(CLI_V8_FLAGS)}) setFlagsFromString(flag);`,
    ...lines,
  ].join('\n');
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the script exited with ${run.status}: ${run.stderr}`);
  return { printed: JSON.parse(run.stdout) as unknown, stderr: run.stderr };
}
