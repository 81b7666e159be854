/**
 * Whether htmlparser2's tree shows the one fault a browser's tree (parse5) repairs for list detection:
 * an element whose end tag HTML implies, left open, with the next one of its kind nested inside it.
 * htmlparser2 closes an open `<li>` at the next `<li>` only when it is the innermost open element;
 * in `<li><a>one<li><a>two` the `a` is, so the second `li` lands inside the first (and their titles
 * run together), where a browser closes the first. Without such nesting the browser-shaped tree has
 * the same rows, and parsing the page again with parse5 (four times htmlparser2's cost, and on a page
 * of 10 MB of text in a `<p>` 1.5 s of parsing and 1.9 s of garbage collection) finds nothing more.
 */
import type { AnyNode, Element } from 'domhandler';

/** Tag name → its group: an element inside an open one of the same group is the fault. */
const GROUP: ReadonlyMap<string, number> = new Map([
  ['li', 0],
  ['p', 1],
  ['td', 2],
  ['th', 2],
  ['tr', 3],
  ['option', 4],
  ['dd', 5],
  ['dt', 5],
]);
const GROUPS = 6;

/** True when an element of a group above sits inside an element of the same group (one walk, no recursion). */
export function hasNestedImpliedEnds(roots: readonly AnyNode[]): boolean {
  const open = new Int32Array(GROUPS);
  // Each entry is a node to enter, or (as a negative group + 1) a group to leave.
  const stack: Array<AnyNode | number> = [...roots].reverse();
  while (stack.length > 0) {
    const next = stack.pop() as AnyNode | number;
    if (typeof next === 'number') {
      open[-next - 1]! -= 1;
      continue;
    }
    if (!('children' in next)) continue;
    const group = 'name' in next ? GROUP.get((next as Element).name) : undefined;
    if (group !== undefined) {
      if (open[group]! > 0) return true;
      open[group]! += 1;
      stack.push(-group - 1);
    }
    for (let i = next.children.length - 1; i >= 0; i -= 1) stack.push(next.children[i] as AnyNode);
  }
  return false;
}
