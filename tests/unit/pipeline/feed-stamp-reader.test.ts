/** Servers' version checks: batched into one store read per turn of the event loop, reused only within the window. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedStampReader, stampToken } from '../../../src/pipeline/feed-stamp-reader.js';
import { openItemStore, type ItemStore } from '../../../src/store/index.js';

let store: ItemStore;
let reads: string[][];
const counting = () => ({
  readFeedStamps: (ids: readonly string[]) => (reads.push([...ids]), store.readFeedStamps(ids)),
});

beforeEach(async () => {
  store = await openItemStore('memory://');
  reads = [];
  await store.saveSourceState('a', { feedVersion: { n: 3, hash: 'x' } });
  await store.saveSourceState('b', { feedVersion: { n: 7, hash: 'y' }, pendingOutput: true });
});
afterEach(() => store.close());

describe('feed stamp reader', () => {
  it('reads the stamps asked for in one turn of the event loop with one store call', async () => {
    const reader = createFeedStampReader(counting(), 0);
    const answers = await Promise.all([reader.read(['a']), reader.read(['b', 'a']), reader.read(['c'])]);
    expect(answers.map((stamps) => stamps.map(stampToken))).toEqual([['3'], ['7p', '3'], ['0']]);
    expect(reads).toEqual([['a', 'b', 'c']]);
  });

  it('without a window reads the store on every check, so a new version is seen at once', async () => {
    const reader = createFeedStampReader(counting(), 0);
    expect((await reader.read(['a'])).map(stampToken)).toEqual(['3']);
    await store.saveSourceState('a', { feedVersion: { n: 4, hash: 'z' } });
    expect((await reader.read(['a'])).map(stampToken)).toEqual(['4']);
    expect(reads).toHaveLength(2);
  });

  it('within the window answers from the last read, and reads again once it has passed', async () => {
    const reader = createFeedStampReader(counting(), 40);
    await reader.read(['a']);
    await store.saveSourceState('a', { feedVersion: { n: 4, hash: 'z' } });
    expect((await reader.read(['a'])).map(stampToken)).toEqual(['3']);
    expect(reads).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await reader.read(['a'])).map(stampToken)).toEqual(['4']);
    // A stamp read with a source's content is newer than the window's: checks answer it.
    reader.note('a', { feedVersion: { n: 5, hash: 'w' }, pendingOutput: false });
    expect((await reader.read(['a'])).map(stampToken)).toEqual(['5']);
    // An older one (a content read answered late) does not replace it.
    reader.note('a', { feedVersion: { n: 4, hash: 'z' }, pendingOutput: false });
    expect((await reader.read(['a'])).map(stampToken)).toEqual(['5']);
    expect(reads).toHaveLength(2);
  });

  it('fails every check of a batch when the store does not answer', async () => {
    const reader = createFeedStampReader(
      { readFeedStamps: async () => Promise.reject(new Error('store: no answer within 3000 ms')) },
      0,
    );
    await expect(Promise.all([reader.read(['a']), reader.read(['b'])])).rejects.toThrow('no answer');
  });
});
