/**
 * A local "government notice board" for benchmarks, run in a CHILD process so its CPU is not
 * counted as the fetcher's (the child reports its own CPU on request).
 *
 * - `hosts` listeners on 127.0.0.1, one port per fake host (per-host limits apply per port).
 * - `lists` list pages: `/news/list-<i>.html` (query ignored) is served by port `i % hosts`;
 *   any other page path answers 404, `/robots.txt` answers 404 (the realistic case: no rules).
 * - Every response waits `latencyMs` before it is written (a slow upstream, not a slow server).
 * - Pages are realistic list pages: GBK (charset in the Content-Type header), gzip-compressed,
 *   `rows` headline rows like `生态环境部印发《…》` with a `<span class="date">` each; with the default
 *   420 rows a page is ~82 KB in GBK (~60,000 characters) and ~3 KB gzipped. `chromeChars` adds a
 *   portal's navigation and footer around a shorter list, the shape of real government boards.
 * - Validators: an ETag per page and version; `If-None-Match` with the current ETag → 304. Lists
 *   whose index is a multiple of `withoutEtagEvery` send no validators at all (such pages can
 *   only be recognised as unchanged by their body).
 * - Versions: `setVersion(v)` makes every page show `v` newer headlines at the top (the oldest
 *   ones scroll off, as on a real board); pages are rebuilt before the call returns, so no
 *   measured pass pays for page generation.
 *
 * Used by bench/fetch.bench.ts and bench/cycle.bench.ts: `startListSite(options)`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';

/** Shape of the site. */
export interface ListSiteOptions {
  hosts: number;
  lists: number;
  latencyMs: number;
  /** Headline rows per page (default 420, ~82 KB of GBK). */
  rows?: number;
  /**
   * Surround the list with a portal's chrome (channel navigation, related links, footer) of about
   * this many characters, as real notice boards have: 20–40 headlines inside ~60 KB of page.
   */
  chromeChars?: number;
  /** Lists whose index is a multiple of this send no ETag (default: every list sends one). */
  withoutEtagEvery?: number;
  /**
   * Give each host its own loopback address (127.0.0.1, 127.0.0.2, …, at most 250) instead of only
   * its own port on 127.0.0.1, so hosts differ by name as real sites do (Linux routes all of 127/8 locally).
   */
  distinctAddresses?: boolean;
  /** Lists whose index is odd are UTF-8 (charset in the Content-Type) instead of GBK (default: all GBK). */
  halfUtf8?: boolean;
  /**
   * Pages sized between these many bytes (as encoded, before gzip), list by list, by growing the
   * chrome (default: `chromeChars` for every page).
   */
  bytesRange?: [number, number];
}

/** Facts about the pages, for the benchmark's printout. */
export interface PageFacts {
  rows: number;
  /** GBK bytes and gzip bytes of list 0. */
  bytes: number;
  gzipBytes: number;
  chars: number;
}

/** Counters of the delays the server added. */
export interface ServedDelays {
  responses: number;
  totalMs: number;
}

/** A running site in its child process. */
export interface ListSite {
  ports: number[];
  /** The loopback address of each host (all 127.0.0.1 unless `distinctAddresses`). */
  addresses: string[];
  page: PageFacts;
  /** URL of list page `list`; `query` (without `?`) makes a distinct URL for the same page. */
  urlOf(list: number, query?: string): string;
  /** The child's CPU time so far (user + system), in ms. */
  cpuMs(): Promise<number>;
  /**
   * Responses answered so far and their summed delay (request seen → response written), in ms:
   * the latency the server really added, which timer granularity and the shared cores make a
   * little longer than `latencyMs`.
   */
  delays(): Promise<ServedDelays>;
  /** Switches every page to version `version` (pages show `version` newer headlines); resolves when rebuilt. */
  setVersion(version: number): Promise<void>;
  close(): void;
}

/**
 * One source entry of a generated feedwright.yaml for a page of this site, as YAML lines: the
 * selectors that match the markup `buildListPage` writes (`ul.list li`, its link and its date span).
 */
export function listSourceYaml(source: { id: string; url: string; name?: string }): string[] {
  return [
    `  - id: ${source.id}`,
    ...(source.name === undefined ? [] : [`    name: ${source.name}`]),
    `    url: ${source.url}`,
    '    items: ul.list li',
    '    title: a',
    '    link: a@href',
    '    date: span.date',
  ];
}

/** Starts the site in a child process and resolves once every port listens. */
export async function startListSite(options: ListSiteOptions): Promise<ListSite> {
  const child = fork(fileURLToPath(import.meta.url), [CHILD_FLAG, JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<ReadyMessage>((resolve, reject) => {
    child.once('message', (message) => resolve(message as ReadyMessage));
    child.once('exit', (code) => reject(new Error(`list-site server exited early (${code})`)));
  });
  const { ports, addresses, page } = ready;
  return {
    ports,
    addresses,
    page,
    urlOf: (list, query) =>
      `http://${addresses[list % ports.length]}:${ports[list % ports.length]}/news/list-${list}.html${query ? `?${query}` : ''}`,
    cpuMs: () => ask<{ cpuMs: number }>(child, { type: 'cpu' }).then((answer) => answer.cpuMs),
    delays: () => ask<ServedDelays>(child, { type: 'delays' }),
    setVersion: (version) => ask(child, { type: 'version', version }).then(() => undefined),
    close: () => void child.kill(),
  };
}

// --- Internal helpers ---

const CHILD_FLAG = '--list-site-child';
const DEFAULT_ROWS = 420;

interface ReadyMessage {
  ports: number[];
  addresses: string[];
  page: PageFacts;
}

type Command = { type: 'cpu' } | { type: 'delays' } | { type: 'version'; version: number };

interface ServedPage {
  gzip: Buffer;
  charset: string;
  etag?: string;
}

if (process.argv[2] === CHILD_FLAG) await runChild(JSON.parse(process.argv[3] ?? '{}') as ListSiteOptions);

/** One question at a time per call site; answers come back in order over the IPC channel. */
function ask<T>(child: ChildProcess, command: Command): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(message as T));
    child.send(command);
  });
}

async function runChild(options: ListSiteOptions): Promise<void> {
  const rows = options.rows ?? DEFAULT_ROWS;
  let pages = buildPages(options, rows, 0);
  const ports: number[] = [];
  const addresses: string[] = [];
  const delays: ServedDelays = { responses: 0, totalMs: 0 };
  const answerLater = (req: IncomingMessage, res: ServerResponse): void => {
    const seenAt = performance.now();
    setTimeout(() => {
      answer(req, res, pages);
      delays.responses += 1;
      delays.totalMs += performance.now() - seenAt;
    }, options.latencyMs);
  };
  for (let host = 0; host < options.hosts; host += 1) {
    const server = createServer(answerLater);
    server.keepAliveTimeout = 30_000;
    if (options.distinctAddresses && host >= 250)
      throw new Error('list-site: at most 250 hosts with distinct addresses');
    const address = options.distinctAddresses ? `127.0.0.${host + 1}` : '127.0.0.1';
    await new Promise<void>((resolve) => server.listen(0, address, resolve));
    ports.push((server.address() as AddressInfo).port);
    addresses.push(address);
  }
  const text = buildListPage(0, 0, rows, options.chromeChars ?? 0);
  const page: PageFacts = {
    rows,
    bytes: iconv.encode(text, 'gbk').length,
    gzipBytes: pages[0]?.gzip.length ?? 0,
    chars: text.length,
  };
  process.send?.({ ports, addresses, page } satisfies ReadyMessage);
  process.on('message', (message: Command) => {
    if (message.type === 'version') {
      pages = buildPages(options, rows, message.version);
      process.send?.({ done: true });
      return;
    }
    if (message.type === 'delays') {
      process.send?.(delays satisfies ServedDelays);
      return;
    }
    const used = process.cpuUsage();
    process.send?.({ cpuMs: (used.user + used.system) / 1000 });
  });
  process.on('disconnect', () => process.exit(0));
}

function buildPages(options: ListSiteOptions, rows: number, version: number): ServedPage[] {
  return Array.from({ length: options.lists }, (_, list) => {
    const charset = options.halfUtf8 && list % 2 === 1 ? 'utf-8' : 'gbk';
    const gzip = gzipSync(encodePage(options, list, version, rows, charset));
    const withEtag = !options.withoutEtagEvery || list % options.withoutEtagEvery !== 0;
    return { gzip, charset, etag: withEtag ? `"list-${list}-v${version}"` : undefined };
  });
}

function answer(req: IncomingMessage, res: ServerResponse, pages: ServedPage[]): void {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const list = /^\/news\/list-(\d+)\.html$/.exec(path)?.[1];
  const page = list === undefined ? undefined : pages[Number(list)];
  if (!page) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    return;
  }
  if (page.etag && req.headers['if-none-match'] === page.etag) {
    res.writeHead(304, { etag: page.etag }).end();
    return;
  }
  const contentType = `text/html; charset=${page.charset === 'gbk' ? 'GBK' : 'utf-8'}`;
  const headers: Record<string, string | number> = {
    'content-type': contentType,
    'content-encoding': 'gzip',
    'content-length': page.gzip.length,
  };
  if (page.etag) headers.etag = page.etag;
  res.writeHead(200, headers);
  res.end(page.gzip);
}

/** A list page in its charset; with `bytesRange`, its chrome grown until the page has its target size. */
function encodePage(options: ListSiteOptions, list: number, version: number, rows: number, charset: string): Buffer {
  const encode = (chromeChars: number) => iconv.encode(buildListPage(list, version, rows, chromeChars), charset);
  if (!options.bytesRange) return encode(options.chromeChars ?? 0);
  const [min, max] = options.bytesRange;
  const target = min + ((list * 7_919) % Math.max(1, max - min));
  let chromeChars = target / 2.5;
  let page = encode(chromeChars);
  for (let round = 0; round < 3 && Math.abs(page.length - target) > target * 0.03; round++) {
    chromeChars = Math.max(0, chromeChars + (target - page.length) / (charset === 'gbk' ? 1.6 : 2.1));
    page = encode(chromeChars);
  }
  return page;
}

/**
 * A government-style notice list, newest first: headline numbers `version + rows - 1` down to
 * `version`, so each new version adds headlines at the top and drops the oldest.
 */
function buildListPage(list: number, version: number, rows: number, chromeChars: number): string {
  const topics = [
    '大气污染防治',
    '水生态环境保护',
    '土壤污染风险管控',
    '固体废物与化学品',
    '自然生态保护',
    '核与辐射安全',
  ];
  const lines: string[] = [];
  for (let n = version + rows - 1; n >= version; n -= 1) {
    const topic = topics[n % topics.length] ?? '';
    const title = `生态环境部印发《关于进一步加强${topic}工作的通知》`;
    lines.push(
      `<li><a href="/xxgk/${list}/${n}.html" title="${title}">${title}</a><span class="date">${dateOf(n)}</span></li>`,
    );
  }
  const [header, footer] = chromeChars > 0 ? buildChrome(list, chromeChars) : ['', ''];
  return `<!DOCTYPE html><html><head><title>生态环境部 要闻动态 ${list}</title></head><body>${header}<ul class="list">${lines.join('\n')}</ul>${footer}</body></html>`;
}

/** Channel navigation (before the list) and related links plus footer (after it), about `chars` characters in all. */
function buildChrome(list: number, chars: number): [string, string] {
  const channels = [
    '要闻动态',
    '通知公告',
    '政策文件',
    '法律法规',
    '环境标准',
    '规划计划',
    '行政审批',
    '督察执法',
    '监测信息',
    '机构设置',
  ];
  const nav: string[] = [];
  const related: string[] = [];
  for (let k = 0; nav.join('').length + related.join('').length < chars; k += 1) {
    const channel = channels[k % channels.length] ?? '';
    nav.push(`<li class="nav-item"><a href="/channel/${k}/index.shtml" target="_blank">${channel}（${k}）</a></li>`);
    related.push(`<li><a href="/zhuanti/${list}/${k}/">${channel}专题：生态环境保护督察工作进展情况通报</a></li>`);
  }
  const footer =
    '<div class="footer"><p>主办单位：生态环境部 地址：北京市东城区东安门大街 邮编：100006</p><p>版权所有 京ICP备05009132号</p></div>';
  return [
    `<div class="header"><ul class="nav">${nav.join('')}</ul></div>`,
    `<div class="side"><ul class="related">${related.join('')}</ul></div>${footer}`,
  ];
}

/** Headline n's date: two headlines a day from 2019-01-01 on (always in the past). */
function dateOf(n: number): string {
  return new Date(Date.UTC(2019, 0, 1) + Math.floor(n / 2) * 86_400_000).toISOString().slice(0, 10);
}
