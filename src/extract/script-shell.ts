/**
 * A page whose list is built by script: the HTML a plain fetch gets is a shell (an empty mount
 * point, next to no text) plus scripts that load the rows from a JSON endpoint. Only consulted when a
 * page yields no items or only an uncertain automatic list, to decide whether a browser could do
 * better (`render: auto`).
 */

/** Why the body looks like a script-built shell, or undefined when it does not. */
export function describeScriptShell(body: string): string | undefined {
  const scripts = [...body.matchAll(SCRIPT_BLOCK)];
  if (scripts.length === 0) return undefined;
  const inline = scripts.map((match) => match[2] ?? '').join('\n');
  if (DATA_LOADING.test(inline)) return 'an inline script loads data (fetch, XMLHttpRequest, $.ajax, axios)';
  if (EMPTY_MOUNT.test(body)) return 'an empty mount point (#app, #root, …) filled by script';
  const external = scripts.filter((match) => /\bsrc\s*=/i.test(match[1] ?? '')).length;
  if (external > 0 && visibleTextLength(body) < SHELL_TEXT_CHARS)
    return `next to no text besides ${external} external script(s)`;
  return undefined;
}

// --- Internal helpers ---

/** Below this much visible text, a page with external scripts is a shell. */
const SHELL_TEXT_CHARS = 200;

const SCRIPT_BLOCK = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/** Calls that fetch data from a script (the usual ways lists are filled). */
const DATA_LOADING =
  /\bfetch\s*\(|\bXMLHttpRequest\b|\$\.(?:ajax|get|getJSON|post)\s*\(|\baxios\b|\.load\s*\(\s*['"][^'"]+\.(?:json|do|action)/;

/** A single-page-app mount point left empty in the HTML. */
const EMPTY_MOUNT = /<div\b[^>]*\bid\s*=\s*["']?(?:app|root|__next|__nuxt|main-app)["']?[^>]*>\s*<\/div>/i;

function visibleTextLength(body: string): number {
  return body
    .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ')
    .replace(/\s+/g, '').length;
}
