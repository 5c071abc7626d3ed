/** Reporting periods: `YYYY-MM` or `YYYY-MM..YYYY-MM`, as the list of months they cover. */
import { UsageError } from '../errors/errors.js';
import { addMonths, type IsoDate, monthBounds } from '../time/dates.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
/** A longer range is almost certainly a typing mistake (and would be slow). */
const MAX_MONTHS = 240;

export function parsePeriod(text: string): string[] {
  const parts = text.split('..');
  const from = parts[0] ?? '';
  const to = parts[1] ?? from;
  if (parts.length > 2 || !MONTH.test(from) || !MONTH.test(to)) {
    throw new UsageError('--period must be a month YYYY-MM or a range YYYY-MM..YYYY-MM');
  }
  if (to < from) throw new UsageError('--period ends before it starts');
  const months: string[] = [];
  for (let m = from; m <= to; m = addMonths(`${m}-01`, 1).slice(0, 7)) {
    months.push(m);
    if (months.length > MAX_MONTHS) throw new UsageError(`--period covers more than ${MAX_MONTHS} months`);
  }
  return months;
}

export const monthOf = (date: IsoDate): string => date.slice(0, 7);
export const lastDayOf = (month: string): IsoDate => monthBounds(month).last;
