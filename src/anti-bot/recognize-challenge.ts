/**
 * Anti-bot firewalls that answer automated clients with a JavaScript challenge (a script stub that
 * sets a cookie and reloads once a browser has run it) instead of the page. A plain fetch does not run
 * JavaScript, so such answers are named for what they are: by the fetch stage when they come with
 * an error status, by the extract stage when they come with 200 in place of the page. With
 * `render: browser` or `auto` the pipeline hands such a page to headless Chromium instead.
 */

/** What to do about a challenge, for the operator. */
export const CHALLENGE_HINT =
  'The site shows automated clients a JavaScript challenge instead of the page, and a plain fetch does not run JavaScript (retrying will not help). Set `render: auto` (or `browser`) on this source to pass it in headless Chromium, or look for an RSS feed, an API or a mobile version of this list and use that URL.';

/** The vendor whose challenge stub this text is (`瑞数 (Ruishu)`, …), or undefined. */
export function recognizeChallengeText(text: string): string | undefined {
  return CHALLENGE_MARKERS.find(([, marker]) => marker.test(text))?.[0];
}

// --- Internal helpers ---

/** Each vendor's stub, by a marker its challenge script always carries. */
const CHALLENGE_MARKERS: ReadonlyArray<readonly [vendor: string, marker: RegExp]> = [
  ['瑞数 (Ruishu)', /\$_ts\s*=\s*window\[\s*['"]\$_ts['"]\s*\]/],
  ['加速乐 (Jiasule)', /__jsl_clearance/],
  ['Aliyun WAF', /acw_sc__v2/],
  ['Cloudflare', /<title>\s*Just a moment\.\.\.\s*<\/title>|\/cdn-cgi\/challenge-platform\//],
];
