/**
 * Reading a scoring corpus from disk (schema: /work/shared/corpus/README.md): list pages with their gold
 * rows and selector, article pages with their publication day. Pages are decoded the way the fetch
 * stage decodes a response (BOM, `<meta>`, then a strict UTF-8 check), since several declare a charset
 * they are not written in.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBody } from '../src/fetch/decode-body.js';

/** A gold selector as the corpus writes it (CSS for cheerio plus a few forms the product may lack). */
export interface GoldSelector {
  item: string;
  title: string;
  link?: string;
  date?: string;
  dateRe?: string;
  dateSibling?: string;
  dateIso?: string;
  dateGroupHeader?: string;
  titleStrip?: string;
}

/** One expected row of a list page. */
export interface GoldRow {
  title: string;
  link: string | null;
  date_raw: string | null;
  /** `YYYY-MM-DD` when the row shows a full date. */
  date: string | null;
  title_attr?: string;
  link_original?: string;
}

/** A list page with its gold rows. */
export interface ListPage {
  id: string;
  site: string;
  language: string;
  /** URL handed to the extractor (the page's base; a stand-in when the corpus does not know it). */
  url: string;
  zone: string;
  body: string;
  /** The document's `<base href>` resolved against `url`, when it has one. */
  documentBase?: string;
  selector: GoldSelector;
  rows: GoldRow[];
}

/** An article page with its publication day. */
export interface ArticlePage {
  id: string;
  site: string;
  language: string;
  url: string;
  zone: string;
  body: string;
  /** Publication day in the publisher's zone, or null when the page carries none. */
  date: string | null;
}

/** Everything read from one corpus folder. */
export interface Corpus {
  lists: ListPage[];
  articles: ArticlePage[];
}

/** Reads `lists/<id>/` and `articles/<id>/` under a folder; missing kinds are empty lists. */
export function loadCorpus(dir: string): Corpus {
  return { lists: readKind(dir, 'lists').map(readListPage), articles: readKind(dir, 'articles').map(readArticlePage) };
}

// --- Internal helpers ---

/** Zone of a list page's dates when its gold file names none (list gold has no zone field). */
const ZONE_BY_LANGUAGE: Readonly<Record<string, string>> = {
  zh: 'Asia/Shanghai',
  ja: 'Asia/Tokyo',
  ko: 'Asia/Seoul',
  de: 'Europe/Berlin',
  fr: 'Europe/Paris',
  es: 'Europe/Madrid',
  it: 'Europe/Rome',
  pt: 'Europe/Lisbon',
  ru: 'Europe/Moscow',
  en: 'America/New_York',
};

interface PageFolder {
  dir: string;
  gold: Record<string, unknown>;
  body: string;
}

function readKind(dir: string, kind: 'lists' | 'articles'): PageFolder[] {
  const root = join(dir, kind);
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'gold.json')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const folder = join(root, name);
      const gold = JSON.parse(readFileSync(join(folder, 'gold.json'), 'utf8')) as Record<string, unknown>;
      const body = decodeBody(readFileSync(join(folder, 'page.html')), { xml: false }).text;
      return { dir: folder, gold, body };
    });
}

function readListPage({ gold, body, dir }: PageFolder): ListPage {
  const id = String(gold.id ?? dir);
  const language = String(gold.language ?? 'en');
  const base = typeof gold.base_url === 'string' ? gold.base_url : undefined;
  const url = base ?? (typeof gold.url === 'string' && gold.url !== '' ? gold.url : standInUrl(id));
  const baseHref = /<base\s[^>]*href\s*=\s*["']([^"']+)["']/i.exec(body)?.[1];
  const documentBase = baseHref && URL.canParse(baseHref, url) ? new URL(baseHref, url).href : undefined;
  return {
    id,
    site: String(gold.site ?? id),
    language,
    url,
    ...(documentBase ? { documentBase } : {}),
    zone: typeof gold.zone === 'string' ? gold.zone : (ZONE_BY_LANGUAGE[language] ?? 'UTC'),
    body,
    selector: gold.selector as GoldSelector,
    rows: gold.items as GoldRow[],
  };
}

function readArticlePage({ gold, body, dir }: PageFolder): ArticlePage {
  const id = String(gold.id ?? dir);
  const language = String(gold.language ?? 'en');
  const published = (gold.published ?? {}) as { date?: string | null; zone?: string };
  return {
    id,
    site: String(gold.site ?? id),
    language,
    url: typeof gold.url === 'string' && gold.url !== '' ? gold.url : standInUrl(id),
    zone: published.zone ?? ZONE_BY_LANGUAGE[language] ?? 'UTC',
    body,
    date: published.date ?? null,
  };
}

/** A URL that carries no evidence (no date in its path) for pages whose address is unknown. */
function standInUrl(id: string): string {
  return `http://corpus.invalid/${encodeURIComponent(id)}/page.html`;
}
