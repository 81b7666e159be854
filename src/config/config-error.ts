/** Errors raised while loading the config: every problem names the file, line, column and field. */
import { AppError, type ErrorCode } from '../errors.js';

/** One problem found in a config file. */
export interface ConfigProblem {
  file: string;
  line?: number;
  column?: number;
  /** Field path such as `sources[2].items`. */
  field: string;
  message: string;
  severity: 'error' | 'warning';
}

/** A config that cannot be used; `problems` lists everything found, not just the first. */
export class ConfigError extends AppError {
  override name = 'ConfigError';
  readonly file: string;
  readonly problems: ConfigProblem[];

  constructor(
    code: ErrorCode,
    file: string,
    problems: ConfigProblem[],
    options: { cause?: unknown; hint?: string } = {},
  ) {
    const errors = problems.filter((problem) => problem.severity === 'error');
    const summary = errors.length === 1 ? formatProblem(errors[0]!) : `${errors.length} problems in ${file}`;
    super(code, `config: ${summary}`, {
      cause: options.cause,
      hint: options.hint ?? 'Fix the fields listed above; `feedwright check` lists every problem.',
    });
    this.file = file;
    this.problems = problems;
  }
}

/** Formats a problem as `file:line:column field: message`. */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}:${problem.column ?? 1}`;
  return `${where} ${problem.field || '(top level)'}: ${problem.message}`;
}

/** Formats a field path such as ['sources', 2, 'items'] as `sources[2].items`. */
export function formatFieldPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)),
    '',
  );
}
