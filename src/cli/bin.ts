/**
 * The `feedwright` executable's entry: the program from the one-file bundle the build writes beside
 * this module (see cli-bundle.ts), or from its modules when there is none (a checkout run through tsx).
 */
import { runBundledCli } from './cli-bundle.js';

if (!(await runBundledCli(process.argv))) await (await import('./run-cli.js')).runCli(process.argv);
