import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CachedZone } from '../../../src/time/cached-zone.js';

describe('CachedZone', () => {
  it.each([
    'America/New_York',
    'Europe/Berlin',
    'Australia/Lord_Howe',
    'Asia/Kathmandu',
    'Asia/Shanghai',
    'America/Sao_Paulo',
  ])('returns and formats exactly the IANA offset around every transition in %s', (name) => {
    const cached = new CachedZone(name);
    const plain = IANAZone.create(name);
    const hour = 3_600_000;
    // Find the transitions of 2019–2020 (day by day, then hour by hour inside a day whose offset
    // changes), then check every minute (plus odd seconds) around each, twice, so the second pass
    // answers from the cache.
    const day = 24 * hour;
    const transitions: number[] = [];
    for (let start = Date.UTC(2019, 0, 1); start < Date.UTC(2021, 0, 1); start += day) {
      if (plain.offset(start) === plain.offset(start + day)) continue;
      for (let ts = start; ts < start + day; ts += hour)
        if (plain.offset(ts) !== plain.offset(ts + hour)) transitions.push(ts);
    }
    if (name !== 'Asia/Shanghai' && name !== 'Asia/Kathmandu') expect(transitions.length).toBeGreaterThanOrEqual(1);
    const probes = [Date.UTC(2019, 5, 1, 12), Date.UTC(2020, 0, 15, 3, 7, 11)];
    for (const at of transitions) for (let ts = at - hour; ts <= at + 2 * hour; ts += 60_000 + 7_000) probes.push(ts);
    for (let pass = 0; pass < 2; pass += 1) {
      for (const ts of probes) {
        if (cached.offset(ts) !== plain.offset(ts))
          throw new Error(`${name} at ${new Date(ts).toISOString()}: ${cached.offset(ts)} ≠ ${plain.offset(ts)}`);
        for (const format of ['short', 'narrow', 'techie'] as const) {
          const [mine, theirs] = [cached.formatOffset(ts, format), plain.formatOffset(ts, format)];
          if (mine !== theirs)
            throw new Error(`${name} at ${new Date(ts).toISOString()} (${format}): ${mine} ≠ ${theirs}`);
        }
      }
    }
    expect(cached.equals(plain)).toBe(true);
    expect(cached.name).toBe(name);
  });

  it('is invalid for an unknown zone', () => {
    expect(new CachedZone('Mars/Olympus').isValid).toBe(false);
  });
});
