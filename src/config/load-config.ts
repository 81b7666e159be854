/**
 * Loads `feedwright.yaml` (or JSON): parse, validate against the schema, run the cross-field checks,
 * and resolve defaults. Every problem is gathered first, then reported once with file, line and field.
 *
 * Most configs have nothing to report: read by js-yaml and checked by the quick validator, they need
 * neither positions nor zod (~0.1 s of CPU to import, build and first run at 300 sources). Anything
 * else goes through validate-config.ts, imported then, where the zod schema decides and words it.
 */
import { readFile } from 'node:fs/promises';
import type { AppConfig } from '../model.js';
import type { ExecutableProbe } from './check-browser.js';
import { checkSemantics } from './check-semantics.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import { validateQuickly } from './quick-validate.js';
import { readPlainQuickly } from './read-config-text.js';
import { resolveConfig } from './resolve-config.js';

/** A loaded config together with the warnings found on the way (likely mistakes that are not errors). */
export interface LoadedConfig {
  config: AppConfig;
  warnings: ConfigProblem[];
}

/** What the quick path made of a file: the config when it settled it, else what it learnt on the way. */
export interface QuickReading {
  loaded?: LoadedConfig;
  /** The file as plain data (js-yaml), undefined when only the `yaml` package may read it. */
  plain?: unknown;
  /** The quick validator vouched for the data (so zod would accept it too): only a semantic check spoke. */
  schemaValid: boolean;
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
  const reading = readQuickly(text, file);
  if (reading.loaded) return reading.loaded;
  const { validateRead } = await import('./validate-config.js');
  return validateRead(text, file, reading);
}

/** The quick path: js-yaml, the quick validator and the semantic checks, settling a file that has no problem. */
export function readQuickly(text: string, file: string, isExecutable?: ExecutableProbe): QuickReading {
  const plain = readPlainQuickly(text);
  const raw = plain === undefined ? undefined : validateQuickly(plain);
  if (raw === undefined) return { plain, schemaValid: false };
  if (checkSemantics(raw, isExecutable).length > 0) return { plain, schemaValid: true };
  return { loaded: { config: resolveConfig(raw, file), warnings: [] }, plain, schemaValid: true };
}
