/**
 * robots.txt decisions with an in-memory cache keyed by origin (24 h, injected clock).
 * One load per origin at a time: concurrent requests to a new host share the same robots fetch.
 *
 * Policy when robots.txt cannot be read (RFC 9309 §2.3.1):
 * - 4xx (including 404): no rules, everything is allowed.
 * - 5xx, 429 or a network error: RFC 9309 tells crawlers to assume "disallow all". feedwright
 *   fetches one configured page per source on a schedule, not a crawl; treating a flaky robots.txt
 *   as "disallow" would silence sources whose robots.txt merely had a bad minute. So we allow,
 *   keep any previously fetched rules, and do not ask again for {@link UNAVAILABLE_TTL_MS}.
 */
import robotsParser from 'robots-parser';

/** How long fetched (or absent) rules are trusted. */
const ROBOTS_TTL_MS = 24 * 60 * 60 * 1000;
/** How long to wait before asking again after robots.txt could not be read. */
const UNAVAILABLE_TTL_MS = 60 * 60 * 1000;

/** The outcome of trying to download robots.txt. */
export type RobotsLoad =
  { kind: 'rules'; text: string } | { kind: 'none'; status: number } | { kind: 'unavailable'; detail: string };

/** Whether a URL may be fetched, and what robots.txt said. */
export interface RobotsVerdict {
  allowed: boolean;
  robotsUrl: string;
  /** robots.txt line of the matching rule, when one matched. */
  line?: number;
  /** `Crawl-delay` for our user agent, in milliseconds. */
  crawlDelayMs?: number;
}

/** Answers robots questions, loading each origin's robots.txt at most once per TTL. */
export interface RobotsCache {
  /** The verdict for `url`, loading the origin's rules first when they are not cached or have expired. */
  check(url: URL, userAgent: string, load: (robotsUrl: string) => Promise<RobotsLoad>): Promise<RobotsVerdict>;
  /** Origins currently cached. */
  size(): number;
}

/** Creates an empty cache using the given clock. */
export function createRobotsCache(now: () => number): RobotsCache {
  const entries = new Map<string, Entry>();

  const entryFor = (origin: string, load: (robotsUrl: string) => Promise<RobotsLoad>): Promise<Entry> => {
    const cached = entries.get(origin);
    if (cached && (cached.pending || cached.expiresAt > now())) return cached.pending ?? Promise.resolve(cached);
    const robotsUrl = `${origin}/robots.txt`;
    const pending = load(robotsUrl).then((outcome) => {
      const entry = buildEntry(robotsUrl, outcome, cached?.rules, now());
      entries.set(origin, entry);
      return entry;
    });
    // Until the load settles, concurrent callers wait on the same promise.
    entries.set(origin, { robotsUrl, expiresAt: 0, pending, rules: cached?.rules });
    pending.catch(() => entries.delete(origin));
    return pending;
  };

  return {
    async check(url, userAgent, load) {
      return judge(await entryFor(url.origin, load), url, userAgent);
    },
    size: () => entries.size,
  };
}

// --- Internal helpers ---

interface Robot {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getMatchingLineNumber(url: string, ua?: string): number;
  getCrawlDelay(ua?: string): number | undefined;
}

interface Entry {
  robotsUrl: string;
  rules?: Robot;
  expiresAt: number;
  pending?: Promise<Entry>;
  /**
   * Verdicts already given under these rules, by user agent and URL: sources ask about the same
   * URL on every run, and robots-parser parses the URL again for each of its three questions.
   */
  verdicts?: Map<string, RobotsVerdict>;
}

/** Verdicts remembered per origin; past this many distinct URLs, new ones are judged without being kept. */
const MAX_REMEMBERED_VERDICTS = 1_000;

/** robots-parser's typings do not resolve under NodeNext; this is its real signature. */
const parseRobots = robotsParser as unknown as (url: string, text: string) => Robot;

function buildEntry(robotsUrl: string, outcome: RobotsLoad, previous: Robot | undefined, at: number): Entry {
  if (outcome.kind === 'rules')
    return { robotsUrl, rules: parseRobots(robotsUrl, outcome.text), expiresAt: at + ROBOTS_TTL_MS };
  if (outcome.kind === 'none') return { robotsUrl, expiresAt: at + ROBOTS_TTL_MS };
  return { robotsUrl, rules: previous, expiresAt: at + UNAVAILABLE_TTL_MS };
}

function judge(entry: Entry, url: URL, userAgent: string): RobotsVerdict {
  const rules = entry.rules;
  if (!rules) return { allowed: true, robotsUrl: entry.robotsUrl };
  const key = `${userAgent}\n${url.href}`;
  const known = entry.verdicts?.get(key);
  if (known) return known;
  const verdict = judgeByRules(rules, entry.robotsUrl, url, userAgent);
  entry.verdicts ??= new Map();
  if (entry.verdicts.size < MAX_REMEMBERED_VERDICTS) entry.verdicts.set(key, verdict);
  return verdict;
}

function judgeByRules(rules: Robot, robotsUrl: string, url: URL, userAgent: string): RobotsVerdict {
  const allowed = rules.isAllowed(url.href, userAgent) !== false;
  const line = rules.getMatchingLineNumber(url.href, userAgent);
  const delaySeconds = rules.getCrawlDelay(userAgent);
  const crawlDelayMs =
    typeof delaySeconds === 'number' && Number.isFinite(delaySeconds) ? delaySeconds * 1000 : undefined;
  return { allowed, robotsUrl, line: line > 0 ? line : undefined, crawlDelayMs };
}
