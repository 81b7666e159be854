/**
 * A guard for sources read in automatic mode. A redesigned page can make detection settle on another
 * box — a menu, a ranking, a block of links — whose every entry is "new": published, a reader would
 * get a burst of junk items, announced once and for ever. So when the list chosen automatically is
 * not the one the source's last published run used, and not one of its items has been seen before,
 * the run holds them back and reports the source as degraded, naming both lists, until the page goes
 * back to a known list or the operator pins `items:` (pinned selectors are never second-guessed).
 * A new list that shares even one item with the history is the same list in new markup: it passes.
 */
import { ExtractError } from '../extract/index.js';
import type { ExtractResult } from '../model.js';
import type { SourceState } from '../store/index.js';
import type { PipelineDeps } from './deps.js';

/** The error that holds a switched list back, or undefined when the run may go on. */
export async function checkListSwitch(
  sourceId: string,
  state: SourceState,
  extracted: ExtractResult,
  deps: Pick<PipelineDeps, 'store' | 'now'>,
): Promise<ExtractError | undefined> {
  const previous = state.page.list;
  const current = extracted.selectors?.items;
  if (extracted.mode !== 'auto' || !previous || !current || previous === current) return undefined;
  // Too few rows to call a burst, and a source that never published anything has nothing to compare.
  if (extracted.items.length < MIN_HELD_ROWS || !(state.health?.lastNonEmptyFound ?? 0)) return undefined;
  const fresh = await deps.store.findNew(state, extracted.items, deps.now());
  if (fresh.length < extracted.items.length) return undefined;
  return new ExtractError(
    'EXTRACT_LIST_CHANGED',
    sourceId,
    `the list found automatically changed from "${previous}" to "${current}", and none of its ${extracted.items.length} items was seen before`,
    'likely a menu or another box of a changed page; its items are held back',
    {
      selector: current,
      hint: `Check with \`feedwright preview ${sourceId}\`: if the new list is the right one, pin it with \`items: ${current}\` and its items are published; otherwise pin the list you want.`,
    },
  );
}

// --- Internal helpers ---

/** Fewer rows than this are published as they come: two or three posts at once are ordinary. */
const MIN_HELD_ROWS = 5;
