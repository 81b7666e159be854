/** Prints config problems and errors for humans, on stderr. */
import { ConfigError, formatProblem, type ConfigProblem } from '../config/config-error.js';
import { AppError } from '../errors.js';

/** Prints config warnings (likely mistakes that do not stop the run). */
export function printConfigWarnings(warnings: ConfigProblem[]): void {
  for (const warning of warnings) process.stderr.write(`warning: ${formatProblem(warning)}\n`);
}

/** Prints an error that ends a command, with its hint; returns the exit code to use. */
export function printFatalError(error: unknown): number {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) process.stderr.write(`${problem.severity}: ${formatProblem(problem)}\n`);
    const errors = error.problems.filter((problem) => problem.severity === 'error').length;
    if (errors !== 1) process.stderr.write(`${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    return 2;
  }
  if (error instanceof AppError) {
    process.stderr.write(`error: ${error.message}\n`);
    if (error.hint) process.stderr.write(`hint: ${error.hint}\n`);
    return error.code === 'USAGE' ? 2 : 1;
  }
  process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
}
