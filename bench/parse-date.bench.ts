/**
 * parseDate speed, moved here from the unit tests (a timed assertion there fails on a loaded
 * machine): long adversarial inputs, each of which would take seconds with catastrophic regex
 * backtracking, and the 20,000-string fuzz corpus. Exits 1 when an adversarial input takes over
 * 1 s or the corpus over 15 s, the bounds the tests used to assert.
 * Run with `npm run bench -- parse-date`.
 */
import { parseDate } from '../src/extract/index.js';
import { ADVERSARIAL_DATE_INPUTS } from '../tests/helpers/adversarial-dates.js';
import { createRandom } from '../tests/helpers/seeded-random.js';

const now = new Date('2026-01-05T02:00:00Z');
let failed = false;
console.log('parse-date.bench: adversarial inputs (bound 1000 ms each)');
for (const text of ADVERSARIAL_DATE_INPUTS) {
  const started = performance.now();
  parseDate(text, { timezone: 'Asia/Shanghai', now });
  const ms = performance.now() - started;
  failed ||= ms > 1_000;
  console.log(`  ${JSON.stringify(text.slice(0, 12))}… (${text.length} chars): ${ms.toFixed(2)} ms`);
}
const random = createRandom(20190827);
const pieces = [
  '2019',
  '08',
  '27',
  '-',
  '/',
  ':',
  ' ',
  '年',
  '月',
  '日',
  '小时',
  '前',
  '昨天',
  'Aug',
  'GMT',
  '+08:00',
  '1566873600',
];
const corpus = Array.from({ length: 20_000 }, () =>
  Array.from({ length: Math.floor(random() * 14) }, () => pieces[Math.floor(random() * pieces.length)]).join(''),
);
const started = performance.now();
for (const text of corpus) parseDate(text, { timezone: 'Asia/Shanghai', now });
const corpusMs = performance.now() - started;
failed ||= corpusMs > 15_000;
console.log(
  `parse-date.bench: 20,000 date-like strings in ${corpusMs.toFixed(0)} ms (bound 15000 ms), ${((corpusMs * 1000) / corpus.length).toFixed(1)} µs each`,
);
process.exitCode = failed ? 1 : 0;
