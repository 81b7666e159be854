import { describe, expect, it } from 'vitest';
import { createOutageLog } from '../../../src/outage/outage-log.js';
import { createCapturingLogger } from '../../helpers/schedule-harness.js';

describe('createOutageLog', () => {
  it('logs an outage failing 50 times a minute once a minute, with the count, and the recovery once', () => {
    const { logger, records } = createCapturingLogger();
    let now = 0;
    const outage = createOutageLog(logger, { now: () => now });
    // Three minutes of an error every 1.2 s (50 a minute).
    for (now = 0; now < 180_000; now += 1_200) outage.failed({ store: 'redis' }, 'store: backend error (ECONNREFUSED)');
    expect(records.map((r) => [r.level, r.msg])).toEqual([
      [50, 'store: backend error (ECONNREFUSED)'],
      [50, 'store: backend error (ECONNREFUSED); 49 more like it since the last line'],
      [50, 'store: backend error (ECONNREFUSED); 49 more like it since the last line'],
    ]);
    expect(outage.isDown()).toBe(true);
    outage.recovered({}, (failures) => `store answers again after ${failures} errors`);
    outage.recovered({}, (failures) => `again ${failures}`);
    expect(records.at(-1)?.msg).toBe('store answers again after 150 errors');
    expect(records).toHaveLength(4);
    // The next outage is logged at once.
    outage.failed({}, 'down again');
    expect(records.at(-1)?.msg).toBe('down again');
  });

  it('logs at warn when asked and says nothing on recovery without a failure', () => {
    const { logger, records } = createCapturingLogger();
    const outage = createOutageLog(logger, { level: 'warn' });
    outage.recovered({}, () => 'never');
    outage.failed({}, 'coordinator connection error');
    expect(records.map((r) => [r.level, r.msg])).toEqual([[40, 'coordinator connection error']]);
  });
});
