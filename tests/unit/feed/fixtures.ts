/** Small builders for feed tests. */
import type { StoredItem } from '../../../src/model.js';

/** A stored item published `hoursAgo` hours before 2024-05-01T08:00Z. */
export function storedItem(n: number, hoursAgo: number, extra: Partial<StoredItem> = {}): StoredItem {
  const at = new Date(Date.parse('2024-05-01T08:00:00Z') - hoursAgo * 3_600_000);
  return {
    id: `id${n}`,
    sourceId: 'mee',
    title: `生态环境部通知 ${n}`,
    link: `https://www.mee.gov.cn/ywdt/${n}.shtml`,
    publishedAt: at,
    updatedAt: at,
    firstSeenAt: at,
    ...extra,
  };
}
