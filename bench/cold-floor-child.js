// The cold floor of bench/peer.bench.ts: a fresh process that only parses and selects the decoded peer
// pages, one pass, as the floor does (floor-select.js). Arguments: the folder of pages (0.html, 1.html,
// …), how many, `release` to empty each tree once selected, and milliseconds to sit idle before each
// page (a `run` at concurrency 1 waits that long for each answer; the thread sleeps, as it would in
// the event loop). Prints the rows found, and the process's CPU (user + system, all threads, from its
// start, as the cold `run` is measured) and peak RSS.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { parseAndSelect } from './floor-select.js';

const [dir = '', count = '0', mode = '', gap = '0'] = process.argv.slice(2);
const idleMs = Number(gap);
const cell = new Int32Array(new SharedArrayBuffer(4));
let rows = 0;
for (let page = 0; page < Number(count); page++) {
  if (idleMs > 0) Atomics.wait(cell, 0, 0, idleMs);
  rows += parseAndSelect(readFileSync(join(dir, `${page}.html`), 'utf8'), mode === 'release');
}
const used = process.cpuUsage();
process.stdout.write(
  JSON.stringify({ rows, cpuMs: (used.user + used.system) / 1000, maxRss: process.resourceUsage().maxRSS }),
);
