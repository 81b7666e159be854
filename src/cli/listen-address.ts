/** The `host:port` an operator gives to `serve` and `start --serve`. */
import { UsageError } from './usage-error.js';

/** Where to listen when nothing is given. */
export const DEFAULT_LISTEN = { host: '127.0.0.1', port: 8080 } as const;

/** Parses `host:port`, `:port`, `port` or nothing (127.0.0.1:8080). */
export function parseListenAddress(value: string | undefined): { host: string; port: number } {
  if (!value) return { ...DEFAULT_LISTEN };
  const match = /^(?:\[?([^\]]*?)\]?:)?(\d+)$/.exec(value.trim());
  if (!match) throw new UsageError(`invalid listen address "${value}"`, 'Expected host:port, e.g. 127.0.0.1:8080.');
  return { host: match[1] || DEFAULT_LISTEN.host, port: parsePort(match[2] ?? '') };
}

/** Parses a port number (0–65535). */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`invalid port "${value}"`, 'Expected a number from 0 to 65535.');
  return port;
}
