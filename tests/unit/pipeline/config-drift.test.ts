import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../src/config/index.js';
import { announceWorker, describeDrift, hashConfig, readLiveWorkers } from '../../../src/pipeline/index.js';
import { createHealthReader } from '../../../src/serve/index.js';
import { openItemStore } from '../../../src/store/index.js';

const yaml = (extra: string) => `
sources:
  - id: a
    url: http://127.0.0.1:9/a/
    items: li${extra}
`;

describe('config drift between workers', () => {
  it('hashes what the worker does, not where the file was', () => {
    const one = parseConfigText(yaml(''), 'one.yaml').config;
    const moved = parseConfigText(yaml(''), 'elsewhere/two.yaml').config;
    const changed = parseConfigText(yaml('\n    title: h2'), 'one.yaml').config;
    expect(hashConfig(one)).toBe(hashConfig(moved));
    expect(hashConfig(one)).not.toBe(hashConfig(changed));
  });

  it('names the worker that runs a different config, forgets silent workers, and shows it in /healthz', async () => {
    const store = await openItemStore('memory://');
    const now = new Date('2026-11-30T10:00:00Z');
    await announceWorker(store, { worker: 'A', configHash: 'aaa', file: 'c.yaml', at: now.toISOString() }, 90_000, now);
    await announceWorker(store, { worker: 'B', configHash: 'bbb', file: 'c.yaml', at: now.toISOString() }, 90_000, now);
    const workers = await announceWorker(
      store,
      { worker: 'C', configHash: 'aaa', file: 'c.yaml', at: now.toISOString() },
      90_000,
      now,
    );
    expect(workers.map((w) => w.worker)).toEqual(['A', 'B', 'C']);
    const warnings = describeDrift(workers);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('worker B runs a different config');
    expect(describeDrift(workers, 'bbb').map((w) => w.slice(0, 8))).toEqual(['worker A', 'worker C']);
    const later = new Date(now.getTime() + 120_000);
    expect(await readLiveWorkers(store, 90_000, later)).toEqual([]);

    const config = parseConfigText(yaml(''), 'c.yaml').config;
    const health = await createHealthReader({
      sources: () => config.sources,
      readHealth: async () => [],
      warnings: async () => warnings,
    })();
    expect(health.warnings).toEqual(warnings);
    await store.close();
  });
});
