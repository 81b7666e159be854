/**
 * Text made safe for XML 1.0 documents and HTML pages. The `feed` package writes control
 * characters raw, which makes the whole document invalid for strict consumers, so every string is
 * cleaned before it reaches a generator.
 */

/**
 * Removes characters XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE/U+FFFF, lone surrogates) and every
 * C1 control, U+0085 (NEL) included: XML 1.0 allows but discourages them, and XML 1.1 readers treat NEL as a
 * line break, so a title would read differently from one reader to the next. NFC.
 */
export function toXmlSafeText(text: string): string {
  return stripForbidden(text.normalize('NFC'));
}

/** Like {@link toXmlSafeText}, plus line breaks and runs of whitespace folded to one space (titles, names). */
export function toXmlSafeLine(text: string): string {
  return toXmlSafeText(text).replace(/\s+/gu, ' ').trim();
}

/** Escapes text for HTML/XML element content and double-quoted attributes. */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>"']/g, (char) => MARKUP_ENTITIES[char] ?? char);
}

/** {@link toXmlSafeText}, then {@link escapeMarkup}: a raw string ready for element content or a double-quoted attribute. */
export function toSafeMarkup(text: string): string {
  return escapeMarkup(toXmlSafeText(text));
}

// --- Internal helpers ---

const MARKUP_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Lone surrogates are matched as a high one not followed by a low one, or a low one not preceded by a high one. */
const FORBIDDEN =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

function stripForbidden(text: string): string {
  return text.replace(FORBIDDEN, '');
}
