/**
 * Loads `feedwright.yaml` (or JSON): parse, validate against the schema, run the cross-field checks,
 * and resolve defaults. Every problem is gathered first, then reported once with file, line and field.
 */
import { readFile } from 'node:fs/promises';
import type { AppConfig } from '../model.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { parseConfigText } from './validate-config.js';

/** A loaded config together with the warnings found on the way (likely mistakes that are not errors). */
export interface LoadedConfig {
  config: AppConfig;
  warnings: ConfigProblem[];
}

/** Reads and validates a config file; throws ConfigError listing every problem. */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConfigError(
      missing ? 'CONFIG_NOT_FOUND' : 'CONFIG_PARSE',
      file,
      [
        {
          file,
          field: '',
          message: missing ? 'file not found' : `cannot read file (${(cause as Error).message})`,
          severity: 'error',
        },
      ],
      {
        cause,
        hint: missing ? 'Pass the config with -c FILE, or copy config/feedwright.yaml and edit it.' : undefined,
      },
    );
  }
  return parseConfigText(text, file);
}
