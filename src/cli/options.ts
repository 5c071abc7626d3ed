/** Command-line option values shared by the commands, each refused with a usage error naming the option. */
import { UsageError } from '../errors/errors.js';
import { type IsoDate, isIsoDate } from '../time/dates.js';

export function parseDay(value: string, option: string): IsoDate {
  if (!isIsoDate(value)) throw new UsageError(`${option} must be a date in the form YYYY-MM-DD`);
  return value;
}

export function parseMaxBytes(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError('--max-bytes must be a positive whole number');
  return n;
}

export function checkSource(source: string, known: readonly string[]): void {
  if (!known.includes(source)) throw new UsageError(`unknown source "${source}"; known sources: ${known.join(', ')}`);
}

export function parseMaxEntries(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError('--max-entries must be a positive whole number');
  return n;
}
