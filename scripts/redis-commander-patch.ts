/**
 * A build-time change to node-redis' `attachConfig` (@redis/client/dist/lib/commander.js), made only
 * in the bundle the build writes (scripts/bundle-vendor-libraries.ts): the command class's prototype
 * is switched to a dictionary before node-redis adds its commands to it. Nothing else changes.
 *
 * - Why: `attachConfig` builds each client class by assigning every Redis command (743 in 5.12) to a
 *   fresh `class extends BaseClass {}` prototype, one by one. V8 keeps a class prototype's properties
 *   in fast mode however many there are, and a prototype's map is never shared, so each addition copies
 *   the whole descriptor array: quadratic, ~280,000 descriptor copies per class. A redis:// worker
 *   builds two classes (the client's and its MULTI's): 40-100 ms of CPU each in a bare process with
 *   the scavenges of the copies. With the prototype a dictionary first, each addition is a hash
 *   insert: ~5 ms a class (client creation in a bare process: 100-110 ms before, 5 ms after).
 * - How: deleting a property that is not the last one added makes V8 turn an object into a
 *   dictionary. V8 turns a prototype back into fast mode in one step (linear) the first time a
 *   property lookup goes through it, so method calls on clients are as fast as before.
 * - If a node-redis release changes the line this looks for, the bundle is written unchanged (a note
 *   on the build's output) and redis:// start-up is just slower; the test
 *   (tests/unit/store/redis-commander-patch.test.ts) checks that the installed release matches.
 */
import { readFile } from 'node:fs/promises';
import type { Plugin } from 'esbuild';

/** The file of @redis/client this changes. */
const COMMANDER = /[\\/]@redis[\\/]client[\\/]dist[\\/]lib[\\/]commander\.js$/;
/** The class `attachConfig` builds, declared with the RESP version it reads first. */
const CLASS_DECLARATION = /\bClass = class extends BaseClass \{\s*\};/;

const DICTIONARY_PROTOTYPE = [
  '',
  '// feedwright build (scripts/redis-commander-patch.ts): the prototype as a dictionary while commands',
  '// are added to it (linear instead of quadratic); V8 makes it fast again on its first use.',
  'function feedwrightDictionaryPrototype(prototype) {',
  '    prototype.__feedwrightFirst = undefined;',
  '    prototype.__feedwrightSecond = undefined;',
  '    delete prototype.__feedwrightFirst;',
  '    delete prototype.__feedwrightSecond;',
  '}',
  '',
].join('\n');

/**
 * commander.js's source with the change made, or undefined when `attachConfig` no longer declares
 * its class as this expects.
 */
export function patchRedisCommander(source: string): string | undefined {
  if (!CLASS_DECLARATION.test(source)) return undefined;
  return (
    source.replace(
      CLASS_DECLARATION,
      (declaration) => `${declaration}\n    feedwrightDictionaryPrototype(Class.prototype);`,
    ) + DICTIONARY_PROTOTYPE
  );
}

/** An esbuild plugin making the change in the bundle; `warn` hears when it could not be made. */
export function redisCommanderPatchPlugin(warn: (message: string) => void): Plugin {
  return {
    name: 'feedwright-redis-commander',
    setup(build) {
      build.onLoad({ filter: COMMANDER }, async ({ path }) => {
        const source = await readFile(path, 'utf8');
        const patched = patchRedisCommander(source);
        if (patched === undefined)
          warn(
            `${path}: attachConfig no longer declares "Class = class extends BaseClass {}"; ` +
              'bundled unchanged (node-redis client classes build in quadratic time)',
          );
        return { contents: patched ?? source, loader: 'js' };
      });
    },
  };
}
