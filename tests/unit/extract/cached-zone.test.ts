import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CachedZone } from '../../../src/extract/date/cached-zone.js';

describe('CachedZone', () => {
  it.each(['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Asia/Shanghai', 'America/Sao_Paulo'])(
    'returns exactly the IANA offset around every transition in %s',
    (name) => {
      const cached = new CachedZone(name);
      const plain = IANAZone.create(name);
      // Every 7 minutes for two years around DST changes, visited twice so the second pass reads the cache.
      const start = Date.UTC(2019, 0, 1);
      const end = Date.UTC(2021, 0, 1);
      for (let pass = 0; pass < 2; pass += 1) {
        for (let ts = start + pass * 1000; ts < end; ts += 7 * 60 * 1000 + 13_000) {
          if (cached.offset(ts) !== plain.offset(ts)) throw new Error(`${name} at ${new Date(ts).toISOString()}: ${cached.offset(ts)} ≠ ${plain.offset(ts)}`);
        }
      }
      expect(cached.equals(plain)).toBe(true);
      expect(cached.name).toBe(name);
    },
  );

  it('is invalid for an unknown zone', () => {
    expect(new CachedZone('Mars/Olympus').isValid).toBe(false);
  });
});
