/**
 * index.html: every feed with its newest headlines, subscribe links, when its source was checked,
 * its newest item, and its health in words a subscriber understands. Bilingual labels (Chinese
 * first, English after), static: no JavaScript, no external assets, absolute times in the site's zone
 * (a static page cannot say "5 min ago" truthfully for long).
 */
import type { SiteConfig, SourceHealth } from '../model.js';
import { isUnhealthy } from '../health/health-rules.js';
import { normalizeHttpUrl } from './feed-entry.js';
import { feedFileUrl, orderListings, type FeedListing, type ListedHeadline } from './feed-listing.js';
import { INDEX_PAGE_CSS } from './index-page-style.js';
import { feedFileNames } from './feed-file-names.js';
import { toSafeMarkup as h, toXmlSafeLine } from './safe-text.js';
import { formatZoneLabel } from './zone-dates.js';

/** Headlines shown per feed. */
export const INDEX_HEADLINES = 5;

/**
 * What a source's card shows of its health, and nothing else: the card is rendered from this, so
 * two healths with equal `shownHealth` render the same card (the site rebuild skips an index page
 * whose inputs did not change; the run time and counters move on every run and are not shown).
 */
export interface ShownHealth {
  label: { className: string; zh: string; en: string };
  failingSince?: string;
  /** Why the source is failing or degraded. */
  reason?: string;
  /** What the operator is told to do. */
  hint?: string;
  /** A note for a working source (e.g. unsure list detection). */
  note?: string;
}

/** The part of `health` the index page shows (see {@link ShownHealth}). */
export function shownHealth(health: SourceHealth): ShownHealth {
  const shown: ShownHealth = { label: STATUS_LABELS[health.status] };
  if (health.status === 'failing' && health.failingSince) shown.failingSince = health.failingSince;
  const reason =
    health.status === 'degraded'
      ? health.degradedReason
      : health.status === 'failing'
        ? health.lastError?.message
        : undefined;
  if (reason) shown.reason = reason;
  const hint = isUnhealthy(health) ? health.lastError?.hint : undefined;
  if (hint) shown.hint = hint;
  if (health.attention && !reason) shown.note = health.attention;
  return shown;
}

/** Options for {@link renderIndexPage}. */
export interface IndexPageOptions {
  /** IANA zone used to print times (default UTC); the page always prints the offset. */
  timeZone?: string;
}

/**
 * Renders the index page listing every feed and each source's health. `updatedAt` is the newest
 * item date across the feeds (not the clock), so the page only changes when its content does.
 */
export function renderIndexPage(
  site: SiteConfig,
  listings: FeedListing[],
  updatedAt: Date | undefined,
  options: IndexPageOptions = {},
): string {
  const zone = options.timeZone ?? 'UTC';
  const ordered = orderListings(listings);
  const sources = ordered.filter((l) => l.kind === 'source');
  const topics = ordered.filter((l) => l.kind === 'topic');
  const title = h(site.title);
  const alternates = ordered
    .map(
      (l) =>
        `<link rel="alternate" type="application/rss+xml" title="${h(l.title)}" href="${h(feedFileNames(l.id).rss)}">`,
    )
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
<footer><p>${updatedAt ? `最新条目 <span lang="en">Newest item</span> ${renderTime(updatedAt, zone)} · ` : ''}feedwright</p></footer>
</body>
</html>
`;
}

// --- Internal helpers ---

/** Health in a subscriber's words: a 304 and a fetched page are the same thing to them (the feed is current). */
const STATUS_LABELS: Record<SourceHealth['status'], { className: string; zh: string; en: string }> = {
  ok: { className: 'ok', zh: '正常更新', en: 'Working' },
  'not-modified': { className: 'ok', zh: '正常更新', en: 'Working' },
  degraded: { className: 'degraded', zh: '网页可能已改版，暂无新条目', en: 'The page changed; no new items for now' },
  failing: { className: 'failing', zh: '暂停更新', en: 'Not updating' },
  'never-run': { className: 'never-run', zh: '尚未检查', en: 'Not checked yet' },
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
  const rows: string[] = [];
  if (listing.kind === 'source')
    rows.push(row('上次检查', 'Checked', listing.checkedAt ? renderTime(listing.checkedAt, zone) : '—'));
  rows.push(row('最新条目', 'Newest item', listing.updated ? renderTime(listing.updated, zone) : '—'));
  rows.push(row('条目', 'Items', String(listing.itemCount)));
  const kind = listing.kind === 'source' ? '来源 Source' : '专题 Topic';
  const description =
    listing.description && toXmlSafeLine(listing.description) !== toXmlSafeLine(listing.title)
      ? listing.description
      : undefined;
  return `<li class="feed" id="feed-${h(listing.id)}" aria-label="${h(kind)}">
<h3><a href="${h(listing.homePageUrl)}">${h(listing.title)}</a></h3>
${description ? `<p class="desc">${h(description)}</p>\n` : ''}${listing.health ? renderHealth(listing.health, zone) : ''}${renderHeadlines(listing.headlines ?? [], zone)}<ul class="links">${links}</ul>
<dl>${rows.join('')}</dl>
</li>`;
}

function row(zh: string, en: string, valueHtml: string): string {
  return `<dt>${zh} <span class="en" lang="en">${en}</span></dt><dd>${valueHtml}</dd>`;
}

/** The status badge, and for a source in trouble what went wrong and what the operator is told to do. */
function renderHealth(health: SourceHealth, zone: string): string {
  const { label, failingSince, reason, hint, note } = shownHealth(health);
  const since = failingSince ? `，始于 <span lang="en">since</span> ${renderTime(new Date(failingSince), zone)}` : '';
  const badge = `<p class="health"><span class="status status-${label.className}">${label.zh} <span lang="en">${label.en}</span>${since}</span></p>\n`;
  const problem = reason ? `<p class="problem">原因 <span lang="en">Why</span>: ${h(reason)}</p>\n` : '';
  const advice = hint ? `<p class="problem">建议 <span lang="en">What to do</span>: ${h(hint)}</p>\n` : '';
  const noted = note ? `<p class="problem">注意 <span lang="en">Note</span>: ${h(note)}</p>\n` : '';
  return badge + problem + advice + noted;
}

function renderHeadlines(headlines: ListedHeadline[], zone: string): string {
  if (headlines.length === 0) return '';
  const rows = headlines.slice(0, INDEX_HEADLINES).map((headline) => {
    const link = normalizeHttpUrl(headline.link);
    const title = h(toXmlSafeLine(headline.title));
    const text = link ? `<a href="${h(link)}">${title}</a>` : title;
    return `<li>${text} ${renderDay(headline.published, zone)}</li>`;
  });
  return `<ol class="headlines">${rows.join('')}</ol>\n`;
}

function renderTime(date: Date, zone: string): string {
  const label = formatZoneLabel(date, zone, true);
  return label === undefined ? '—' : `<time datetime="${h(date.toISOString())}">${h(label)}</time>`;
}

function renderDay(date: Date, zone: string): string {
  const label = formatZoneLabel(date, zone, false);
  return label === undefined ? '' : `<time datetime="${h(date.toISOString())}">${h(label)}</time>`;
}
