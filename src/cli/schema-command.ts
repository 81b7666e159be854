/** `feedwright schema`: prints the JSON Schema of the config, for editors and validators. */
import { buildConfigJsonSchema } from '../config/index.js';

/** Prints the schema; returns the exit code. */
export function schemaCommand(): number {
  process.stdout.write(`${JSON.stringify(buildConfigJsonSchema(), null, 2)}\n`);
  return 0;
}
