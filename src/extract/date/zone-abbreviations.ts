/**
 * Time-zone abbreviations seen in RFC 2822 dates of real feeds, as offsets in minutes.
 *
 * "CST" is ambiguous: RFC 2822 means US Central (-06:00), but Chinese and Taiwanese feeds write
 * "CST" for China/Taiwan Standard Time (+08:00). We read it as +08:00 when the source's zone is a
 * UTC+8 zone (Asia/Shanghai, Asia/Taipei, …) and as US Central everywhere else.
 */

/** Zones whose sites write "CST" meaning China/Taiwan Standard Time. */
const CHINA_STANDARD_TIME_ZONES: ReadonlySet<string> = new Set([
  'Asia/Shanghai',
  'Asia/Chongqing',
  'Asia/Chungking',
  'Asia/Harbin',
  'Asia/Urumqi',
  'Asia/Taipei',
  'Asia/Macau',
  'Asia/Macao',
  'Asia/Hong_Kong',
  'PRC',
  'ROC',
]);

/** Unambiguous abbreviations (RFC 2822 section 4.3 plus common Asian and European ones). */
export const ZONE_ABBREVIATIONS: Readonly<Record<string, number>> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  BJT: 480,
  CCT: 480,
  HKT: 480,
  SGT: 480,
  JST: 540,
  KST: 540,
  IST: 330,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  WET: 0,
  WEST: 60,
};

/** Offset in minutes for a zone abbreviation, resolving "CST" by the source zone; undefined if unknown. */
export function resolveZoneAbbreviation(abbreviation: string, sourceZone: string): number | undefined {
  const upper = abbreviation.toUpperCase();
  if (upper === 'CST') return CHINA_STANDARD_TIME_ZONES.has(sourceZone) ? 480 : -360;
  return ZONE_ABBREVIATIONS[upper];
}
