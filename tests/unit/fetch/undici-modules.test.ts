/**
 * The fetch stage loads undici's Agent and header parser from their own modules instead of undici's
 * index (which loads all of undici): they must be the very classes the index exports, and loading
 * them must not load the index.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as undici from 'undici';
import { describe, expect, it } from 'vitest';
import { parseUndiciHeaders, undiciAgent, undiciEnvHttpProxyAgent } from '../../../src/fetch/undici-modules.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

describe('undici modules', () => {
  it('are the classes and parser undici exports', () => {
    expect(undiciAgent()).toBe(undici.Agent);
    expect(undiciEnvHttpProxyAgent()).toBe(undici.EnvHttpProxyAgent);
    expect(parseUndiciHeaders([Buffer.from('Content-Type'), Buffer.from('text/html')])).toEqual({
      'content-type': 'text/html',
    });
  });

  it('load without undici index (a fresh process)', () => {
    const script = [
      "import { createRequire } from 'node:module';",
      "import { undiciAgent, parseUndiciHeaders } from './src/fetch/undici-modules.ts';",
      'undiciAgent(); parseUndiciHeaders([]);',
      'const loaded = Object.keys(createRequire(import.meta.url).cache);',
      "process.stdout.write(JSON.stringify(loaded.filter((file) => file.includes('/node_modules/undici/'))));",
    ].join('\n');
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    const loaded = JSON.parse(result.stdout) as string[];
    expect(loaded.some((file) => file.endsWith('/lib/dispatcher/agent.js'))).toBe(true);
    expect(loaded.some((file) => file.endsWith('/node_modules/undici/index.js'))).toBe(false);
    expect(loaded.length).toBeLessThan(40);
  });
});
