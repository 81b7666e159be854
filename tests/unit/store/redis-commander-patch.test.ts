/**
 * The build changes node-redis' attachConfig in the Redis bundle (scripts/redis-commander-patch.ts)
 * so a command class's prototype is a dictionary while its 743 commands are added (linear, not
 * quadratic). The installed release must still have the line the change looks for, and the class it
 * builds must be the same class: the same commands, nothing extra, methods that work, and a prototype
 * V8 turns back into fast mode on its first use. V8's object modes are read with
 * `--allow-natives-syntax` in a child process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { patchRedisCommander } from '../../../scripts/redis-commander-patch.js';

const requireFromRoot = createRequire(import.meta.url);
const COMMANDER = requireFromRoot.resolve('@redis/client/dist/lib/commander.js');
const COMMANDS = requireFromRoot.resolve('@redis/client/dist/lib/commands/index.js');
const dir = mkdtempSync(join(tmpdir(), 'feedwright-redis-commander-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('patchRedisCommander', () => {
  it('finds the class declaration in the installed @redis/client (else the build bundles it unchanged)', () => {
    const source = readFileSync(COMMANDER, 'utf8');
    const patched = patchRedisCommander(source);
    expect(patched).toBeDefined();
    expect(patched).toContain('feedwrightDictionaryPrototype(Class.prototype);');
    expect(patched?.startsWith(source.slice(0, source.indexOf('Class = class')))).toBe(true);
  });

  it('leaves a source without that declaration alone', () => {
    expect(patchRedisCommander('function attachConfig() { const Class = makeClass(); }')).toBeUndefined();
  });

  it('builds the same class, as a dictionary while commands are added and fast once it is used', () => {
    const original = inspectClass(readFileSync(COMMANDER, 'utf8'), 'original');
    const patched = inspectClass(patchRedisCommander(readFileSync(COMMANDER, 'utf8')) ?? '', 'patched');
    expect(original.names.length).toBeGreaterThan(500);
    expect(patched.names).toEqual(original.names);
    expect(patched.names.some((name) => name.startsWith('__feedwright'))).toBe(false);
    expect(patched.call).toEqual(original.call);
    expect(original.fastBeforeUse).toBe(true); // what made building it quadratic
    expect(patched.fastBeforeUse).toBe(false);
    expect(patched.fastAfterUse).toBe(true);
  });
});

// --- Internal helpers ---

interface ClassReport {
  names: string[];
  call: unknown;
  fastBeforeUse: boolean;
  fastAfterUse: boolean;
}

/** Loads `source` as commander.js in a child node and reports on the client class attachConfig builds from it. */
function inspectClass(source: string, name: string): ClassReport {
  const file = join(dir, `${name}.cjs`);
  writeFileSync(file, source);
  const script = [
    `const { attachConfig } = require(${JSON.stringify(file)});`,
    `const commands = require(${JSON.stringify(COMMANDS)}).default;`,
    'class Base { ping() { return "base"; } }',
    'const Class = attachConfig({',
    '  BaseClass: Base, commands,',
    '  createCommand: (command, resp) => function () { return [typeof command.parseCommand, resp, this instanceof Base]; },',
    '  config: {},',
    '});',
    'const fastBeforeUse = %HasFastProperties(Class.prototype);',
    'const client = new Class();',
    // V8 gives a function inline caches after a few calls; a cache seeing the prototype makes it fast.
    'const use = (c) => [c.get(), c.GET(), c.ping()];',
    'let call;',
    'for (let i = 0; i < 20; i += 1) call = use(client);',
    'console.log(JSON.stringify({',
    '  names: Object.getOwnPropertyNames(Class.prototype).sort(),',
    '  call, fastBeforeUse, fastAfterUse: %HasFastProperties(Class.prototype),',
    '}));',
  ].join('\n');
  const output = execFileSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' });
  return JSON.parse(output) as ClassReport;
}
