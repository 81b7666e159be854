/**
 * index.html: every feed with its subscribe links, last update, item count and source health.
 * Bilingual labels (Chinese first, English after), no JavaScript, no external assets.
 */
import { DateTime } from 'luxon';
import type { SiteConfig, SourceHealth } from '../model.js';
import { feedFileUrl, orderListings, type FeedListing } from './feed-listing.js';
import { INDEX_PAGE_CSS } from './index-page-style.js';
import { feedFileNames } from './render-feed.js';
import { toSafeMarkup as h } from './safe-text.js';

/** Options for {@link renderIndexPage}. */
export interface IndexPageOptions {
  /** IANA zone used to print times (default UTC); the page always prints the offset. */
  timeZone?: string;
}

/**
 * Renders the index page listing every feed and each source's health. `updatedAt` is the newest
 * item date across the feeds (not the clock), so the page only changes when its content does.
 */
export function renderIndexPage(site: SiteConfig, listings: FeedListing[], updatedAt: Date | undefined, options: IndexPageOptions = {}): string {
  const zone = options.timeZone ?? 'UTC';
  const ordered = orderListings(listings);
  const sources = ordered.filter((l) => l.kind === 'source');
  const topics = ordered.filter((l) => l.kind === 'topic');
  const title = h(site.title);
  const alternates = ordered
    .map((l) => `<link rel="alternate" type="application/rss+xml" title="${h(l.title)}" href="${h(feedFileNames(l.id).rss)}">`)
    .join('\n');
  return `<!DOCTYPE html>
<html lang="${h(site.language ?? 'zh')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
${alternates}
<style>${INDEX_PAGE_CSS}</style>
</head>
<body>
<header>
<h1>${title}</h1>
${site.description ? `<p>${h(site.description)}</p>\n` : ''}<p>${ordered.length} 个订阅源 <span class="en" lang="en">feeds</span></p>
<a class="subscribe-all" href="feeds.opml">一键导入全部 (OPML) <span class="en" lang="en">Import all feeds</span></a>
</header>
<main>
${renderSection('来源', 'Sources', sources, site, zone)}${renderSection('专题', 'Topic feeds', topics, site, zone)}</main>
<footer><p>${updatedAt ? `最近更新 <span lang="en">Latest item</span> ${renderTime(updatedAt, zone)} · ` : ''}feedwright</p></footer>
</body>
</html>
`;
}

// --- Internal helpers ---

const STATUS_LABELS: Record<SourceHealth['status'], [string, string]> = {
  ok: ['正常', 'OK'],
  'not-modified': ['未变化', 'Not modified'],
  degraded: ['异常', 'Degraded'],
  failing: ['失败', 'Failing'],
  'never-run': ['尚未运行', 'Not run yet'],
};

function renderSection(zh: string, en: string, listings: FeedListing[], site: SiteConfig, zone: string): string {
  if (listings.length === 0) return '';
  const cards = listings.map((listing) => renderCard(listing, site, zone)).join('\n');
  return `<section>
<h2>${zh} <span class="en" lang="en">${en}</span></h2>
<ul class="feeds">
${cards}
</ul>
</section>
`;
}

function renderCard(listing: FeedListing, site: SiteConfig, zone: string): string {
  const names = feedFileNames(listing.id);
  const links = [
    ['RSS', names.rss],
    ['Atom', names.atom],
    ['JSON Feed', names.json],
  ]
    .map(([label, file]) => `<li><a href="${h(feedFileUrl(site.url, file ?? ''))}">${label}</a></li>`)
    .join('');
  const rows = [
    row('最后更新', 'Last update', listing.updated ? renderTime(listing.updated, zone) : '—'),
    row('条目', 'Items', String(listing.itemCount)),
  ];
  if (listing.health) rows.push(row('状态', 'Status', renderStatus(listing.health, zone)));
  const kind = listing.kind === 'source' ? '来源 Source' : '专题 Topic';
  return `<li class="feed" id="feed-${h(listing.id)}" aria-label="${h(kind)}">
<h3><a href="${h(listing.homePageUrl)}">${h(listing.title)}</a></h3>
${listing.description ? `<p class="desc">${h(listing.description)}</p>\n` : ''}<ul class="links">${links}</ul>
<dl>${rows.join('')}</dl>
${renderProblem(listing.health)}</li>`;
}

function row(zh: string, en: string, valueHtml: string): string {
  return `<dt>${zh} <span class="en" lang="en">${en}</span></dt><dd>${valueHtml}</dd>`;
}

function renderStatus(health: SourceHealth, zone: string): string {
  const [zh, en] = STATUS_LABELS[health.status];
  let label = `${zh} <span lang="en">${en}</span>`;
  if (health.status === 'failing' && health.failingSince) {
    label = `${zh}，始于 <span lang="en">${en} since</span> ${renderTime(new Date(health.failingSince), zone)}`;
  }
  return `<span class="status status-${health.status}">${label}</span>`;
}

function renderProblem(health: SourceHealth | undefined): string {
  if (!health) return '';
  const text =
    health.status === 'degraded'
      ? health.degradedReason
      : health.status === 'failing'
        ? [health.lastError?.message, health.lastError?.hint].filter(Boolean).join(' — ')
        : undefined;
  return text ? `<p class="problem">${h(text)}</p>\n` : '';
}

function renderTime(date: Date, zone: string): string {
  const local = DateTime.fromJSDate(date, { zone });
  if (!local.isValid || Number.isNaN(date.getTime())) return '—';
  return `<time datetime="${h(date.toISOString())}">${h(local.toFormat("yyyy-MM-dd HH:mm 'UTC'ZZ"))}</time>`;
}
