/**
 * Quantities with units in settings files and flags ("5 mF", "470uF", "22 ohm", "2 KiB", "500 ms", "16 MHz").
 * Plain numbers (or numeric strings) are SI. Conversion goes through mathjs units.
 */
import { unit as mathUnit } from 'mathjs';
import { fail, issue, ok, type Result } from './result.ts';

/** Units a settings quantity can be expressed in (its SI base). */
export const QUANTITY_UNITS = ['F', 'ohm', 'V', 'B', 's', 'Hz'] as const;
export type QuantityUnit = (typeof QUANTITY_UNITS)[number];

const UNIT_NAMES: Record<QuantityUnit, string> = { F: 'farads', ohm: 'ohms', V: 'volts', B: 'bytes', s: 'seconds', Hz: 'hertz' };

/**
 * Parses a number or a string with a unit into the SI value of `unit`.
 * `path` names the field or flag for the error message.
 */
export function parseQuantity(value: string | number, unit: QuantityUnit, path: string): Result<number> {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? ok(value) : fail(issue('invalid_value', path, `expected a finite number of ${UNIT_NAMES[unit]} (got ${value})`));
  }
  const text = value.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) return ok(Number(text));
  const normalised = text.replace(/Ω/g, 'ohm').replace(/[µμ]/g, 'u').replace(/ohms\b/g, 'ohm');
  try {
    const u = mathUnit(normalised);
    const v = u.toNumber(unit);
    if (!Number.isFinite(v)) throw new Error('not finite');
    return ok(v);
  } catch {
    return fail(issue('invalid_unit', path, `expected a quantity in ${UNIT_NAMES[unit]} such as "${example(unit)}" (got "${value}")`, { unit, actual: value }));
  }
}

function example(unit: QuantityUnit): string {
  switch (unit) {
    case 'F': return '470 uF';
    case 'ohm': return '22 ohm';
    case 'V': return '2.99 V';
    case 'B': return '2 KiB';
    case 's': return '500 ms';
    case 'Hz': return '16 MHz';
  }
}
