/**
 * "Did you mean …?" for an unknown config field: the known field of the same mapping that is at most
 * two edits away (a typo such as `itmes`, `timeZone`, `minDealy`), read from the zod schema itself so
 * the suggestions follow every field the schema gains.
 */
import type { z } from 'zod';

/** The known field closest to `key` in the mapping at `path` of `schema`, or undefined when none is close. */
export function suggestField(schema: z.ZodType, path: ReadonlyArray<string | number>, key: string): string | undefined {
  const known = knownFields(schema, path);
  let best: string | undefined;
  let bestDistance = MAX_EDITS + 1;
  for (const field of known) {
    if (field === key) continue;
    const distance = field.toLowerCase() === key.toLowerCase() ? 0 : editDistance(field, key);
    if (distance < bestDistance) {
      best = field;
      bestDistance = distance;
    }
  }
  return best;
}

// --- Internal helpers ---

/** Typos further away than this are more likely another word than a slip. */
const MAX_EDITS = 2;

/** The structural parts of a zod schema this walk reads (zod 4's `def`). */
interface SchemaDef {
  type: string;
  shape?: Record<string, { def: SchemaDef }>;
  element?: { def: SchemaDef };
  innerType?: { def: SchemaDef };
  in?: { def: SchemaDef };
  options?: Array<{ def: SchemaDef }>;
  valueType?: { def: SchemaDef };
}

function knownFields(schema: z.ZodType, path: ReadonlyArray<string | number>): string[] {
  let defs: SchemaDef[] = [(schema as unknown as { def: SchemaDef }).def];
  for (const step of path) defs = defs.flatMap((def) => childDefs(def, step));
  return [...new Set(defs.flatMap((def) => unwrap(def)).flatMap((def) => Object.keys(def.shape ?? {})))];
}

/** The object (or objects, for a union) a wrapper (optional, default, pipe…) holds. */
function unwrap(def: SchemaDef): SchemaDef[] {
  if (def.type === 'object') return [def];
  if (def.type === 'union') return (def.options ?? []).flatMap((option) => unwrap(option.def));
  const inner = def.innerType ?? def.in;
  return inner ? unwrap(inner.def) : [];
}

function childDefs(def: SchemaDef, step: string | number): SchemaDef[] {
  return unwrap(def).length > 0 && typeof step === 'string'
    ? unwrap(def).flatMap((object) => (object.shape?.[step] ? [object.shape[step].def] : []))
    : unwrapToElement(def);
}

function unwrapToElement(def: SchemaDef): SchemaDef[] {
  if (def.type === 'array' && def.element) return [def.element.def];
  if (def.type === 'record' && def.valueType) return [def.valueType.def];
  if (def.type === 'union') return (def.options ?? []).flatMap((option) => unwrapToElement(option.def));
  const inner = def.innerType ?? def.in;
  return inner ? unwrapToElement(inner.def) : [];
}

/** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > MAX_EDITS) return MAX_EDITS + 1;
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}
