/**
 * Charset labels as found in the wild → the canonical charset feedwright decodes with.
 * Supersets win, as browsers do (WHATWG Encoding): GB2312/GBK → GB18030, Big5 → Big5-HKSCS,
 * Shift_JIS → Windows-31J, EUC-KR → CP949, ISO-8859-1/ASCII → windows-1252.
 */
import { createRequire } from 'node:module';
import type IconvLite from 'iconv-lite';

/** Returns the canonical charset for a label, or undefined when iconv-lite cannot decode it. */
export function normalizeCharset(label: string): string | undefined {
  const key = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  const known = LABELS[key];
  if (known) return known;
  if (NOT_WEB_ENCODINGS.test(key.replace(/:\d{4}$|[^0-9a-z]/g, ''))) return undefined;
  return iconvLite().encodingExists(key) ? key : undefined;
}

/**
 * Hands this module the iconv-lite the decoders use (the fetch stage's, bundled into the CLI), so a
 * process that decodes pages holds one copy: without it, the first label outside the table would
 * load a second one from node_modules.
 */
export function shareIconvLite(loaded: typeof IconvLite): void {
  iconv ??= loaded;
}

/** The iconv-lite codec name for a canonical charset. */
export function codecFor(charset: string): string {
  return CODECS[charset] ?? charset;
}

/**
 * The TextDecoder label for charsets where Node's ICU decoder is trusted, else undefined (use
 * iconv-lite). Only GB18030 qualifies: it matches iconv-lite on every two-byte code except 18 that
 * iconv-lite maps to the Private Use Area and ICU to the real characters (GB18030-2005), it is
 * stricter on invalid four-byte codes, and it is about 2.5× faster. Node's big5 silently drops
 * HKSCS characters and its windows-1252 decodes as ISO-8859-1, so those stay with iconv-lite.
 */
export function nativeLabelFor(charset: string): string | undefined {
  return charset === 'gb18030' ? 'gb18030' : undefined;
}

/** True for charsets with one byte per character (they never fail to decode, so they prove nothing). */
export function isSingleByteCharset(charset: string): boolean {
  return /^(windows-125\d|windows-874|iso-8859-\d+|koi8-[ru]|macintosh|ibm866|tis-620)$/.test(charset);
}

// --- Internal helpers ---

const requireModule = createRequire(import.meta.url);
let iconv: typeof IconvLite | undefined;

/**
 * iconv-lite, loaded by the first label outside the table below: the config check (every command)
 * names charsets through this module, and a command that fetches nothing, such as the worker's
 * start-up, should not load the decoders.
 */
function iconvLite(): typeof IconvLite {
  iconv ??= requireModule('iconv-lite') as typeof IconvLite;
  return iconv;
}

/**
 * Labels iconv-lite decodes that are no text encoding of the web, refused as browsers refuse them
 * (WHATWG Encoding has none of them), matched on iconv-lite's own form of a label (lower case, letters
 * and digits only): UTF-7, where a page declaring it turns `+ADw-script+AD4-` into `<script>` (the
 * classic filter bypass; browsers show those bytes as they are), UTF-32, and iconv-lite's
 * binary-to-text codecs (`base64`, `hex`), which would turn a page into noise without a warning.
 */
const NOT_WEB_ENCODINGS = /^(?:utf7(?:imap)?|unicode11utf7|csunicode11utf7|utf32(?:le|be)?|ucs4|base64|hex)$/;

const GB18030_LABELS = [
  'gb18030',
  'gbk',
  'gb2312',
  'gb_2312',
  'gb_2312-80',
  'x-gbk',
  'cp936',
  'ms936',
  'windows-936',
  'csgb2312',
  'csiso58gb231280',
  'chinese',
  'iso-ir-58',
  'euc-cn',
  'x-euc-cn',
];
const BIG5_LABELS = [
  'big5',
  'big5-hkscs',
  'big5hkscs',
  'cn-big5',
  'csbig5',
  'x-x-big5',
  'x-big5',
  'cp950',
  'ms950',
  'windows-950',
];
const SHIFT_JIS_LABELS = [
  'shift_jis',
  'shift-jis',
  'sjis',
  'x-sjis',
  'ms_kanji',
  'csshiftjis',
  'windows-31j',
  'ms932',
  'cp932',
];
const EUC_KR_LABELS = [
  'euc-kr',
  'cseuckr',
  'csksc56011987',
  'iso-ir-149',
  'korean',
  'ks_c_5601-1987',
  'ks_c_5601-1989',
  'ksc5601',
  'ksc_5601',
  'cp949',
  'windows-949',
  'x-windows-949',
];
const EUC_JP_LABELS = ['euc-jp', 'cseucpkdfmtjapanese', 'x-euc-jp'];
const UTF8_LABELS = ['utf-8', 'utf8', 'unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'x-unicode20utf8'];
const LATIN1_LABELS = [
  'windows-1252',
  'cp1252',
  'x-cp1252',
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'iso-ir-100',
  'latin1',
  'l1',
  'cp819',
  'ibm819',
  'csisolatin1',
  'us-ascii',
  'ascii',
  'ansi_x3.4-1968',
  'iso646-us',
  'x-user-defined',
];

const LABELS: Record<string, string> = {
  ...Object.fromEntries(GB18030_LABELS.map((label) => [label, 'gb18030'])),
  ...Object.fromEntries(BIG5_LABELS.map((label) => [label, 'big5-hkscs'])),
  ...Object.fromEntries(SHIFT_JIS_LABELS.map((label) => [label, 'shift_jis'])),
  ...Object.fromEntries(EUC_KR_LABELS.map((label) => [label, 'euc-kr'])),
  ...Object.fromEntries(EUC_JP_LABELS.map((label) => [label, 'euc-jp'])),
  ...Object.fromEntries(UTF8_LABELS.map((label) => [label, 'utf-8'])),
  ...Object.fromEntries(LATIN1_LABELS.map((label) => [label, 'windows-1252'])),
  'iso-8859-9': 'windows-1254',
  latin5: 'windows-1254',
  'iso-8859-11': 'windows-874',
  'tis-620': 'windows-874',
  'utf-16': 'utf-16le',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
};

/** Canonical names whose iconv-lite codec has another name (the superset tables). */
const CODECS: Record<string, string> = {
  shift_jis: 'cp932',
  'euc-kr': 'cp949',
};
