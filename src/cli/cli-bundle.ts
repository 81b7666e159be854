/**
 * The CLI as one file: the build bundles the compiled CLI, with the libraries it imports, into
 * `cli/feedwright.cjs` beside this module (scripts/bundle-cli.ts) and writes V8's code cache of it,
 * made after a `run` over sample pages, so it holds the functions a run compiles, not only the
 * bundle's top level. The executable runs the bundle when it is there (see bin.ts), through
 * src/vendor/vendor-bundle.ts as the vendor bundles are run.
 *
 * Why: Node 20 has no compile cache for ES modules. A fresh process resolved, read, compiled and
 * linked some 500 modules and then compiled each function the first time it ran: a cold `run` of the
 * 200 peer pages took 1,352-1,368 ms of CPU from the modules, 1,219-1,257 ms from the bundle and its
 * cache (3 interleaved runs each), and `check` of 200 sources 140 → 120 ms of wall time.
 *
 * What stays outside: the packages a command loads only when it needs them (the browser, the pool,
 * the Redis libraries, feed parsing, detail summaries, Chinese conversion) and better-sqlite3, a
 * native addon. The extraction threads run a bundle of their own (src/pipeline/extract-worker-bundle.ts).
 */
import { fileURLToPath } from 'node:url';
import { runBuiltBundle, writeVendorCodeCache, type RunBundle } from '../vendor/vendor-bundle.js';

/** What the bundle exports (its entry is run-cli.ts). */
export interface CliBundle {
  runCli(argv: string[]): Promise<void>;
}

/**
 * The bundle beside this module, run (its top level only: nothing of the program starts); undefined
 * when there is none, or when it is older than the compiled modules (the TypeScript was compiled again
 * without `npm run build`, which bundles after compiling): the modules are then what was built last.
 */
export function loadCliBundle(): RunBundle<CliBundle> | undefined {
  return runBuiltBundle<CliBundle>(BUNDLE, MAIN_MODULE);
}

/**
 * Runs the program on `argv` from the bundle; false when there is none, or when `argv` only asks for
 * the version or for help (see printsOnly): the caller runs the modules.
 * A bundle that cannot be loaded (a build cut short leaves half a file) is reported on stderr and
 * the modules run instead: they were compiled before it was written.
 */
export async function runBundledCli(argv: string[]): Promise<boolean> {
  if (printsOnly(argv)) return false;
  let bundle: RunBundle<CliBundle> | undefined;
  try {
    bundle = loadCliBundle();
  } catch (error) {
    process.stderr.write(
      `feedwright: cannot load ${BUNDLE} (${(error as Error).message}); running the compiled modules instead. ` +
        '`npm run build` writes it again.\n',
    );
    return false;
  }
  if (!bundle) return false;
  await bundle.exports.runCli(argv);
  return true;
}

/** Writes V8's code cache of a bundle that has run in this process (the build runs sample pages first). */
export function writeCliBundleCodeCache(bundle: RunBundle<CliBundle>): void {
  writeVendorCodeCache(BUNDLE, bundle);
}

/**
 * Whether the command line only asks for the version or for help (no arguments prints the help too).
 * Such a process runs no command: loading the bundle would cost it more than it saves. Reading the
 * 2.8 MB bundle and deserializing its 1.5 MB code cache is paid whole before `--version` prints,
 * where the modules path loads commander and four small modules: on a 2.1 GHz machine (`node -e 0`
 * 130-150 ms), `--version` took 336 ms through the bundle and 169 ms through the modules (hyperfine,
 * 15 runs each), with 8,630 page faults instead of 3,134.
 */
export function printsOnly(argv: readonly string[]): boolean {
  const args = argv.slice(2);
  if (args.length === 0 || args[0] === 'help') return true;
  return args.some((arg) => PRINT_ONLY_OPTIONS.has(arg));
}

// --- Internal helpers ---

/** Options that make commander print and exit before any command runs. */
const PRINT_ONLY_OPTIONS = new Set(['--version', '-V', '--help', '-h']);

/** Where the build writes the bundle: beside this module (dist/cli/). */
const BUNDLE = fileURLToPath(new URL('./feedwright.cjs', import.meta.url));
/** A module the compiler writes on every build, as it writes them all. */
const MAIN_MODULE = fileURLToPath(new URL('./main.js', import.meta.url));
