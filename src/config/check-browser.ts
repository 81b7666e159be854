/**
 * Config-time checks of the headless browser: sources that need Chromium on a machine without it
 * are warned about by `check` (the run itself fails them with the same hint), and `waitFor` without
 * a browser does nothing.
 */
import { INSTALL_CHROMIUM_HINT, locateChromium } from '../defaults/browser.js';
import type { SemanticProblem } from './check-semantics.js';
import type { RawConfig } from './schema.js';

/** Tells whether a path is an executable file (injectable for tests). */
export type ExecutableProbe = (path: string) => boolean;

/** Warnings about browser rendering: no Chromium for sources that need it, `waitFor` that is never used. */
export function checkBrowser(config: RawConfig, isExecutable?: ExecutableProbe): SemanticProblem[] {
  const problems: SemanticProblem[] = [];
  const needing = config.sources
    .map((source, index) => ({ index, mode: source.render ?? config.defaults.render ?? 'fetch' }))
    .filter(({ mode }) => mode !== 'fetch');
  config.sources.forEach((source, index) => {
    const mode = source.render ?? config.defaults.render ?? 'fetch';
    if (source.waitFor !== undefined && mode === 'fetch')
      problems.push(
        warning(['sources', index, 'waitFor'], 'waitFor only applies with `render: browser` or `render: auto`'),
      );
  });
  if (needing.length === 0) return problems;
  if (locateChromium(config.browser.executablePath, isExecutable) !== undefined) return problems;
  const first = needing[0]!;
  const path =
    config.browser.executablePath !== undefined
      ? ['browser', 'executablePath']
      : config.sources[first.index]?.render !== undefined
        ? ['sources', first.index, 'render']
        : ['defaults', 'render'];
  const where =
    config.browser.executablePath !== undefined
      ? `${config.browser.executablePath} is not an executable file`
      : 'no Chromium found (looked for /usr/bin/chromium, chromium-browser, google-chrome)';
  const ids = needing.map(({ index }) => config.sources[index]?.id ?? `sources[${index}]`);
  const listed = ids.length > 4 ? `${ids.slice(0, 4).join(', ')} and ${ids.length - 4} more` : ids.join(', ');
  const effect = needing.some(({ mode }) => mode === 'browser')
    ? 'sources with `render: browser` will fail, and `render: auto` ones cannot fall back to the browser'
    : 'sources with `render: auto` cannot fall back to the browser';
  problems.push(warning(path, `${where}; ${effect} (${listed}). ${INSTALL_CHROMIUM_HINT}`));
  return problems;
}

// --- Internal helpers ---

function warning(path: Array<string | number>, message: string): SemanticProblem {
  return { path, message, severity: 'warning' };
}
