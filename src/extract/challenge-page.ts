/**
 * Anti-bot interstitials served with status 200 in place of the page: a script stub that sets a
 * cookie and reloads once a browser has run it. feedwright does not run JavaScript, so such a
 * response is named for what it is instead of being reported as a page whose layout changed.
 * Only consulted when a page yields nothing, so it costs nothing on pages that work.
 */
import { ExtractError } from './extract-error.js';

/** The error for a challenge page, or undefined when the body is not one. */
export function challengePageError(body: string, sourceId: string): ExtractError | undefined {
  const vendor = CHALLENGE_MARKERS.find(([, marker]) => marker.test(body))?.[0];
  if (!vendor) return undefined;
  return new ExtractError('EXTRACT_CHALLENGE', sourceId, 'the site answered with an anti-bot JavaScript challenge instead of the page', vendor, {
    hint: 'feedwright does not run JavaScript, so it cannot pass this check. Look for an RSS feed, an API or a mobile version of this list and use that URL.',
  });
}

// --- Internal helpers ---

/** Each vendor's stub, by a marker its challenge script always carries. */
const CHALLENGE_MARKERS: ReadonlyArray<readonly [vendor: string, marker: RegExp]> = [
  ['瑞数 (Ruishu)', /\$_ts\s*=\s*window\[\s*['"]\$_ts['"]\s*\]/],
  ['加速乐 (Jiasule)', /__jsl_clearance/],
  ['Aliyun WAF', /acw_sc__v2/],
  ['Cloudflare', /<title>\s*Just a moment\.\.\.\s*<\/title>|\/cdn-cgi\/challenge-platform\//],
];
