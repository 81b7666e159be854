/**
 * Real feed consumers from Debian, driven from tests: python3-feedparser, sfeed and newsboat.
 * Each returns the entries as the consumer understood them, so tests compare what readers see.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';

const run = promisify(execFile);

/** Debian paths of the consumers (the pyenv python has no feedparser). */
export const TOOLS = { python: '/usr/bin/python3', sfeed: '/usr/bin/sfeed', newsboat: '/usr/bin/newsboat' } as const;

/** One entry as a consumer read it; dates in epoch seconds (UTC). */
export interface ConsumedEntry {
  title: string;
  link: string;
  id: string;
  published?: number;
  updated?: number;
  author?: string;
}

/** A feed as feedparser read it. */
export interface FeedparserResult {
  bozo: boolean;
  bozoException?: string;
  version: string;
  title: string;
  entries: ConsumedEntry[];
}

/** Which tools are missing: tests fail on them in CI and skip locally. */
export function missingTools(names: Array<keyof typeof TOOLS>): string[] {
  const missing: string[] = names.filter((name) => !existsSync(TOOLS[name]));
  if (names.includes('python') && missing.length === 0 && !hasFeedparser()) missing.push('python3-feedparser');
  return missing;
}

/** Parses a file with feedparser (strict XML first, as feedparser does) and returns what it saw. */
export async function parseWithFeedparser(file: string): Promise<FeedparserResult> {
  const script = `
import calendar, json, sys, feedparser
d = feedparser.parse(sys.argv[1])
def ts(t):
    return calendar.timegm(t) if t else None
print(json.dumps({
  "bozo": bool(d.bozo), "bozoException": str(d.get("bozo_exception")) if d.bozo else None,
  "version": d.version, "title": d.feed.get("title", ""),
  "entries": [{"title": e.get("title", ""), "link": e.get("link", ""), "id": e.get("id", ""),
               "published": ts(e.get("published_parsed")), "updated": ts(e.get("updated_parsed")),
               "author": e.get("author")} for e in d.entries]}))
`;
  const { stdout } = await run(TOOLS.python, ['-c', script, file], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as FeedparserResult;
}

/** Checks XML well-formedness with expat (strict); resolves to the error message, or undefined when well-formed. */
export async function findXmlError(file: string): Promise<string | undefined> {
  const script =
    'import sys, xml.dom.minidom\ntry:\n    xml.dom.minidom.parse(sys.argv[1])\nexcept Exception as e:\n    print(e)';
  const { stdout } = await run(TOOLS.python, ['-c', script, file]);
  return stdout.trim() === '' ? undefined : stdout.trim();
}

/** Parses a file with sfeed (TAB-separated output, see sfeed(1)). */
export async function parseWithSfeed(file: string): Promise<ConsumedEntry[]> {
  const { stdout } = await run('/bin/sh', ['-c', `"${TOOLS.sfeed}" < "$1"`, 'sh', file], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [timestamp = '', title = '', link = '', , , id = '', author = ''] = line.split('\t');
      const entry: ConsumedEntry = { title, link, id };
      if (timestamp !== '') entry.published = Number(timestamp);
      if (author !== '') entry.author = author;
      return entry;
    });
}

/** Reloads a file:// feed in newsboat non-interactively (temp HOME) and reads its SQLite cache. */
export async function loadWithNewsboat(file: string): Promise<{ feedTitle: string; entries: ConsumedEntry[] }> {
  const [loaded] = await loadAllWithNewsboat([file]);
  return loaded ?? { feedTitle: '', entries: [] };
}

/**
 * Subscribes one newsboat to several file:// feeds at once (as a reader subscribed to a source and a
 * topic feed is) and returns, per feed in the order given, the items newsboat keeps for it.
 */
export async function loadAllWithNewsboat(
  files: string[],
): Promise<Array<{ feedTitle: string; entries: ConsumedEntry[] }>> {
  const home = mkdtempSync(join(tmpdir(), 'feedwright-newsboat-'));
  try {
    mkdirSync(join(home, '.newsboat'));
    const urls = files.map((file) => pathToFileURL(file).toString());
    writeFileSync(join(home, 'urls'), `${urls.join('\n')}\n`);
    writeFileSync(join(home, 'config'), '');
    const cache = join(home, 'cache.db');
    await run(TOOLS.newsboat, ['-u', join(home, 'urls'), '-c', cache, '-C', join(home, 'config'), '-x', 'reload'], {
      env: { ...process.env, HOME: home, TERM: 'dumb' },
      timeout: 60_000,
    });
    const db = new Database(cache, { readonly: true });
    try {
      return urls.map((url) => {
        const feed = db.prepare('SELECT title FROM rss_feed WHERE rssurl = ?').get(url) as
          { title: string } | undefined;
        const rows = db
          .prepare('SELECT title, url, guid, pubDate, author FROM rss_item WHERE feedurl = ? ORDER BY id')
          .all(url) as Array<{
          title: string;
          url: string;
          guid: string;
          pubDate: number;
          author: string;
        }>;
        return {
          feedTitle: feed?.title ?? '',
          entries: rows.map((r) => ({
            title: r.title,
            link: r.url,
            id: r.guid,
            published: r.pubDate,
            ...(r.author ? { author: r.author } : {}),
          })),
        };
      });
    } finally {
      db.close();
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** Reads a JSON file. */
export function readJson(file: string): unknown {
  return JSON.parse(readFileSync(file, 'utf8'));
}

// --- Internal helpers ---

function hasFeedparser(): boolean {
  return spawnSync(TOOLS.python, ['-c', 'import feedparser']).status === 0;
}
