/** `feedwright check`: validates the config and lists every problem and likely mistake at once. */
import { ConfigError, formatProblem } from '../config/config-error.js';
import { loadConfig } from '../config/load-config.js';
import type { GlobalOptions } from './services.js';

/** Validates the config; returns 0 when usable (warnings allowed), 2 when not. */
export async function checkCommand(options: GlobalOptions): Promise<number> {
  try {
    const { config, warnings } = await loadConfig(options.config);
    for (const warning of warnings) process.stdout.write(`warning: ${formatProblem(warning)}\n`);
    const feeds = config.feeds.length;
    process.stdout.write(
      `${config.file}: OK — ${config.sources.length} source(s), ${feeds} topic feed(s)${warnings.length ? `, ${warnings.length} warning(s)` : ''}\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) process.stdout.write(`${problem.severity}: ${formatProblem(problem)}\n`);
    const errors = error.problems.filter((problem) => problem.severity === 'error').length;
    process.stdout.write(`${error.file}: ${errors} error(s)${error.hint ? ` — ${error.hint}` : ''}\n`);
    return 2;
  }
}
