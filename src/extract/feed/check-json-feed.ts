/**
 * JSON Feed fields checked before feedsmith reads them: feedsmith coerces what it finds (`url: 12345`
 * becomes the relative link "12345", `items: {}` an empty feed), so a wrong type would pass silently.
 * An item with a field of the wrong type is dropped with a warning naming the field; `items` that
 * is not a list makes the whole document unreadable.
 */
import type { WarningCollector } from '../warnings.js';

/** Why a JSON Feed document cannot be read at all. */
export class JsonFeedShapeError extends Error {
  override name = 'JsonFeedShapeError';
}

/** Returns the document with only well-typed items; throws JsonFeedShapeError when `items` is not a list. */
export function checkJsonFeed(document: unknown, warnings: WarningCollector): unknown {
  if (!isObject(document) || !('items' in document) || document.items === undefined) return document;
  const items = document.items;
  if (!Array.isArray(items)) {
    throw new JsonFeedShapeError(`the JSON Feed's "items" is ${describeType(items)}, expected a list of items`);
  }
  const kept = items.filter((item, index) => {
    const problem = findItemProblem(item);
    if (problem) warnings.add('feed-item-invalid', `JSON Feed item ${index + 1} dropped: ${problem}`, preview(item));
    return problem === undefined;
  });
  return { ...document, items: kept };
}

// --- Internal helpers ---

const STRING_FIELDS = [
  'url',
  'external_url',
  'title',
  'content_html',
  'content_text',
  'summary',
  'image',
  'banner_image',
  'date_published',
  'date_modified',
  'language',
] as const;

function findItemProblem(item: unknown): string | undefined {
  if (!isObject(item)) return `it is ${describeType(item)}, not an object`;
  // The spec asks readers to accept a numeric id as its string form.
  if (item.id !== undefined && typeof item.id !== 'string' && typeof item.id !== 'number')
    return `"id" is ${describeType(item.id)}`;
  for (const field of STRING_FIELDS) {
    const value = item[field];
    if (value !== undefined && value !== null && typeof value !== 'string')
      return `"${field}" is ${describeType(value)}, expected a string`;
  }
  if (item.tags !== undefined && !(Array.isArray(item.tags) && item.tags.every((tag) => typeof tag === 'string'))) {
    return '"tags" is not a list of strings';
  }
  if (item.authors !== undefined && !(Array.isArray(item.authors) && item.authors.every(isObject)))
    return '"authors" is not a list of objects';
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 40))}`;
  return `the ${typeof value} ${String(value).slice(0, 40)}`;
}

function preview(item: unknown): string {
  const text = JSON.stringify(item) ?? String(item);
  return text.length > 120 ? `${text.slice(0, 119)}…` : text;
}
