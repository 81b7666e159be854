/** The log levels the CLI accepts; apart from log.ts so parsing arguments does not load pino. */

/** Accepted log levels, from most to least verbose (pino's names). */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
