/**
 * The `feedwright` command line: parses arguments and dispatches to one file per command.
 * Each command's module is imported only when that command runs, so `--version`, `--help` and
 * `check` do not load the fetcher, the store, the extractors or the feed renderers.
 */
import { Command, CommanderError, Option } from 'commander';
import { LOG_LEVELS } from '../log-levels.js';
import { VERSION } from '../defaults/version.js';

const DEFAULT_CONFIG = 'config/feedwright.yaml';

/** Builds the program with every command. */
export function buildProgram(): Command {
  const program = new Command('feedwright')
    .description('Turn web pages that publish no feed into RSS, Atom and JSON feeds.')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  const common = (command: Command) =>
    command
      .option('-c, --config <file>', 'config file', DEFAULT_CONFIG)
      .addOption(new Option('--log-level <level>', 'log verbosity').choices(LOG_LEVELS));

  common(program.command('run'))
    .description('fetch every source once, update the feeds, print a summary')
    .option('-s, --source <id>', 'only this source (repeatable)', collect, [])
    .option('--json', 'print the reports as JSON')
    .action(async (opts) => setExit(await (await import('./run-command.js')).runCommand(opts)));

  common(program.command('start'))
    .description('run the scheduled worker until SIGINT/SIGTERM (SIGHUP reloads the config)')
    .option('--serve [host:port]', 'also serve the output folder (default 127.0.0.1:8080)')
    .option('--watch', 'reload the config when the file changes')
    // Both forms declared, so commander sets no default: without either flag, `worker.initialRun` decides.
    .option('--initial-run', 'run every source once at start-up (overrides worker.initialRun)')
    .option('--no-initial-run', 'do not run every source once at start-up (overrides worker.initialRun)')
    .action(async (opts) => setExit(await (await import('./start-command.js')).startCommand(opts)));

  common(program.command('serve'))
    .description('serve the output folder with /healthz and /metrics (gauges from the stored health)')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8080')
    .action(async (opts) => setExit(await (await import('./serve-command.js')).serveCommand(opts)));

  common(program.command('status'))
    .description("show each source's health from the store")
    .option('--json', 'print JSON')
    .action(async (opts) => setExit(await (await import('./status-command.js')).statusCommand(opts)));

  common(program.command('preview'))
    .description('fetch and extract a source or URL without writing anything; print items and selectors')
    .argument('<source>', 'a source id from the config, or a URL')
    .option('--items <css>', 'selector for one headline row')
    .option('--title <css>', 'title selector (relative to the row)')
    .option('--link <css>', 'link selector, e.g. a@href')
    .option('--date <css>', 'date selector')
    .option('--timezone <zone>', 'time zone for dates, e.g. Asia/Shanghai')
    .option('--encoding <charset>', 'force the page charset, e.g. gbk')
    .option('--render', 'load the page in headless Chromium and show what the browser saw')
    .option('--json', 'print JSON')
    .action(async (target, opts) => setExit(await (await import('./preview-command.js')).previewCommand(target, opts)));

  common(program.command('check'))
    .description('validate the config and list every problem with file, line and field')
    .action(async (opts) => setExit(await (await import('./check-command.js')).checkCommand(opts)));

  program
    .command('schema')
    .description('print the JSON Schema of the config file (for editors)')
    .action(async () => setExit((await import('./schema-command.js')).schemaCommand()));

  return program;
}

/** Entry point: runs the program and maps errors to exit codes (2 config/usage, 1 runtime). */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      const { code, exitCode } = error;
      process.exitCode =
        code === 'commander.helpDisplayed' || code === 'commander.version' ? 0 : exitCode === 0 ? 0 : 2;
      return;
    }
    const { printFatalError } = await import('./print-problems.js');
    process.exitCode = printFatalError(error);
  }
}

// --- Internal helpers ---

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function setExit(code: number): void {
  process.exitCode = code;
}
