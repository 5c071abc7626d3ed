import { describe, expect, it } from 'vitest';
import { compareDurations, dueDate, dueInstant, formatDuration, parseDuration } from '../../src/time/duration.js';
import { createWorkingDayCalendar } from '../../src/time/working-days.js';

const wales = createWorkingDayCalendar('GB-WLS');

describe('working days in England and Wales', () => {
  it('excludes weekends, Christmas Day, Good Friday and bank holidays', () => {
    expect(wales.isWorkingDay('2026-12-05')).toBe(false); // Saturday
    expect(wales.isWorkingDay('2026-12-25')).toBe(false);
    expect(wales.isWorkingDay('2026-04-03')).toBe(false); // Good Friday
    expect(wales.isWorkingDay('2026-04-06')).toBe(false); // Easter Monday
    expect(wales.isWorkingDay('2026-12-28')).toBe(false); // Boxing Day substitute
    expect(wales.isWorkingDay('2026-12-29')).toBe(true);
  });

  it('includes one-off holidays from the library', () => {
    expect(wales.isWorkingDay('2023-05-08')).toBe(false); // coronation
    expect(wales.isWorkingDay('2022-09-19')).toBe(false); // state funeral
  });

  it('adds working days without counting the start day', () => {
    // Concluded Friday 2026-12-18: 21 Dec (1), 22, 23, 24, 29 (5), 30, 31, 4 Jan 2027 (8; 1 Jan holiday), 5, 6 (10)
    expect(wales.addWorkingDays('2026-12-18', 10)).toBe('2027-01-06');
    expect(wales.addWorkingDays('2026-03-30', 5)).toBe('2026-04-08'); // over Easter
    expect(wales.workingDaysAfter('2026-12-18', '2027-01-06')).toBe(10);
    expect(wales.workingDaysAfter('2026-12-18', '2026-12-18')).toBe(0);
  });

  it('lists a year’s holidays in order', () => {
    expect(wales.holidaysIn(2026)).toEqual(['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-26', '2026-12-28']);
  });
});

describe('durations', () => {
  it('parses what rule packs write and refuses anything else', () => {
    expect(parseDuration('14 days')).toEqual({ value: 14, unit: 'days' });
    expect(parseDuration('1 week')).toEqual({ value: 1, unit: 'weeks' });
    expect(parseDuration('10 working days')).toEqual({ value: 10, unit: 'working-days' });
    expect(parseDuration('4 hours')).toEqual({ value: 4, unit: 'hours' });
    expect(parseDuration('fortnight')).toBeUndefined();
    expect(parseDuration('-3 days')).toBeUndefined();
    expect(formatDuration({ value: 1, unit: 'working-days' })).toBe('1 working day');
  });

  it('gives the last on-time date for each unit', () => {
    expect(dueDate('2026-01-01', { value: 14, unit: 'days' }, wales)).toBe('2026-01-15');
    expect(dueDate('2026-01-01', { value: 6, unit: 'weeks' }, wales)).toBe('2026-02-12');
    expect(dueDate('2024-02-29', { value: 12, unit: 'months' }, wales)).toBe('2025-02-28');
    expect(dueDate('2026-12-18', { value: 10, unit: 'working-days' }, wales)).toBe('2027-01-06');
    expect(() => dueDate('2026-01-01', { value: 4, unit: 'hours' }, wales)).toThrow(/time of day/);
    expect(dueInstant(Date.parse('2026-01-01T22:00:00Z'), { value: 4, unit: 'hours' })).toBe(Date.parse('2026-01-02T02:00:00Z'));
  });

  it('compares durations only where a calendar is not needed', () => {
    expect(compareDurations({ value: 4, unit: 'weeks' }, { value: 28, unit: 'days' })).toBe(0);
    expect(compareDurations({ value: 48, unit: 'hours' }, { value: 1, unit: 'days' })!).toBeGreaterThan(0);
    expect(compareDurations({ value: 1, unit: 'years' }, { value: 13, unit: 'months' })!).toBeLessThan(0);
    expect(compareDurations({ value: 30, unit: 'days' }, { value: 1, unit: 'months' })).toBeUndefined();
    expect(compareDurations({ value: 10, unit: 'working-days' }, { value: 14, unit: 'days' })).toBeUndefined();
  });
});
