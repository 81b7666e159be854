/** How a warning reads in logs, `run`'s table and `preview`: its message, with the raw text that caused it. */
import type { Warning } from '../model.js';

/** One line for a warning, with the raw text that caused it. */
export function formatWarning(warning: Warning): string {
  return warning.text ? `${warning.message} (${warning.text})` : warning.message;
}
