/**
 * The body of an extraction worker thread (see extract-pool.ts): parses and extracts one page, and
 * answers with the result or with the error's fields (class instances do not cross threads).
 */
import { AppError } from '../errors.js';
import { ExtractError, extractItems, type ExtractInput, type ExtractOptions } from '../extract/index.js';
import type { ExtractResult } from '../model.js';

/** A failed extraction as it crosses the thread boundary. */
export interface ExtractFailure {
  failed: true;
  name: string;
  message: string;
  code?: string;
  hint?: string;
  sourceId?: string;
  selector?: string;
}

/** One task: a decoded page and its source's extract options. */
export interface ExtractTask {
  input: ExtractInput;
  options: ExtractOptions;
}

/** piscina calls the default export once per task. */
export default function extractInWorker(task: ExtractTask): ExtractResult | ExtractFailure {
  try {
    return extractItems(task.input, task.options);
  } catch (error) {
    const base = {
      failed: true as const,
      name: (error as Error).name ?? 'Error',
      message: (error as Error).message ?? String(error),
    };
    if (error instanceof ExtractError)
      return { ...base, code: error.code, hint: error.hint, sourceId: error.sourceId, selector: error.selector };
    if (error instanceof AppError) return { ...base, code: error.code, hint: error.hint, sourceId: error.sourceId };
    return base;
  }
}
