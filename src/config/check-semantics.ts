/**
 * Cross-field checks the schema cannot express: unique ids, topic feeds naming known sources,
 * valid cron expressions, time zones, charsets, regexes and CSS selectors.
 */
import { createRequire } from 'node:module';
import { parse as parseCss, SelectorType, type Selector } from 'css-what';
import { IANAZone } from 'luxon';
import cron from 'node-cron';
import { compileLinearRegex, splitSlashPattern, UnsupportedPatternError } from '../linear-regex/index.js';
import { checkBrowser, type ExecutableProbe } from './check-browser.js';
import { parseFieldSelector, SELECTOR_FIELDS } from '../field-selector/parse-field-selector.js';
import { checkCronSteps } from './cron-fields.js';
import { normalizeCharset } from '../charset/charset-labels.js';
import { BUILT_IN_DEFAULTS } from './resolve-config.js';
import { describeSchedule } from '../time/describe-schedule.js';
import type { RawConfig, RawSource } from './schema.js';

/** A problem found by a semantic check; the loader adds file, line and column. */
export interface SemanticProblem {
  path: Array<string | number>;
  message: string;
  severity: 'error' | 'warning';
}

/** Runs every cross-field check and returns all problems found (`isExecutable` probes for Chromium). */
export function checkSemantics(config: RawConfig, isExecutable?: ExecutableProbe): SemanticProblem[] {
  return [
    ...checkBrowser(config, isExecutable),
    ...checkUniqueIds(config),
    ...checkTopicSources(config),
    ...checkSchedulesAndZones(config),
    ...checkEncodings(config),
    ...checkHostFrequency(config),
    ...config.sources.flatMap((source, index) => checkSourceSelectorsAndRules(source, index)),
    ...config.feeds.flatMap((feed, index) =>
      (['include', 'exclude'] as const).flatMap((key) =>
        feed[key].flatMap((word, wordIndex) => checkKeyword(word, ['feeds', index, key, wordIndex])),
      ),
    ),
  ];
}

// --- Internal helpers ---

function checkUniqueIds(config: RawConfig): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const seen = new Map<string, string>();
  config.sources.forEach((source, index) => {
    const first = seen.get(source.id.toLowerCase());
    if (first)
      problems.push(
        error(
          ['sources', index, 'id'],
          `duplicate id "${source.id}" (already used by ${first}); ids name output files and must be unique`,
        ),
      );
    else seen.set(source.id.toLowerCase(), `sources[${index}]`);
  });
  config.feeds.forEach((feed, index) => {
    const first = seen.get(feed.id.toLowerCase());
    if (first)
      problems.push(
        error(
          ['feeds', index, 'id'],
          `duplicate id "${feed.id}" (already used by ${first}); a topic feed and a source would write the same files`,
        ),
      );
    else seen.set(feed.id.toLowerCase(), `feeds[${index}]`);
  });
  return problems;
}

function checkTopicSources(config: RawConfig): SemanticProblem[] {
  const known = new Set(config.sources.map((source) => source.id).filter((id) => !id.startsWith('\u0000')));
  return config.feeds.flatMap((feed, feedIndex) =>
    feed.sources === 'all'
      ? []
      : feed.sources.flatMap((id, index) =>
          known.has(id)
            ? []
            : [
                error(
                  ['feeds', feedIndex, 'sources', index],
                  `unknown source "${id}"; expected one of: ${[...known].join(', ')}`,
                ),
              ],
        ),
  );
}

function checkSchedulesAndZones(config: RawConfig): SemanticProblem[] {
  const entries: Array<{ path: Array<string | number>; schedule?: string; timezone?: string }> = [
    { path: ['defaults'], schedule: config.defaults.schedule, timezone: config.defaults.timezone },
    ...config.sources.map((source, index) => ({
      path: ['sources', index],
      schedule: source.schedule,
      timezone: source.timezone,
    })),
  ];
  return entries.flatMap(({ path, schedule, timezone }) => {
    const problems: SemanticProblem[] = [];
    if (schedule !== undefined) {
      const result = cron.validateDetailed(schedule);
      const details = result.valid ? checkCronSteps(schedule) : result.errors.map((e) => `${e.field}: ${e.message}`);
      if (details.length > 0) {
        problems.push(
          error(
            [...path, 'schedule'],
            `invalid cron expression "${schedule}" (${details.join('; ')}); expected e.g. "*/30 * * * *"`,
          ),
        );
      }
    }
    if (timezone !== undefined && !isValidZone(timezone)) {
      problems.push(
        error(
          [...path, 'timezone'],
          `unknown time zone "${timezone}"; expected an IANA name such as Asia/Shanghai or Asia/Taipei`,
        ),
      );
    }
    return problems;
  });
}

/** `encoding:` must name a charset the fetch stage decodes; otherwise a run would only warn and detect. */
function checkEncodings(config: RawConfig): SemanticProblem[] {
  const entries = [
    { path: ['defaults', 'encoding'], encoding: config.defaults.encoding },
    ...config.sources.map((source, index) => ({ path: ['sources', index, 'encoding'], encoding: source.encoding })),
  ];
  return entries.flatMap(({ path, encoding }) =>
    encoding === undefined || normalizeCharset(encoding) !== undefined
      ? []
      : [error(path, `unknown charset "${encoding}"; expected a label such as gbk, gb18030, big5, shift_jis or utf-8`)],
  );
}

/**
 * Fetches per hour above which one host hears from feedwright more than once a minute on average.
 * Seven sections of one ministry site every 30 minutes (14 an hour) are polite; sixty sources on one
 * host every 30 minutes, or one source every 30 seconds, are not.
 */
export const MAX_HOST_FETCHES_PER_HOUR = 60;

/** Warns once per host whose sources together fire more than once a minute on average. */
function checkHostFrequency(config: RawConfig): SemanticProblem[] {
  const byHost = new Map<string, Array<{ index: number; intervalMs: number }>>();
  config.sources.forEach((source, index) => {
    const schedule = source.schedule ?? config.defaults.schedule ?? BUILT_IN_DEFAULTS.schedule;
    const intervalMs = describeSchedule(schedule).intervalMs;
    if (intervalMs === undefined) return; // an invalid expression is reported by checkSchedulesAndZones
    let host: string;
    try {
      host = new URL(source.url).host;
    } catch {
      return; // an invalid URL is reported by the schema
    }
    const entries = byHost.get(host) ?? [];
    entries.push({ index, intervalMs });
    byHost.set(host, entries);
  });
  const problems: SemanticProblem[] = [];
  for (const [host, entries] of byHost) {
    const firesPerHour = entries.reduce((sum, entry) => sum + 3_600_000 / entry.intervalMs, 0);
    if (firesPerHour <= MAX_HOST_FETCHES_PER_HOUR) continue;
    const perMinute = Math.round((firesPerHour / 60) * 10) / 10;
    const first = entries[0];
    if (first === undefined) continue;
    const path: Array<string | number> =
      config.sources[first.index]?.schedule === undefined
        ? ['sources', first.index, 'url']
        : ['sources', first.index, 'schedule'];
    const names = entries.map((entry) => config.sources[entry.index]?.id ?? `sources[${entry.index}]`);
    const listed = names.length > 4 ? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more` : names.join(', ');
    problems.push(
      warning(
        path,
        `${host} would be fetched about ${perMinute} times a minute on average by ${entries.length} source(s) (${listed}); ` +
          'more than once a minute per host is impolite to the site — widen their schedules',
      ),
    );
  }
  return problems;
}

function checkSourceSelectorsAndRules(source: RawSource, index: number): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  if (source.items !== undefined) problems.push(...checkCss(source.items, ['sources', index, 'items']));
  if (source.waitFor !== undefined) problems.push(...checkCss(source.waitFor, ['sources', index, 'waitFor']));
  for (const field of SELECTOR_FIELDS) {
    const value = source[field];
    const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
    list.forEach((spec, specIndex) => {
      const path = Array.isArray(value) ? ['sources', index, field, specIndex] : ['sources', index, field];
      const { css } = parseFieldSelector(spec);
      // `@attr` alone reads an attribute of the item block itself.
      if (css !== '') problems.push(...checkCss(css, path));
    });
  }
  (source.replace ?? []).forEach((rule, ruleIndex) => {
    const problem = checkPattern(rule.pattern, rule.flags, ['sources', index, 'replace', ruleIndex, 'pattern']);
    if (problem) problems.push(problem);
  });
  if (source.type === 'feed' && source.items !== undefined) {
    problems.push(warning(['sources', index, 'items'], 'selectors are ignored for a source of type feed'));
  }
  return problems;
}

function checkCss(css: string, path: Array<string | number>): SemanticProblem[] {
  // Most sources repeat the same few selectors: compile each distinct one once, on one empty document.
  let verdict = cssVerdicts.get(css);
  if (verdict === undefined) {
    verdict = isPlainSelector(css) ? '' : compileVerdict(css);
    if (cssVerdicts.size >= CSS_VERDICT_LIMIT) cssVerdicts.clear();
    cssVerdicts.set(css, verdict);
  }
  return verdict === '' ? [] : [error(path, `invalid CSS selector "${css}" (${verdict})`)];
}

const CSS_VERDICT_LIMIT = 1_000;
/** Selector → '' when it compiles, else the parser's message. */
const cssVerdicts = new Map<string, string>();

/** Token kinds every selector engine compiles: tags, `*`, attributes (`.class`, `#id`, `[a=b]`) and the four combinators. */
const COMBINATORS = new Set<Selector['type']>([
  SelectorType.Descendant,
  SelectorType.Child,
  SelectorType.Sibling,
  SelectorType.Adjacent,
]);
const PLAIN_TOKENS = new Set<Selector['type']>([
  SelectorType.Tag,
  SelectorType.Universal,
  SelectorType.Attribute,
  ...COMBINATORS,
]);

/**
 * Whether css-what parses `css` into plain tokens only, between combinators: css-select compiles every
 * such selector, so most configs' selectors (`ul.list li`, `a@href`, `span.date`) are settled without
 * loading the engine. Anything else (a pseudo-class, a namespace, a parse error) is compiled by it.
 */
function isPlainSelector(css: string): boolean {
  let groups: Selector[][];
  try {
    groups = parseCss(css);
  } catch {
    return false;
  }
  return (
    groups.length > 0 &&
    groups.every(
      (tokens) =>
        tokens.length > 0 &&
        tokens.every(
          (token, i) =>
            PLAIN_TOKENS.has(token.type) &&
            !('namespace' in token && token.namespace !== null) &&
            (!COMBINATORS.has(token.type) || (i > 0 && i < tokens.length - 1 && !COMBINATORS.has(tokens[i - 1]!.type))),
        ),
    )
  );
}

/**
 * The verdict of the engine cheerio selects with (cheerio-select over css-select) on an empty
 * document: the same as cheerio's, without loading cheerio's parser and DOM. Loaded on the first
 * selector that is not plain (synchronously: the config checks are synchronous).
 */
function compileVerdict(css: string): string {
  selectorEngine ??= {
    select: (requireModule('cheerio-select') as typeof import('cheerio-select')).select,
    document: new (requireModule('domhandler') as typeof import('domhandler')).Document([]),
  };
  try {
    selectorEngine.select(css, selectorEngine.document);
    return '';
  } catch (cause) {
    return (cause as Error).message;
  }
}

const requireModule = createRequire(import.meta.url);
let selectorEngine: { select: typeof import('cheerio-select').select; document: import('domhandler').Document } | undefined;

/**
 * Whether `zone` names a time zone, remembered per name (a config names a few zones, hundreds of
 * times). Canonical IANA names (Asia/Shanghai) are looked up in ICU's list, ~1 ms once; anything else
 * (aliases such as Asia/Calcutta, and typos) asks luxon, which builds an Intl.DateTimeFormat in the
 * zone (~70 µs a call): the first one loads ICU's zone data, ~20 ms of a `check` or a worker's
 * start-up that formats no date.
 */
function isValidZone(zone: string): boolean {
  let valid = zoneVerdicts.get(zone);
  if (valid === undefined) {
    canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
    valid = canonicalZones.has(zone) || IANAZone.isValidZone(zone);
    zoneVerdicts.set(zone, valid);
  }
  return valid;
}

const zoneVerdicts = new Map<string, boolean>();
let canonicalZones: Set<string> | undefined;

function checkKeyword(word: string, path: Array<string | number>): SemanticProblem[] {
  const regex = splitSlashPattern(word);
  const problem = regex && checkPattern(regex.source, regex.flags, path);
  return problem ? [problem] : [];
}

/** A user regex must compile, and run in the linear-time engine (no backreferences, no lookaround). */
function checkPattern(source: string, flags: string, path: Array<string | number>): SemanticProblem | undefined {
  try {
    compileLinearRegex(source, flags);
    return undefined;
  } catch (cause) {
    const shown = `/${source}/${flags}`;
    if (cause instanceof UnsupportedPatternError) {
      return error(
        path,
        `regular expression ${shown} cannot be used: ${cause.message}; patterns run in a linear-time engine so no page can freeze feedwright`,
      );
    }
    return error(path, `regular expression ${shown} does not compile (${(cause as Error).message})`);
  }
}

function error(path: Array<string | number>, message: string): SemanticProblem {
  return { path, message, severity: 'error' };
}

function warning(path: Array<string | number>, message: string): SemanticProblem {
  return { path, message, severity: 'warning' };
}
