import { describe, expect, it } from 'vitest';
import { OutputError, selectTopicItems } from '../../../src/feed/index.js';
import type { StoredItem, TopicFeedConfig } from '../../../src/model.js';
import { storedItem } from './fixtures.js';

function topic(overrides: Partial<TopicFeedConfig> = {}): TopicFeedConfig {
  return {
    id: 'air',
    title: '大气',
    sources: 'all',
    include: [],
    exclude: [],
    match: ['title'],
    maxItems: 50,
    ...overrides,
  };
}

function histories(entries: Record<string, StoredItem[]>): Map<string, StoredItem[]> {
  return new Map(Object.entries(entries));
}

const mee = [
  storedItem(1, 1, { title: '重污染天气应急预案发布' }),
  storedItem(2, 2, { title: 'PM2.5 浓度同比下降', summary: '大气环境质量' }),
  storedItem(3, 3, { title: '水源地保护招标公告' }),
  storedItem(4, 4, { title: 'Ozone levels rising', summary: '<p>臭氧 and 大气</p>', summaryIsHtml: true }),
];
const other = [
  storedItem(11, 0.5, { sourceId: 'other', title: '大气污染防治招标' }),
  storedItem(12, 6, { sourceId: 'other', title: 'unrelated' }),
];

describe('selectTopicItems', () => {
  it('keeps items matching an include word and no exclude word, newest first', () => {
    const picked = selectTopicItems(
      topic({ include: ['大气', 'pm2.5', '重污染天气'], exclude: ['招标'] }),
      histories({ mee, other }),
    );
    expect(picked.map((i) => i.title)).toEqual(['重污染天气应急预案发布', 'PM2.5 浓度同比下降']);
  });

  it('matches words case-insensitively and full-width forms via NFKC', () => {
    const picked = selectTopicItems(topic({ include: ['ＯＺＯＮＥ'] }), histories({ mee }));
    expect(picked.map((i) => i.id)).toEqual(['id4']);
  });

  it('accepts /regex/flags patterns', () => {
    const picked = selectTopicItems(topic({ include: ['/^pm\\d/i', '/^重污染/'] }), histories({ mee }));
    expect(picked.map((i) => i.id)).toEqual(['id1', 'id2']);
  });

  it('runs a catastrophic include pattern on 40 `a` and a `!` at once (it backtracked for hours before)', () => {
    const items = [storedItem(1, 1, { title: `${'a'.repeat(40)}!` }), storedItem(2, 2, { title: 'a'.repeat(40) })];
    const picked = selectTopicItems(topic({ include: ['/^(a+)+$/'] }), histories({ mee: items }));
    expect(picked.map((i) => i.id)).toEqual(['id2']);
  });

  it('matches the summary (HTML stripped) only when asked to', () => {
    expect(selectTopicItems(topic({ include: ['臭氧'] }), histories({ mee }))).toEqual([]);
    const picked = selectTopicItems(
      topic({ include: ['臭氧', '大气环境'], match: ['title', 'summary'] }),
      histories({ mee }),
    );
    expect(picked.map((i) => i.id)).toEqual(['id2', 'id4']);
    expect(selectTopicItems(topic({ include: ['p>'], match: ['summary'] }), histories({ mee }))).toEqual([]);
  });

  it('takes only the listed sources, or all of them', () => {
    expect(selectTopicItems(topic({ sources: ['other'] }), histories({ mee, other })).map((i) => i.sourceId)).toEqual([
      'other',
      'other',
    ]);
    expect(selectTopicItems(topic({ sources: ['mee', 'missing'] }), histories({ mee, other }))).toHaveLength(4);
    expect(selectTopicItems(topic(), histories({ mee, other }))).toHaveLength(6);
  });

  it('shows a story once: same canonical link (same id) or same title within three days, keeping the earliest copy', () => {
    const copies = histories({
      a: [storedItem(1, 10, { sourceId: 'a', title: '关于印发《方案》的通知' })],
      b: [
        storedItem(1, 2, { sourceId: 'b', title: 'Same link, other words' }),
        storedItem(7, 20, { sourceId: 'b', title: '关于印发 《方案》 的通知', link: 'https://other.org/7' }),
        storedItem(8, 200, { sourceId: 'b', title: '关于印发《方案》的通知', link: 'https://other.org/8' }),
      ],
    });
    const picked = selectTopicItems(topic(), copies);
    expect(picked.map((i) => `${i.sourceId}:${i.id}`)).toEqual(['b:id7', 'b:id8']);
  });

  it('keeps the earliest copy when two sources share a link', () => {
    const picked = selectTopicItems(
      topic(),
      histories({ a: [storedItem(1, 1, { sourceId: 'a' })], b: [storedItem(1, 5, { sourceId: 'b' })] }),
    );
    expect(picked.map((i) => i.sourceId)).toEqual(['b']);
  });

  it('stops at maxItems', () => {
    expect(selectTopicItems(topic({ maxItems: 2 }), histories({ mee, other }))).toHaveLength(2);
  });

  it('refuses an invalid regex config should have rejected with an INTERNAL OutputError naming the topic', () => {
    const error = (() => {
      try {
        selectTopicItems(topic({ include: ['/([/'] }), histories({ mee }));
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(OutputError);
    expect(error).toMatchObject({ code: 'INTERNAL', sourceId: 'air' });
    expect((error as Error).message).toMatch(/^feed: topic "air": invalid pattern/);
  });
});
