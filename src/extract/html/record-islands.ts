/**
 * Lists shipped as data inside a script. Hanweb's CMS (大汉 JCMS), behind many Chinese government
 * portals, writes a column's list as an XML data island that its `jpage` script pages through in the
 * browser:
 *
 * ```html
 * <div id="4488593"><script type="text/xml"><datastore><nextgroup>…</nextgroup><recordset>
 * <record><![CDATA[<li><a href="/art/2024/11/20/art_1229_5.html" title="…">…</a><span>2024-11-20</span></li>]]></record>
 * …</recordset></datastore></script></div>
 * ```
 *
 * An HTML parser sees one script element and no list. Before the page is parsed, each such island is
 * replaced by its records' markup, where the script stood (inside the unit's container, as the page's
 * script would put them), so detection and selectors see the rows a browser shows. The same goes for
 * a whole `<datastore>` document, the answer of the CMS's `dataproxy.jsp`, used as a source. Records
 * may hold their markup in CDATA (usual) or escaped (`&lt;li&gt;…`).
 *
 * Linear on any input: every search moves forward; a `<script` with no `>` after it ends the scan.
 */

/** The page with each record island replaced by its records' markup (the page itself when it has none). */
export function expandRecordIslands(html: string): string {
  // Most pages have none: one search and no copy. A regular expression, because V8's `includes` on a
  // two-byte (Chinese) page took 24 µs per 60,000 characters where this takes 6.
  if (!MAY_HOLD_RECORDS.test(html)) return html;
  if (DATASTORE_DOCUMENT.test(html.slice(0, 512))) {
    const records = recordsOf(html);
    // A document of rows alone: given a body, as a browser would, so the rows have a parent to share.
    return records === undefined ? html : `<html><body>\n${records}\n</body></html>`;
  }
  const parts: string[] = [];
  let kept = 0;
  SCRIPT_OPEN.lastIndex = 0;
  for (let open = SCRIPT_OPEN.exec(html); open; open = SCRIPT_OPEN.exec(html)) {
    const tagEnd = html.indexOf('>', open.index);
    if (tagEnd === -1) break;
    SCRIPT_CLOSE.lastIndex = tagEnd + 1;
    const close = SCRIPT_CLOSE.exec(html);
    const end = close ? close.index : html.length;
    const after = close ? close.index + close[0].length : html.length;
    const records = recordsOf(html.slice(tagEnd + 1, end));
    if (records !== undefined) {
      parts.push(html.slice(kept, open.index), records);
      kept = after;
    }
    SCRIPT_OPEN.lastIndex = after;
  }
  if (parts.length === 0) return html;
  parts.push(html.slice(kept));
  return parts.join('');
}

// --- Internal helpers ---

const MAY_HOLD_RECORDS = /<(?:recordset|RECORDSET)/;
/** `<script` as a tag name (not `<scripts`), in any case. */
const SCRIPT_OPEN = /<script(?=[\s>/])/gi;
const SCRIPT_CLOSE = /<\/script\s*>/gi;
const RECORD_OPEN = /<record(?=[\s>/])/gi;
const RECORD_CLOSE = /<\/record\s*>/gi;
/** A document that is a data island itself: an optional XML declaration, then `<datastore>`. */
const DATASTORE_DOCUMENT = /^\ufeff?\s*(?:<\?xml[^>]{0,200}\?>\s*)?<datastore[\s>]/i;

/** The markup of the records of one island, joined by newlines; undefined when it holds none. */
function recordsOf(island: string): string | undefined {
  if (!/<recordset[\s>]/i.test(island)) return undefined;
  const records: string[] = [];
  RECORD_OPEN.lastIndex = 0;
  for (let open = RECORD_OPEN.exec(island); open; open = RECORD_OPEN.exec(island)) {
    const tagEnd = island.indexOf('>', open.index);
    if (tagEnd === -1) break;
    RECORD_CLOSE.lastIndex = tagEnd + 1;
    const close = RECORD_CLOSE.exec(island);
    if (!close) break;
    const markup = unwrapRecord(island.slice(tagEnd + 1, close.index));
    if (markup !== '') records.push(markup);
    RECORD_OPEN.lastIndex = close.index + close[0].length;
  }
  return records.length === 0 ? undefined : records.join('\n');
}

/** A record's markup: its CDATA sections' text, or its escaped markup unescaped. */
function unwrapRecord(content: string): string {
  const text = content.trim();
  if (text.includes('<![CDATA[')) return text.replaceAll('<![CDATA[', '').replaceAll(']]>', '').trim();
  return text.includes('<') ? text : unescapeMarkup(text);
}

/** The five XML escapes, `&amp;` last so `&amp;lt;` stays the text `&lt;`. */
function unescapeMarkup(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');
}
