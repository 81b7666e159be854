/**
 * Month names and abbreviations in the languages feedwright reads besides Chinese and English (fr, de,
 * es, it, pt, ru, nl, pl, sv, da, nb, tr, id), taken from the runtime's CLDR data through luxon
 * (`Info.months` / `Info.monthsFormat`, both the standalone and the genitive "format" forms, as Russian
 * and Polish write dates), so no hand-written tables. Built once, on first use.
 */
import { Info } from 'luxon';

/** Lower-case month name (no trailing dot) → month number 1–12. */
export type MonthTable = ReadonlyMap<string, number>;

const LOCALES = ['fr', 'de', 'es', 'it', 'pt', 'ru', 'nl', 'pl', 'sv', 'da', 'nb', 'tr', 'id', 'uk'];

let table: Map<string, number> | undefined;

/** The month-name table (names of at least three letters; English ones are handled by the date table). */
export function readMonthTable(): MonthTable {
  if (table) return table;
  const built = new Map<string, number>();
  for (const locale of LOCALES) {
    for (const length of ['long', 'short'] as const) {
      for (const list of [Info.months(length, { locale }), Info.monthsFormat(length, { locale })]) {
        list.forEach((name, index) => {
          const key = normalizeMonthName(name);
          if (key.length >= 3 && !built.has(key)) built.set(key, index + 1);
        });
      }
    }
  }
  table = built;
  return built;
}

/** The regex alternation of every month name, longest first (so `janv` does not stop `janvier`). */
export function monthNamePattern(): string {
  return [...readMonthTable().keys()]
    .sort((a, b) => b.length - a.length)
    .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
}

/** Lower case, trailing dot dropped: the form month names are looked up in. */
export function normalizeMonthName(name: string): string {
  return name.toLowerCase().replace(/\.$/, '').trim();
}
