/**
 * Range checks node-cron's validator leaves out: it accepts `*\/61 * * * *` (a step larger than the
 * minute field, which fires once an hour instead of what was meant) and `* *\/25 * * *`. Values and
 * ranges out of bounds it already rejects; this adds the steps, with the field's bounds in the message.
 */

/** Problems with the steps of a cron expression node-cron found valid; empty when there are none. */
export function checkCronSteps(expression: string): string[] {
  const parts = expression.trim().split(/\s+/);
  const fields = parts.length === 6 ? FIELDS : FIELDS.slice(1);
  if (parts.length !== fields.length) return [];
  return parts.flatMap((part, index) => {
    const field = fields[index]!;
    return part.split(',').flatMap((element) => checkStep(element, field));
  });
}

// --- Internal helpers ---

interface CronField {
  name: string;
  min: number;
  max: number;
}

const FIELDS: CronField[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
];

function checkStep(element: string, field: CronField): string[] {
  const slash = element.indexOf('/');
  if (slash === -1) return [];
  const step = element.slice(slash + 1);
  const largest = field.max - field.min;
  if (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > largest) {
    return [
      `${field.name}: step "${element}" must be a whole number from 1 to ${largest} (${field.name} runs ${field.min}–${field.max})`,
    ];
  }
  return [];
}
