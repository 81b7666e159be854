/**
 * `npm run demo`: serves the bundled demo site on 127.0.0.1, runs feedwright over config/demo.yaml
 * against it, prints where the feeds are, and stops.
 */
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runCommand } from '../src/cli/run-command.js';
import { printFatalError } from '../src/cli/print-problems.js';
import { startDemoSite } from './demo-site.js';

const DEMO_PORT = 48931;
const CONFIG = 'config/demo.yaml';

const site = await startDemoSite(DEMO_PORT).catch((error: unknown) => {
  process.stderr.write(
    `demo: cannot listen on 127.0.0.1:${DEMO_PORT} (${(error as Error).message}); is another demo still running?\n`,
  );
  process.exit(1);
});
process.stdout.write(`Demo site serving on ${site.origin}/ (ywdt/, hbt/tzgg/, tw/news/, feed.xml)\n\n`);
let code: number;
try {
  code = await runCommand({ config: CONFIG, source: [], logLevel: 'warn' });
} catch (error) {
  code = printFatalError(error);
} finally {
  await site.close();
}
const outputDir = resolve('output/demo');
const files = (await readdir(outputDir).catch(() => [] as string[])).filter((name) => !name.startsWith('.')).sort();
process.stdout.write(`\nFeeds written to ${outputDir}:\n${files.map((name) => `  ${name}`).join('\n')}\n`);
process.stdout.write(
  `\nOpen ${resolve(outputDir, 'index.html')} in a browser, or serve them: npx feedwright serve -c ${CONFIG}\n`,
);
process.stdout.write('Run `npm run demo` again: the second pass finds the same items and announces nothing new.\n');
process.exitCode = code;
