/** Namespaces of the small per-source records the pipeline keeps in the store (besides items, validators and health). */
export const RECORD = { pendingOutput: 'pending-output', page: 'page', retryAfter: 'retry-after', indexChecked: 'index-checked' } as const;
