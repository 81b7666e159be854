/**
 * Plain JSON instead of keyv's default @keyv/serialize, which walks every value in JavaScript and
 * was the largest cost of a run in profiles; the store only ever holds JSON-safe values.
 */
import type { DeserializedData, Deserialize, Serialize } from 'keyv';
import { describeError, formatErrorMessage } from '../errors.js';
import { StoreError } from './store-error.js';

/** keyv's codec for every backend. */
export const JSON_CODEC: { serialize: Serialize; deserialize: Deserialize } = {
  serialize: (data) => JSON.stringify(data),
  deserialize: (text) => parseStoredText(text) as DeserializedData<never>,
};

/** Parses a stored keyv text (`{"value": …, "expires"?: …}`); throws STORE_CORRUPT when it is no JSON. */
export function parseStoredText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StoreError(
      'STORE_CORRUPT',
      formatErrorMessage('store', 'unreadable value', { detail: describeError(error) }),
      {
        hint: 'The store holds data feedwright did not write. Point `store:` at a fresh location.',
        cause: error,
      },
    );
  }
}
