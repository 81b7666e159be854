/** Maps a field path in a parsed YAML document back to its line and column in the file. */
import type { Document, LineCounter, Node } from 'yaml';
import { yamlLibrary } from './read-config-text.js';

/** Where a field sits in the file (1-based), or the closest existing parent when the field is missing. */
export function locateField(
  doc: Document,
  lines: LineCounter,
  path: ReadonlyArray<PropertyKey>,
): { line: number; column: number } | undefined {
  let node: unknown = doc.contents;
  let position = rangeStart(node);
  for (const key of path) {
    const next = childOf(node, key);
    if (!next) break;
    // Prefer the key's position for map entries so the line shows `field:` itself.
    position = next.keyStart ?? rangeStart(next.value) ?? position;
    node = next.value;
  }
  if (position === undefined) return undefined;
  const { line, col } = lines.linePos(position);
  return { line, column: col };
}

// --- Internal helpers ---

function childOf(node: unknown, key: PropertyKey): { value: unknown; keyStart?: number } | undefined {
  const { isMap, isScalar, isSeq } = yamlLibrary();
  if (isMap(node)) {
    const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
    if (!pair) return undefined;
    return { value: pair.value, keyStart: rangeStart(pair.key) };
  }
  if (isSeq(node) && typeof key === 'number') {
    const value = node.items[key];
    return value === undefined ? undefined : { value };
  }
  return undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
