/** A config that sets nothing gets exactly the values in defaults/, whichever stage fills them in. */
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import { DEFAULT_BROWSER_CONFIG } from '../../../src/defaults/browser.js';
import {
  BUILT_IN_DEFAULTS,
  DEFAULT_OUTPUT_DIR,
  DEFAULT_SITE_TITLE,
  DEFAULT_STORE_URL,
  DEFAULT_WORKER_CONFIG,
} from '../../../src/defaults/config-defaults.js';
import { DEFAULT_FETCH_POLICY } from '../../../src/defaults/fetch-policy.js';

describe('built-in defaults', () => {
  it('fill every block and source field a minimal config leaves out', () => {
    const { config } = parseConfigText('sources:\n  - id: mee\n    url: https://www.mee.gov.cn/\n', 'minimal.yaml');
    expect(config.site.title).toBe(DEFAULT_SITE_TITLE);
    expect(config.site.timezone).toBe(BUILT_IN_DEFAULTS.timezone);
    expect(config.store).toBe(DEFAULT_STORE_URL);
    expect(config.output).toBe(DEFAULT_OUTPUT_DIR);
    expect(config.worker).toEqual(DEFAULT_WORKER_CONFIG);
    expect({ ...config.browser, executablePath: undefined }).toEqual({ ...DEFAULT_BROWSER_CONFIG, executablePath: undefined });
    const [source] = config.sources;
    expect(source?.schedule).toBe(BUILT_IN_DEFAULTS.schedule);
    expect(source?.maxItems).toBe(BUILT_IN_DEFAULTS.maxItems);
    expect(source?.historySize).toBe(BUILT_IN_DEFAULTS.historySize);
    expect(source?.retainDays).toBe(BUILT_IN_DEFAULTS.retainDays);
    expect(source?.fetch).toEqual(DEFAULT_FETCH_POLICY);
  });
});
