/** config stage: load and validate feedwright.yaml into an AppConfig. */
export { loadConfig, type LoadedConfig } from './load-config.js';
export { parseConfigText } from './validate-config.js';
export { ConfigError, formatProblem, type ConfigProblem } from './config-error.js';
export { configSchema } from './schema.js';
export { BUILT_IN_DEFAULTS, resolveAdHocSource } from './resolve-config.js';
export { parseDuration, parseSize } from './units.js';
export { buildConfigJsonSchema } from './json-schema.js';
