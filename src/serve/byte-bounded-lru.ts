/**
 * The least-recently-used map both serve caches keep their bodies in: entries are kept until their
 * bytes add up to more than `maxBytes`, then the least recently used go first (never the newest).
 */
export interface SizedEntry {
  bytes: number;
}

export class ByteBoundedLru<E extends SizedEntry> {
  private readonly entries = new Map<string, E>();
  private totalBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The entry without touching its recency. */
  peek(name: string): E | undefined {
    return this.entries.get(name);
  }

  /** The entry, now the most recently used. */
  touch(name: string): E | undefined {
    const hit = this.entries.get(name);
    if (hit) {
      this.entries.delete(name);
      this.entries.set(name, hit); // most recently used goes last
    }
    return hit;
  }

  /** Stores `entry` under `name` (replacing any older one) and evicts what no longer fits. */
  remember(name: string, entry: E): void {
    this.forget(name);
    this.entries.set(name, entry);
    this.totalBytes += entry.bytes;
    for (const [oldName, old] of this.entries) {
      if (this.totalBytes <= this.maxBytes || old === entry) break;
      this.forget(oldName);
    }
  }

  forget(name: string): void {
    const old = this.entries.get(name);
    if (!old) return;
    this.entries.delete(name);
    this.totalBytes -= old.bytes;
  }

  /** Counts `bytes` more for `entry` (a compressed copy), only while it is still the one stored under `name`. */
  grow(name: string, entry: E, bytes: number): void {
    if (this.entries.get(name) !== entry) return;
    entry.bytes += bytes;
    this.totalBytes += bytes;
  }
}
