/** V8 flags the CLI sets for itself (see v8-flags.js). */
export declare const CLI_V8_FLAGS: readonly string[];
