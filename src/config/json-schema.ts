/** The JSON Schema of the config file, generated from the validation schema so the two never drift. */
import { zod } from './zod-library.js';
import { configSchema } from './schema.js';

/** JSON Schema (draft 2020-12) describing what a user may write in feedwright.yaml. */
export function buildConfigJsonSchema(): Record<string, unknown> {
  // `input`: describe what users write (defaults make fields optional), not the parsed result.
  const schema = zod.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return { ...schema, $id: 'https://feedwright.dev/schema/feedwright.schema.json' };
}
