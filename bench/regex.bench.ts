/**
 * User-regex benchmark: V8's backtracking RegExp against the linear-time engine feedwright runs user
 * patterns in (`src/linear-regex/`, re2js), on the titles of the auto-detection fixtures — compile
 * cost per pattern (uncached), test and replace cost per title, and `/^(a+)+$/` on 40 `a` + `!`,
 * which V8 does not finish (not run for V8). Run with `npx tsx bench/regex.bench.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { compileLinearRegex } from '../src/linear-regex/index.js';
import { cpuTime } from './measure.js';

const PATTERNS: Array<[string, string]> = [
  ['PM2\\.5|臭氧|大气', 'i'],
  ['\\bair (quality|pollution)\\b', 'i'],
  ['(\\d{4})年(\\d{1,2})月', 'g'],
  ['^关于.*通知$', ''],
  ['([\\u3400-\\u9fff])[(（]([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*)[)）]', 'gu'],
];
const ROUNDS = 20;

interface Engine {
  test(text: string): boolean;
  replace(text: string): string;
}

const fixtures = new URL('../tests/fixtures/auto/', import.meta.url);
const titles = readdirSync(fixtures).flatMap((name) => {
  const expected = JSON.parse(readFileSync(new URL(`${name}/expected.json`, fixtures), 'utf8')) as {
    items?: Array<{ title?: string }>;
  };
  return (expected.items ?? []).flatMap((item) => (item.title ? [item.title] : []));
});

const engines: Record<string, (source: string, flags: string) => Engine> = {
  'V8 RegExp': (source, flags) => {
    const re = new RegExp(source, flags);
    const tester = new RegExp(source, flags.replace('g', ''));
    return { test: (text) => tester.test(text), replace: (text) => text.replace(re, '[$1]') };
  },
  'linear (re2js)': (source, flags) => {
    const re = compileLinearRegex(source, flags);
    return { test: (text) => re.test(text), replace: (text) => re.replace(text, '[$1]') };
  },
};

process.stdout.write(`${titles.length} titles, ${PATTERNS.length} patterns, ${ROUNDS} rounds\n`);
for (const [name, build] of Object.entries(engines)) {
  // Each compile gets a pattern not seen before, so the linear engine's cache does not hide the cost.
  let unique = 0;
  const compileMs =
    cpuTime(() => {
      for (let round = 0; round < 50; round += 1)
        for (const [source, flags] of PATTERNS) build(`${source}|#${unique++}#`, flags);
    }) /
    (50 * PATTERNS.length);
  const compiled = PATTERNS.map(([source, flags]) => build(source, flags));
  for (const engine of compiled) for (const title of titles) engine.replace(title);
  const perTitle = (fn: (engine: Engine, title: string) => unknown) =>
    (cpuTime(() => {
      for (let round = 0; round < ROUNDS; round += 1)
        for (const engine of compiled) for (const title of titles) fn(engine, title);
    }) *
      1000) /
    (ROUNDS * compiled.length * titles.length);
  const testUs = perTitle((engine, title) => engine.test(title));
  const replaceUs = perTitle((engine, title) => engine.replace(title));
  const evil =
    name === 'V8 RegExp'
      ? 'never finishes'
      : `${cpuTime(() => build('^(a+)+$', 'gu').replace(`${'a'.repeat(40)}!`)).toFixed(2)}ms`;
  process.stdout.write(
    `${name.padEnd(16)} compile ${(compileMs * 1000).toFixed(1).padStart(7)}µs/pattern  test ${testUs.toFixed(2).padStart(5)}µs/title` +
      `  replace ${replaceUs.toFixed(2).padStart(5)}µs/title  /^(a+)+$/ on 40a!: ${evil}\n`,
  );
}
