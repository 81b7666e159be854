/**
 * Logger factory: the only module that decides how logs are written.
 * JSON lines when stderr is not a terminal, readable lines on a terminal.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Accepted log levels, from most to least verbose. */
export type LogLevel = LevelWithSilent;
export { LOG_LEVELS } from './log-levels.js';

/** Options for {@link createLogger}. */
export interface LoggerOptions {
  level?: LevelWithSilent;
  /** Force pretty (true) or JSON (false) output; default: pretty when stderr is a TTY. */
  pretty?: boolean;
  /** Where lines go (default stderr); anything with a `write(line)`. */
  destination?: { write(line: string): unknown };
}

/** Creates the process logger, writing to stderr. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? (process.env.FEEDWRIGHT_LOG_LEVEL as LevelWithSilent | undefined) ?? 'info';
  const pretty = options.pretty ?? Boolean(process.stderr.isTTY);
  const destination = options.destination ?? process.stderr;
  if (!pretty) return pino({ level, base: undefined }, destination as pino.DestinationStream);
  return pino({ level, base: undefined }, createPrettyStream(destination));
}

/** A logger that drops everything; for tests and library use. */
export function createSilentLogger(): Logger {
  return pino({ level: 'silent' });
}

// --- Internal helpers ---

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** Formats pino's JSON lines as `HH:MM:SS LEVEL msg key=value …` for humans. */
function createPrettyStream(out: { write(line: string): unknown }): pino.DestinationStream {
  return {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        // Not JSON (should not happen with pino): pass it through untouched rather than lose it.
        out.write(line);
        return;
      }
      const { time, level, msg, ...rest } = record;
      const clock = new Date(typeof time === 'number' ? time : Date.now()).toTimeString().slice(0, 8);
      const name = LEVEL_NAMES[Number(level)] ?? String(level);
      const fields = Object.entries(rest)
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(' ');
      out.write(`${clock} ${name.padEnd(5)} ${String(msg ?? '')}${fields ? ` ${fields}` : ''}\n`);
    },
  };
}
