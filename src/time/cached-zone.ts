/**
 * An IANA zone for luxon whose offsets are cached, shared by every stage that works in a source's zone
 * (extract parses dates, store fixes publication dates, feed writes offsets). luxon asks `Intl.DateTimeFormat.formatToParts` for
 * the offset on every DateTime it builds in an IANA zone, which was over half the cost of extracting an
 * item. Offsets are cached per 15-minute bucket, and only when the offset is the same at both ends of
 * the bucket, so DST and other transitions (which never occur twice within 15 minutes) stay exact.
 */
import { FixedOffsetZone, IANAZone, Zone, type ZoneOffsetFormat, type ZoneOffsetOptions } from 'luxon';

/** A luxon Zone delegating to IANAZone with an offset cache. */
export class CachedZone extends Zone {
  private readonly inner: IANAZone;
  private readonly offsets = new Map<number, number>();

  constructor(name: string) {
    super();
    this.inner = IANAZone.create(name);
  }

  override get type(): string {
    return 'iana';
  }

  override get name(): string {
    return this.inner.name;
  }

  override get isUniversal(): boolean {
    return false;
  }

  override get isValid(): boolean {
    return this.inner.isValid;
  }

  override offsetName(ts: number, options: ZoneOffsetOptions): string | null {
    return this.inner.offsetName(ts, options);
  }

  override formatOffset(ts: number, format: ZoneOffsetFormat): string {
    // IANAZone would compute the offset again without the cache; a fixed zone only formats it.
    return FixedOffsetZone.instance(this.offset(ts)).formatOffset(ts, format);
  }

  override equals(other: Zone): boolean {
    return other.type === 'iana' && other.name === this.name;
  }

  override offset(ts: number): number {
    const bucket = Math.floor(ts / BUCKET_MS);
    const cached = this.offsets.get(bucket);
    if (cached !== undefined) return cached;
    const start = this.inner.offset(bucket * BUCKET_MS);
    const end = this.inner.offset((bucket + 1) * BUCKET_MS - 1);
    if (start !== end) return this.inner.offset(ts);
    if (this.offsets.size >= MAX_BUCKETS) this.offsets.clear();
    this.offsets.set(bucket, start);
    return start;
  }
}

/** The shared cached zone for a name (zones are few; offsets never change within a process). */
export function getCachedZone(name: string): CachedZone {
  let zone = zones.get(name);
  if (!zone) {
    zone = new CachedZone(name);
    zones.set(name, zone);
  }
  return zone;
}

// --- Internal helpers ---

const BUCKET_MS = 15 * 60 * 1000;
const MAX_BUCKETS = 50_000;
const zones = new Map<string, CachedZone>();
